/**
 * The promise the association index rests on (shared/domain/targets.ts): whenever an association
 * applies to a node, the node's lookup keys and the association's share a key, so the node finds
 * it by key. Checked over every kind of target and many nodes, including the edge cases of the
 * matcher (a tag key holding `=`, `*` with an id, a target kind that names no node).
 */
import type { Target } from "@aws-sdk/client-ssm";
import { describe, expect, it } from "vitest";
import { appliesTo, associationLookupKeys, nodeLookupKeys, type TargetableNode } from "../../shared/domain/targets.ts";

const IDS = ["i-0aaaaaaaaaaaaaaa1", "mi-0bbbbbbbbbbbbbbb2"];
const TAG_KEYS = ["env", "a=b", "a", "Name"];
const TAG_VALUES = ["prod", "b=c", "c", ""];

function* nodes(): Generator<TargetableNode> {
  for (const InstanceId of IDS) {
    yield { InstanceId, Tags: [] };
    for (const Key of TAG_KEYS) for (const Value of TAG_VALUES) yield { InstanceId, Tags: [{ Key, Value }] };
    yield {
      InstanceId,
      Tags: [
        { Key: "env", Value: "prod" },
        { Key: "a=b", Value: "c" },
      ],
    };
  }
}

const TARGETS: Target[] = [
  { Key: "InstanceIds", Values: [IDS[0] as string] },
  { Key: "InstanceIds", Values: IDS },
  { Key: "InstanceIds", Values: ["*"] },
  { Key: "ParameterValues", Values: ["x"] },
  ...TAG_KEYS.map((key) => ({ Key: `tag:${key}`, Values: TAG_VALUES })),
  ...TAG_KEYS.map((key) => ({ Key: `tag:${key}`, Values: ["prod"] })),
  { Key: "tag-key", Values: TAG_KEYS },
  { Key: "tag-key", Values: ["a"] },
];

describe("association lookup keys (the association index)", () => {
  it("a node finds by key every association that applies to it", () => {
    const associations = [
      ...TARGETS.map((target) => ({ Targets: [target] })),
      ...TARGETS.flatMap((first, i) => TARGETS.slice(i + 1).map((second) => ({ Targets: [first, second] }))),
      ...IDS.map((InstanceId) => ({ InstanceId })),
    ];
    let applying = 0;
    for (const node of nodes()) {
      const mine = new Set(nodeLookupKeys(node));
      for (const association of associations) {
        if (!appliesTo(association, node)) continue;
        applying++;
        expect(
          associationLookupKeys(association).some((key) => mine.has(key)),
          JSON.stringify({ association, node }),
        ).toBe(true);
      }
    }
    expect(applying).toBeGreaterThan(1000);
  });

  it("names each kind of target as the index keeps it", () => {
    expect(associationLookupKeys({ InstanceId: "i-1", Targets: [] })).toEqual(["InstanceIds=i-1"]);
    expect(associationLookupKeys({ Targets: [{ Key: "InstanceIds", Values: ["*"] }] })).toEqual(["*"]);
    expect(associationLookupKeys({ Targets: [{ Key: "ParameterValues", Values: ["x"] }] })).toEqual(["*"]);
    expect(
      associationLookupKeys({
        Targets: [
          { Key: "tag:env", Values: ["prod", "dev"] },
          { Key: "tag-key", Values: ["team"] },
        ],
      }),
    ).toEqual(["tag:env=prod", "tag:env=dev", "tag-key=team"]);
    expect(nodeLookupKeys({ InstanceId: "i-1", Tags: [{ Key: "env", Value: "prod" }] })).toEqual([
      "InstanceIds=i-1",
      "*",
      "tag:env=prod",
      "tag-key=env",
    ]);
  });
});
