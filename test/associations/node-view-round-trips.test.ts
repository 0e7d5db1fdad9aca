/**
 * Issue 13: a node's view costs the same DynamoDB round trips whatever the number of
 * associations that apply to the node. One node with 4 associations, another with 40 (by id,
 * tag, tag key and legacy InstanceId, over 20 of the account's own documents): their polls make
 * the same calls in the same round trips. Each read that N associations need is ONE BatchGetItem
 * (their heads; then, at once, their targets in the current runs and their documents), and the
 * runs a poll must tell the node about are written at once (one round trip, a transaction each).
 *
 * A round trip is counted at the wire as the calls in flight together (a call that starts while
 * none is in flight begins one), as test/call-counts/operations.test.ts counts it. Two dependent
 * round trips can overlap there (a query under the node's tags starts while the one under its id
 * is still in flight), so round trips are asserted as at most the dependent steps, and the
 * calls exactly.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { NODE_VIEW_ATTRIBUTES } from "../../shared/domain/associations/records.ts";
import { registeredAgent } from "../support/agent-http.ts";
import { type CallMeter, meterCalls } from "../support/call-meter.ts";
import { commandContent } from "../support/fixtures.ts";
import type { Identity } from "../support/identity.ts";
import { call } from "../support/invoke.ts";
import { freshTable, type TestTable } from "../support/table.ts";

type Node = { instanceId: string; identity: Identity; tag: string };
type Cost = { calls: string[]; roundTrips: number };

let table: TestTable;
let meter: CallMeter;
let small: Node;
let large: Node;
const DOCUMENTS = 10;

async function tagged(tag: string): Promise<Node> {
  const { instanceId, identity } = await registeredAgent();
  await call("AddTagsToResource", {
    ResourceType: "ManagedInstance",
    ResourceId: instanceId,
    Tags: [{ Key: "fleet", Value: tag }],
  });
  return { instanceId, identity, tag };
}

/** `count` associations that apply to the node, over the account's documents, by every kind of key. */
async function associate(node: Node, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const Name = `doc-${i % DOCUMENTS}`;
    const kind = i % 4;
    const request =
      kind === 0
        ? { Name: `legacy-${(i / 4) % DOCUMENTS}`, InstanceId: node.instanceId }
        : {
            Name,
            Parameters: { message: [`${node.tag} ${i}`] },
            Targets: [
              kind === 1
                ? { Key: "InstanceIds", Values: [node.instanceId] }
                : kind === 2
                  ? { Key: "tag:fleet", Values: [node.tag] }
                  : { Key: "tag-key", Values: [`only-${node.tag}`] },
            ],
          };
    const { AssociationDescription } = await call("CreateAssociation", request);
    ids.push(AssociationDescription.AssociationId as string);
  }
  return ids;
}

async function cost(send: () => Promise<unknown>): Promise<Cost> {
  // Every identity's credentials cached first (one read per cold cache, not the operation's).
  await call("ListDocuments", { MaxResults: 1 });
  for (const node of [small, large])
    await call("DescribeDocument", { Name: "AWS-RunShellScript" }, { identity: node.identity });
  meter.reset();
  await send();
  return { calls: [...meter.calls], roundTrips: meter.roundTrips };
}

const poll = (node: Node) => () =>
  call("ListInstanceAssociations", { InstanceId: node.instanceId }, { identity: node.identity });

const count = (list: string[], command: string) => list.filter((c) => c === command).length;

beforeAll(async () => {
  table = await freshTable();
  for (let i = 0; i < DOCUMENTS; i++) {
    await call("CreateDocument", { Name: `doc-${i}`, Content: commandContent(`hello ${i}`), DocumentType: "Command" });
    // A legacy association (document and InstanceId) needs a document of schema 1.2.
    await call("CreateDocument", {
      Name: `legacy-${i}`,
      DocumentType: "Command",
      Content: JSON.stringify({
        schemaVersion: "1.2",
        description: `legacy ${i}`,
        runtimeConfig: {
          "aws:runShellScript": { properties: [{ id: "0.aws:runShellScript", runCommand: [`echo ${i}`] }] },
        },
      }),
    });
  }
  small = await tagged("small");
  large = await tagged("large");
  // tag-key targets find each node by a key of its own.
  for (const node of [small, large]) {
    await call("AddTagsToResource", {
      ResourceType: "ManagedInstance",
      ResourceId: node.instanceId,
      Tags: [
        { Key: "fleet", Value: node.tag },
        { Key: `only-${node.tag}`, Value: "yes" },
      ],
    });
  }
  meter = meterCalls(table.db);
}, 60_000);

describe("a node's view: round trips that do not grow with the node's associations (issue 13)", () => {
  let first: { small: Cost; large: Cost };
  let smallIds: string[];
  let largeIds: string[];

  beforeAll(async () => {
    smallIds = await associate(small, 4);
    largeIds = await associate(large, 40);
    // Each new association's first run waits for its node: the first poll tells the node (a
    // transaction per run), all at once.
    first = { small: await cost(poll(small)), large: await cost(poll(large)) };
  }, 120_000);

  it("ListInstanceAssociations, first poll: every due run is told in one write round trip after the reads", async () => {
    expect(count(first.small.calls, "TransactWriteItems")).toBe(4);
    expect(count(first.large.calls, "TransactWriteItems")).toBe(40);
    const reads = (c: Cost) => c.calls.filter((name) => name !== "TransactWriteItems");
    expect(reads(first.large)).toEqual(reads(first.small));
    // At most (the wire can overlap two round trips whose calls happen to be in flight at once):
    // the node, its id's and `*`'s index and its statuses; its two tag keys' index; the heads;
    // the run targets with the documents; the writes.
    expect(first.large.roundTrips).toBeLessThanOrEqual(5);
    expect(first.small.roundTrips).toBeLessThanOrEqual(5);
  });

  it("ListInstanceAssociations, steady poll: the same calls and round trips for 40 associations as for 4", async () => {
    const answer = await call(
      "ListInstanceAssociations",
      { InstanceId: large.instanceId },
      { identity: large.identity },
    );
    expect(answer.Associations.map((a: { AssociationId: string }) => a.AssociationId)).toEqual([...largeIds].sort());
    // Told once (released), still due until the node reports.
    expect(new Set(answer.Associations.map((a: { DetailedStatus: string }) => a.DetailedStatus))).toEqual(
      new Set(["Pending"]),
    );
    const steady = { small: await cost(poll(small)), large: await cost(poll(large)) };
    expect(steady.large.calls).toEqual(steady.small.calls);
    expect(steady.small.roundTrips).toBeLessThanOrEqual(4);
    expect(steady.large.calls).toEqual([
      "Query", // the index under the node's id
      "Query", // the index under `*`
      "Query", // the node's statuses
      "BatchGetItem", // the node
      "Query", // the index under tag:fleet=<tag>
      "Query", // the index under tag-key=fleet
      "Query", // the index under tag:only-<tag>=yes
      "Query", // the index under tag-key=only-<tag>
      "BatchGetItem", // every head
      "BatchGetItem", // the node's target in every current run
      "BatchGetItem", // at the same time, every document (head and version: numbers and hash only)
    ]);
    expect(steady.large.roundTrips).toBeLessThanOrEqual(4);
  });

  it("DescribeEffectiveInstanceAssociations: the same calls and round trips for 40 associations as for 4", async () => {
    const effective = (node: Node) => () =>
      call("DescribeEffectiveInstanceAssociations", { InstanceId: node.instanceId, MaxResults: 5 });
    const both = { small: await cost(effective(small)), large: await cost(effective(large)) };
    expect(both.large.calls).toEqual(both.small.calls);
    expect(count(both.large.calls, "BatchGetItem")).toBe(3); // the node, every head, the page's documents
    // The node with the index under its id and `*`; under its tags; the heads; the documents.
    expect(both.large.roundTrips).toBeLessThanOrEqual(4);
    expect(both.small.roundTrips).toBeLessThanOrEqual(4);
    const page = await effective(large)();
    expect(page.Associations).toHaveLength(5);
    for (const association of page.Associations) expect(association.Content).toContain("schemaVersion");
  });

  it("DescribeInstanceAssociationsStatus: one round trip (the node and its statuses) for 40 associations as for 4", async () => {
    const report = async (node: Node, ids: string[]) => {
      for (const AssociationId of ids)
        await call(
          "UpdateInstanceAssociationStatus",
          {
            AssociationId,
            InstanceId: node.instanceId,
            ExecutionResult: { Status: "Success", ExecutionDate: 1795600000 },
          },
          { identity: node.identity },
        );
    };
    await report(small, smallIds);
    await report(large, largeIds);
    const statuses = (node: Node) => () =>
      call("DescribeInstanceAssociationsStatus", { InstanceId: node.instanceId, MaxResults: 50 });
    const both = { small: await cost(statuses(small)), large: await cost(statuses(large)) };
    expect(both.large).toEqual({ calls: ["Query", "BatchGetItem"], roundTrips: 1 });
    expect(both.small).toEqual(both.large);
    expect((await statuses(large)()).InstanceAssociationStatusInfos).toHaveLength(40);
    // Paged by key (issue 30): a page of 15 reads 16 statuses, and the pages cover them once, in id order.
    const paged: string[] = [];
    let token: string | undefined;
    do {
      const request = { InstanceId: large.instanceId, MaxResults: 15, NextToken: token };
      const page = await cost(() => call("DescribeInstanceAssociationsStatus", request));
      expect(page.calls).toEqual(["Query", "BatchGetItem"]);
      const answer = await call("DescribeInstanceAssociationsStatus", request);
      paged.push(...answer.InstanceAssociationStatusInfos.map((s: { AssociationId: string }) => s.AssociationId));
      token = answer.NextToken;
    } while (token);
    expect(paged).toEqual([...largeIds].sort());
    // Reported: the poll lists them as they are, with no write.
    const after = await cost(poll(large));
    expect(count(after.calls, "TransactWriteItems")).toBe(0);
    expect(after.roundTrips).toBeLessThanOrEqual(4);
  }, 120_000);

  it("the node's view reads of each head only what it needs (records.ts NODE_VIEW_ATTRIBUTES), and answers in full", async () => {
    const headReads: { names: string[]; keys: number }[] = [];
    table.db.middlewareStack.add(
      (next) => async (args) => {
        const input = args.input as {
          RequestItems?: Record<string, { Keys: { SK: string }[]; ExpressionAttributeNames?: Record<string, string> }>;
        };
        for (const request of Object.values(input.RequestItems ?? {}))
          if (request.Keys.some((key) => key.SK === "ASSOCIATION"))
            headReads.push({
              names: Object.values(request.ExpressionAttributeNames ?? {}),
              keys: request.Keys.length,
            });
        return next(args);
      },
      { step: "initialize", name: "recordHeadReads" },
    );
    try {
      const listed = await poll(large)();
      const effective = await call("DescribeEffectiveInstanceAssociations", {
        InstanceId: large.instanceId,
        MaxResults: 5,
      });
      expect(headReads.map((read) => read.keys)).toEqual([40, 40]);
      for (const read of headReads) expect(read.names).toEqual(["PK", "SK", ...NODE_VIEW_ATTRIBUTES]);
      // What the agent gets is whole: parameters, targets, versions, checksums, the content.
      expect(listed.Associations).toHaveLength(40);
      for (const association of listed.Associations) {
        expect(association).toMatchObject({
          AssociationVersion: "1",
          DocumentVersion: "$DEFAULT",
          Status: "Success",
          Checksum: expect.stringMatching(/^[0-9a-f]{64}$/),
        });
        expect(association.Name).toBeTruthy();
        expect(association.Parameters).toBeTypeOf("object");
        expect(association.Targets ?? association.InstanceId).toBeTruthy();
      }
      expect(effective.Associations).toHaveLength(5);
      for (const association of effective.Associations) expect(association.Content).toContain("schemaVersion");
    } finally {
      table.db.middlewareStack.remove("recordHeadReads");
    }
  }, 60_000);
});

describe("ListInstanceAssociations' checksum, read without the document's content", () => {
  it("follows the version each association runs: $DEFAULT, $LATEST, a number", async () => {
    const node = await tagged("checksums");
    await call("CreateDocument", { Name: "versioned", Content: commandContent("v1"), DocumentType: "Command" });
    const create = async (DocumentVersion?: string) =>
      (
        await call("CreateAssociation", {
          Name: "versioned",
          ...(DocumentVersion ? { DocumentVersion } : {}),
          Targets: [{ Key: "InstanceIds", Values: [node.instanceId] }],
        })
      ).AssociationDescription.AssociationId as string;
    const ids = { default: await create(), latest: await create("$LATEST"), one: await create("1") };
    const checksums = async () => {
      const { Associations } = await poll(node)();
      return Object.fromEntries(
        Object.entries(ids).map(([name, id]) => [
          name,
          Associations.find((a: { AssociationId: string }) => a.AssociationId === id)?.Checksum as string,
        ]),
      );
    };
    const first = await checksums();
    // One document, version 1 for all three: the same content, the same parameters.
    expect(new Set(Object.values(first)).size).toBe(1);
    expect(first.default).toMatch(/^[0-9a-f]{64}$/);

    // Version 2, not the default: only $LATEST runs it.
    await call("UpdateDocument", { Name: "versioned", Content: commandContent("v2"), DocumentVersion: "$LATEST" });
    const second = await checksums();
    expect(second).toEqual({ default: first.default, latest: expect.any(String), one: first.one });
    expect(second.latest).not.toBe(first.latest);

    // Version 2 the default: $DEFAULT runs it too, the same content as $LATEST.
    await call("UpdateDocumentDefaultVersion", { Name: "versioned", DocumentVersion: "2" });
    const third = await checksums();
    expect(third).toEqual({ default: second.latest, latest: second.latest, one: first.one });
  });
});
