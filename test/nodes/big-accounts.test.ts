/**
 * Issue 30, big accounts: what a request reads does not grow with the account. Two accounts of
 * the same shape in one table (the default account in two Regions), one with 10 registered nodes
 * and one with 1,500 (seeded as registration writes them: test/support/seed-nodes.ts), two of
 * each tagged role=web: every operation below makes the same DynamoDB calls in both
 * (DescribeInstanceInformation's pages and filters, CreateAssociation's and
 * StartAssociationsOnce's runs of a tag-targeted association, SendCommand to a tag,
 * ListAssociations, DescribeInstanceAssociationsStatus). A run that read the account's nodes
 * (the node listing, 100 a page) would make 15 more queries in the big one. A filter the keys
 * can't answer reads a bounded part per request and answers a NextToken (aws/aws-cli#2626:
 * AWS answers filtered DescribeInstanceInformation pages short). Timings: BENCH_ONLY=accounts.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { AUDIT_RECORD, type CallMeter, meterCalls } from "../support/call-meter.ts";
import { DEFAULT_IDENTITY, type Identity } from "../support/identity.ts";
import { call } from "../support/invoke.ts";
import { ManagedNode } from "../support/managed-node.ts";
import { seedNodes } from "../support/seed-nodes.ts";
import { freshTable, type TestTable } from "../support/table.ts";

type Account = { label: string; identity: Identity; nodes: number; ids: string[]; web: string[]; association: string };

const SMALL: Account = { label: "10 nodes", identity: DEFAULT_IDENTITY, nodes: 10, ids: [], web: [], association: "" };
const BIG: Account = {
  label: "1,500 nodes",
  identity: { ...DEFAULT_IDENTITY, region: "eu-west-1" },
  nodes: 1500,
  ids: [],
  web: [],
  association: "",
};
let table: TestTable;
let meter: CallMeter;

const role = (i: number) => (i < 2 ? "web" : `other-${i % 5}`);

beforeAll(async () => {
  table = await freshTable();
  for (const account of [SMALL, BIG]) {
    const scope = { accountId: "000000000000", region: account.identity.region as string };
    account.ids = await seedNodes(table.db, table.name, scope, account.nodes, {
      tags: (i) => [{ Key: "role", Value: role(i) }],
    });
    account.web = account.ids.filter((_, i) => role(i) === "web").sort();
    const created = await call(
      "CreateAssociation",
      {
        Name: "AWS-RunShellScript",
        Targets: [{ Key: "tag:role", Values: ["web"] }],
        Parameters: { commands: ["echo web"] },
        ScheduleExpression: "rate(1 day)",
      },
      { identity: account.identity },
    );
    account.association = created.AssociationDescription.AssociationId;
  }
  meter = meterCalls(table.db);
}, 120_000);

/** The request's own DynamoDB calls (its audit record apart), in a stable order, and its answer. */
async function counted(account: Account, operation: string, request: Record<string, unknown>) {
  await call("ListDocuments", { MaxResults: 1 }, { identity: account.identity }); // warms the credential cache
  meter.reset();
  const answer = await call(operation, request, { identity: account.identity });
  return { calls: meter.calls.filter((c) => c !== AUDIT_RECORD).sort(), answer };
}

/** The nodes of an association's newest run. */
async function runTargets(associationId: string, identity: Identity): Promise<string[]> {
  const runs = await call("DescribeAssociationExecutions", { AssociationId: associationId }, { identity });
  const targets = await call(
    "DescribeAssociationExecutionTargets",
    { AssociationId: associationId, ExecutionId: runs.AssociationExecutions[0].ExecutionId },
    { identity },
  );
  return targets.AssociationExecutionTargets.map((t: { ResourceId: string }) => t.ResourceId).sort();
}

async function sameCalls(operation: string, request: (account: Account) => Record<string, unknown>) {
  const small = await counted(SMALL, operation, request(SMALL));
  const big = await counted(BIG, operation, request(BIG));
  expect(big.calls, `${operation} in ${BIG.label} vs ${SMALL.label}`).toEqual(small.calls);
  if (process.env.SHOW_CALLS) console.log(operation, JSON.stringify(request(BIG)), big.calls.join(", "));
  return { small: small.answer, big: big.answer };
}

describe("Big accounts: calls per request do not grow with the account's nodes (issue 30)", () => {
  it("DescribeInstanceInformation: a page, a tag filter, a tag-key filter, a filter every node matches", async () => {
    const page = await sameCalls("DescribeInstanceInformation", () => ({ MaxResults: 5 }));
    expect(page.big.InstanceInformationList).toHaveLength(5);
    expect(page.big.NextToken).toBeDefined();
    const byTag = await sameCalls("DescribeInstanceInformation", () => ({
      Filters: [{ Key: "tag:role", Values: ["web"] }],
    }));
    expect(byTag.big.InstanceInformationList.map((n: { InstanceId: string }) => n.InstanceId)).toEqual(BIG.web);
    expect(byTag.small.InstanceInformationList.map((n: { InstanceId: string }) => n.InstanceId)).toEqual(SMALL.web);
    const byKey = await sameCalls("DescribeInstanceInformation", () => ({
      Filters: [{ Key: "tag-key", Values: ["role"] }],
      MaxResults: 5,
    }));
    expect(byKey.big.InstanceInformationList).toHaveLength(5);
    await sameCalls("DescribeInstanceInformation", () => ({
      Filters: [{ Key: "PlatformTypes", Values: ["Linux"] }],
      MaxResults: 5,
    }));
  });

  it("a run of a tag-targeted association reads the tagged nodes by key: CreateAssociation, StartAssociationsOnce", async () => {
    await sameCalls("CreateAssociation", () => ({
      Name: "AWS-RunShellScript",
      Targets: [{ Key: "tag:role", Values: ["web"] }],
      Parameters: { commands: ["echo again"] },
    }));
    await sameCalls("StartAssociationsOnce", (account) => ({ AssociationIds: [account.association] }));
    expect(await runTargets(BIG.association, BIG.identity)).toEqual(BIG.web);
  });

  it("SendCommand to a tag", async () => {
    const sent = await sameCalls("SendCommand", () => ({
      DocumentName: "AWS-RunShellScript",
      Targets: [{ Key: "tag:role", Values: ["web"] }],
      Parameters: { commands: ["echo sent"] },
    }));
    expect(sent.big.Command.TargetCount).toBe(2);
  });

  it("ListAssociations and DescribeInstanceAssociationsStatus", async () => {
    await sameCalls("ListAssociations", () => ({ MaxResults: 5 }));
    await sameCalls("DescribeInstanceAssociationsStatus", (account) => ({ InstanceId: account.web[0] }));
  });

  it("DescribeInstanceInformation's pages cover each matching node once: several tag values, a tag with another filter", async () => {
    const all = async (request: Record<string, unknown>) => {
      const found: string[] = [];
      let token: string | undefined;
      do {
        const page = await call(
          "DescribeInstanceInformation",
          { ...request, MaxResults: 50, NextToken: token },
          { identity: BIG.identity },
        );
        found.push(...page.InstanceInformationList.map((n: { InstanceId: string }) => n.InstanceId));
        token = page.NextToken;
      } while (token);
      return found;
    };
    const withRole = (...roles: string[]) => BIG.ids.filter((_, i) => roles.includes(role(i))).sort();
    expect(await all({ Filters: [{ Key: "tag:role", Values: ["other-1", "web", "other-3"] }] })).toEqual(
      withRole("other-1", "web", "other-3"),
    );
    expect(
      await all({
        Filters: [
          { Key: "tag:role", Values: ["other-2"] },
          { Key: "PingStatus", Values: ["Online"] },
        ],
      }),
    ).toEqual(withRole("other-2"));
    expect(await all({ Filters: [{ Key: "PlatformTypes", Values: ["Linux"] }] })).toEqual([...BIG.ids].sort());
  });

  it("a filter the keys can't answer reads at most 1,000 nodes a request, then answers a NextToken", async () => {
    const none = { Filters: [{ Key: "PlatformTypes", Values: ["Windows"] }], MaxResults: 5 };
    const small = await counted(SMALL, "DescribeInstanceInformation", none);
    expect(small.answer).toMatchObject({ InstanceInformationList: [] });
    expect(small.answer.NextToken).toBeUndefined();
    const big = await counted(BIG, "DescribeInstanceInformation", none);
    // Ten listing pages of 100 nodes, no summary read (no node matched).
    expect(big.calls).toEqual(Array(10).fill("Query"));
    expect(big.answer.InstanceInformationList).toEqual([]);
    // Following the tokens reads the rest, and ends.
    let token = big.answer.NextToken as string | undefined;
    let requests = 1;
    while (token) {
      token = (await call("DescribeInstanceInformation", { ...none, NextToken: token }, { identity: BIG.identity }))
        .NextToken;
      requests++;
    }
    expect(requests).toBe(2);
  });
});

describe("RegisterManagedInstance, AddTagsToResource, RemoveTagsFromResource, DeregisterManagedInstance keep the node tag index", () => {
  /** The node's tags as the index holds them: by key (its partition) and by key and value (GSI1). */
  const indexed = async (id: string) =>
    (await table.items())
      .filter((item) => item.Type === "NodeTag" && item.InstanceId === id)
      .map((item) => `${item.TagKey}=${item.TagValue}`)
      .sort();
  const tagged = async (filter: { Key: string; Values: string[] }) =>
    (await call("DescribeInstanceInformation", { Filters: [filter] })).InstanceInformationList.map(
      (n: { InstanceId: string }) => n.InstanceId,
    );

  it("each write of a node's tags writes its index items with it, and a run's tag targets follow", async () => {
    const [node] = await ManagedNode.registerFleet(1, [{ Key: "team", Value: "blue" }]);
    const id = (node as ManagedNode).id;
    expect(await indexed(id)).toEqual(["team=blue"]);
    const tags = (Tags: { Key: string; Value: string }[]) =>
      call("AddTagsToResource", { ResourceType: "ManagedInstance", ResourceId: id, Tags });
    await tags([
      { Key: "team", Value: "green" },
      { Key: "tier", Value: "1" },
    ]);
    expect(await indexed(id)).toEqual(["team=green", "tier=1"]);
    expect(await tagged({ Key: "tag:team", Values: ["blue"] })).toEqual([]);
    expect(await tagged({ Key: "tag:team", Values: ["green"] })).toEqual([id]);
    const run = await call("CreateAssociation", {
      Name: "AWS-RunShellScript",
      Targets: [
        { Key: "tag:team", Values: ["green", "blue"] },
        { Key: "tag-key", Values: ["tier"] },
      ],
      Parameters: { commands: ["echo"] },
    });
    // Both targets name the node: it is in the run once.
    expect(await runTargets(run.AssociationDescription.AssociationId, DEFAULT_IDENTITY)).toEqual([id]);
    await call("RemoveTagsFromResource", { ResourceType: "ManagedInstance", ResourceId: id, TagKeys: ["tier"] });
    expect(await indexed(id)).toEqual(["team=green"]);
    expect(await tagged({ Key: "tag-key", Values: ["tier"] })).toEqual([]);
    await call("DeregisterManagedInstance", { InstanceId: id });
    expect(await indexed(id)).toEqual([]);
  });

  it("a node tagged after its run's targets were read is not in the run, and joins it at its next poll", async () => {
    const node = await ManagedNode.register([{ Key: "team", Value: "red" }]);
    const created = await call("CreateAssociation", {
      Name: "AWS-RunShellScript",
      Targets: [{ Key: "tag:team", Values: ["purple"] }],
      Parameters: { commands: ["echo"] },
    });
    const id = created.AssociationDescription.AssociationId;
    expect(await runTargets(id, DEFAULT_IDENTITY)).toEqual([]);
    await call("AddTagsToResource", {
      ResourceType: "ManagedInstance",
      ResourceId: node.id,
      Tags: [{ Key: "team", Value: "purple" }],
    });
    // Its view reads its own tags as they are: told to run, and joined to the run.
    expect(await node.due()).toContain(id);
    expect(await runTargets(id, DEFAULT_IDENTITY)).toEqual([node.id]);
  });

  it("a tag whose key has `=` in it shares a value listing with another tag, and pages past it (no page keeps nothing for ever)", async () => {
    // `tag:a=b` with value `c` and `tag:a` with value `b=c` both list under `a=b=c` (keys.ts): the
    // eight of the other tag sort first, so the first pages of five read none of this one's.
    const scope = { accountId: "000000000000", region: "us-west-2" };
    const identity = { ...DEFAULT_IDENTITY, region: "us-west-2" };
    const other = await seedNodes(table.db, table.name, scope, 8, {
      tags: () => [{ Key: "a", Value: "b=c" }],
      id: (i) => `mi-0000000000000000${i}`,
    });
    const mine = await seedNodes(table.db, table.name, scope, 2, {
      tags: () => [{ Key: "a=b", Value: "c" }],
      id: (i) => `mi-1000000000000000${i}`,
    });
    const found: string[] = [];
    let token: string | undefined;
    let requests = 0;
    do {
      const page = await call(
        "DescribeInstanceInformation",
        { Filters: [{ Key: "tag:a=b", Values: ["c"] }], MaxResults: 5, NextToken: token },
        { identity },
      );
      found.push(...page.InstanceInformationList.map((n: { InstanceId: string }) => n.InstanceId));
      token = page.NextToken;
      requests++;
    } while (token && requests < 10);
    expect(found).toEqual(mine);
    expect(token).toBeUndefined();
    const run = await call(
      "CreateAssociation",
      { Name: "AWS-RunShellScript", Targets: [{ Key: "tag:a", Values: ["b=c"] }], Parameters: { commands: ["echo"] } },
      { identity },
    );
    expect(await runTargets(run.AssociationDescription.AssociationId, identity)).toEqual(other);
  });
});
