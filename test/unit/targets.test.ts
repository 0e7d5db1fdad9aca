/** The one target matcher: which nodes an association's targets name, and which keys are supported. */
import { describe, expect, it } from "vitest";
import { appliesTo, checkTargets, type TargetableNode, targetsNode } from "../../shared/domain/targets.ts";
import { InvalidInstanceId, InvalidTarget } from "../../shared/errors.ts";

const HYBRID = "mi-0123456789abcdef0";
const nodes: TargetableNode[] = [
  { InstanceId: HYBRID, Tags: [] },
  { InstanceId: "i-0aaaaaaaaaaaaaaa1", Tags: [{ Key: "app", Value: "web" }] },
  { InstanceId: "i-0aaaaaaaaaaaaaaa2", Tags: [{ Key: "app", Value: "db" }] },
  { InstanceId: "i-0aaaaaaaaaaaaaaa3", Tags: [{ Key: "owner", Value: "ops" }] },
];
const named = (Targets: { Key: string; Values: string[] }[]) =>
  nodes.filter((node) => targetsNode(Targets, node)).map((node) => node.InstanceId);

describe("targets", () => {
  it("name nodes by instance id, tag value, tag key, and every node", () => {
    expect(named([{ Key: "InstanceIds", Values: [HYBRID, "i-0aaaaaaaaaaaaaaa1"] }])).toEqual([
      HYBRID,
      "i-0aaaaaaaaaaaaaaa1",
    ]);
    expect(named([{ Key: "tag:app", Values: ["web", "db"] }])).toEqual(["i-0aaaaaaaaaaaaaaa1", "i-0aaaaaaaaaaaaaaa2"]);
    expect(named([{ Key: "tag-key", Values: ["owner"] }])).toEqual(["i-0aaaaaaaaaaaaaaa3"]);
    expect(named([{ Key: "InstanceIds", Values: ["*"] }])).toHaveLength(4);
  });

  it("add up across targets", () => {
    expect(
      named([
        { Key: "tag:app", Values: ["db"] },
        { Key: "tag-key", Values: ["owner"] },
      ]),
    ).toEqual(["i-0aaaaaaaaaaaaaaa2", "i-0aaaaaaaaaaaaaaa3"]);
  });

  it("of a legacy association are its one node", () => {
    const legacy = { InstanceId: "i-0aaaaaaaaaaaaaaa2", Targets: [{ Key: "InstanceIds", Values: ["*"] }] };
    expect(nodes.filter((node) => appliesTo(legacy, node)).map((node) => node.InstanceId)).toEqual([
      "i-0aaaaaaaaaaaaaaa2",
    ]);
  });

  it("are checked before a write: the named instance ids must then exist", () => {
    expect(checkTargets([{ Key: "InstanceIds", Values: [HYBRID, "i-0bbbbbbbbbbbbbbbb"] }])).toEqual([
      HYBRID,
      "i-0bbbbbbbbbbbbbbbb",
    ]);
    expect(checkTargets([{ Key: "tag:app", Values: ["web"] }])).toEqual([]);
    expect(() => checkTargets([{ Key: "InstanceIds", Values: ["nope"] }])).toThrow(InvalidInstanceId);
    expect(() => checkTargets([{ Key: "InstanceIds", Values: ["*", HYBRID] }])).toThrow(InvalidTarget);
    expect(() => checkTargets([{ Key: "resource-groups:Name", Values: ["g"] }])).toThrow(InvalidTarget);
    expect(() => checkTargets([{ Key: "tag:app", Values: [] }])).toThrow(InvalidTarget);
  });
});
