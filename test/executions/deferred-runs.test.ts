/**
 * A create's first run too big for its request (issue 30: associations/runs.ts `tooBigForRequest`,
 * more than REQUEST_RUN_TARGETS targets) is handed to the scheduler: CreateAssociation writes the
 * association due now and no run; the next tick plans and writes the run (its targets, its first
 * wave released, the command and the first wave's messages: execution-store.ts `start`) exactly
 * once, conditioned on that due time. 1,520 tagged nodes: 1,500 seeded as registration writes
 * them (test/support/seed-nodes.ts) with ids that sort after the 20 registered ones, which poll
 * the channel as the agent does (test/support/run-command-agent.ts); the targets are dealt in id
 * order, so the 20 are in the first wave (MaxConcurrency 10%: 152).
 */
import { describe, expect, it } from "vitest";
import { REQUEST_RUN_TARGETS } from "../../shared/domain/associations/runs.ts";
import { meterCalls, withoutAuditRecord } from "../support/call-meter.ts";
import { useLocalEndpoint } from "../support/endpoint.ts";
import { DEFAULT_IDENTITY } from "../support/identity.ts";
import { call, invoke } from "../support/invoke.ts";
import { inBatches, ManagedNode } from "../support/managed-node.ts";
import { type AgentMessage, ReplayedAgent } from "../support/run-command-agent.ts";
import { seedNodes } from "../support/seed-nodes.ts";

const server = useLocalEndpoint();

const SEEDED = 1500;
const AGENTS = 20;
const TARGETS = SEEDED + AGENTS;
const FIRST_WAVE = Math.floor(TARGETS / 10);

async function fleet(tag: string): Promise<ReplayedAgent[]> {
  const scope = { accountId: "000000000000", region: DEFAULT_IDENTITY.region as string };
  await seedNodes(server.table.db, server.table.name, scope, SEEDED, {
    tags: () => [{ Key: "fleet", Value: tag }],
    inFlight: 16,
    // After any registered node's id (mi- and 17 hex digits, random).
    id: (i) => `mi-fffff${tag.slice(0, 4)}${String(i).padStart(8, "0")}`,
  });
  const nodes = await ManagedNode.registerFleet(AGENTS, [{ Key: "fleet", Value: tag }]);
  return nodes.map((node) => new ReplayedAgent(server, node.id, node.identity));
}

const create = (tag: string) =>
  invoke("CreateAssociation", {
    Name: "AWS-RunShellScript",
    Parameters: { commands: ["echo big"] },
    Targets: [{ Key: `tag:fleet`, Values: [tag] }],
    MaxConcurrency: "10%",
    MaxErrors: "1%",
  });

const runsOf = async (associationId: string) =>
  (await call("DescribeAssociationExecutions", { AssociationId: associationId })).AssociationExecutions as {
    ExecutionId: string;
    Status: string;
    ResourceCountByStatus: string;
  }[];

const queued = async () => (await server.table.items()).filter((item) => item.Type === "QueuedMessage");
const commandOf = (message: AgentMessage | Record<string, unknown>) => String(message.MessageId).split(".")[2];

describe("a create's first run too big for its request is written by the scheduler's next tick (issue 30)", () => {
  it("CreateAssociation over 1,520 tagged nodes writes the association due now and no run (one transaction of its own items); no node is told anything; the tick writes the run once: 1,520 targets, the first wave of 152 released with one message each; a second tick starts nothing", async () => {
    expect(TARGETS).toBeGreaterThan(REQUEST_RUN_TARGETS);
    const agents = await fleet("deferred");
    const meter = meterCalls(server.table.db);
    await call("ListDocuments", { MaxResults: 1 }); // warms the credential cache
    meter.reset();
    const answer = await create("deferred");
    expect(answer.status).toBe(200);
    const id = (answer.body as { AssociationDescription: { AssociationId: string } }).AssociationDescription
      .AssociationId;
    // The reads (the tag index's pages, the account's slot) and one transaction, no batch of a run.
    const { commands } = withoutAuditRecord([...meter.calls]);
    expect(commands.filter((command) => command === "BatchWriteItem")).toEqual([]);
    expect(commands.filter((command) => command === "TransactWriteItems")).toHaveLength(1);
    expect(await runsOf(id)).toEqual([]);
    expect(await queued()).toEqual([]);
    expect((await inBatches(agents, 10, (agent) => agent.poll())).flat()).toEqual([]);
    const [head] = (await server.table.items()).filter(
      (item) => item.Type === "Association" && item.AssociationId === id,
    );
    expect(head).toMatchObject({ Overview: { Status: "Pending", DetailedStatus: "Creating" } });
    expect(head?.NextRunAt).toBeDefined();
    expect(head?.CurrentExecutionId).toBeUndefined();

    const ticked = await server.table.services.scheduler.tick();
    expect(ticked).toMatchObject({ started: 1 });
    const [run, ...others] = await runsOf(id);
    expect(others).toEqual([]);
    expect(run).toMatchObject({ Status: "Pending", ResourceCountByStatus: `{Pending=${TARGETS}}` });
    // The first wave's messages, one per released node, all of the run's one command.
    const messages = await queued();
    expect(messages).toHaveLength(FIRST_WAVE);
    expect(new Set(messages.map((item) => item.Destination)).size).toBe(FIRST_WAVE);
    expect(new Set(messages.map(commandOf)).size).toBe(1);
    const polled = await inBatches(agents, 10, (agent) => agent.poll());
    expect(polled.every((got) => got.length === 1)).toBe(true);
    expect(new Set(polled.map((got) => commandOf(got[0] as AgentMessage)))).toEqual(new Set(messages.map(commandOf)));
    const { CommandInvocations } = await call("ListCommandInvocations", { CommandId: commandOf(messages[0] ?? {}) });
    expect(CommandInvocations.length).toBeGreaterThan(0);

    // Due no more (no schedule): the next tick starts nothing.
    expect(await server.table.services.scheduler.tick()).toMatchObject({ started: 0 });
    expect(await runsOf(id)).toHaveLength(1);
    const [after] = (await server.table.items()).filter(
      (item) => item.Type === "Association" && item.AssociationId === id,
    );
    expect(after?.NextRunAt).toBeUndefined();
    expect(after?.CurrentExecutionId).toBe(run?.ExecutionId);
  }, 240_000);

  // What a crash inside the tick leaves (store/execution-items.ts: the early batches written, the
  // run's transaction never): nothing reachable, and the association still due, so the next tick
  // writes the run, whose first wave gets its messages once; the dead tick's are never handed out.
  it("a tick that dies between the run's early batches and its transaction leaves the association due and nothing handed out; the next tick pushes the run, and each first-wave node gets exactly one message, of the new run", async () => {
    const agents = await fleet("crashed");
    const earlier = new Set((await queued()).map((item) => String(item.MessageId)));
    const created = (await create("crashed")).body as { AssociationDescription: { AssociationId: string } };
    const id = created.AssociationDescription.AssociationId;
    const db = server.table.db;
    db.middlewareStack.add(
      (next, context) => async (args) => {
        const input = args.input as { RequestItems?: Record<string, unknown> };
        const cleanup = Object.values(input.RequestItems ?? {}).some(
          (requests) => Array.isArray(requests) && requests.some((request) => request.DeleteRequest),
        );
        if (context.commandName === "TransactWriteItemsCommand" || cleanup) throw new Error("the process died");
        return next(args);
      },
      { step: "initialize", name: "crashInTheTick" },
    );
    try {
      await expect(server.table.services.scheduler.tick()).rejects.toThrow("the process died");
    } finally {
      db.middlewareStack.remove("crashInTheTick");
    }
    const orphans = (await queued()).filter((item) => !earlier.has(String(item.MessageId)));
    expect(orphans).toHaveLength(FIRST_WAVE);
    const orphan = commandOf(orphans[0] ?? {});
    expect(await runsOf(id)).toEqual([]);
    expect((await inBatches(agents, 10, (agent) => agent.poll())).flat()).toEqual([]);

    expect(await server.table.services.scheduler.tick()).toMatchObject({ started: 1 });
    expect(await runsOf(id)).toHaveLength(1);
    const polled = await inBatches(agents, 10, (agent) => agent.poll());
    expect(polled.every((got) => got.length === 1)).toBe(true);
    const commands = new Set(polled.map((got) => commandOf(got[0] as AgentMessage)));
    expect(commands.size).toBe(1);
    expect(commands.has(orphan)).toBe(false);
    // Polled again, nothing more (the orphans stay undeliverable).
    expect((await inBatches(agents, 10, (agent) => agent.poll())).flat()).toEqual([]);
  }, 240_000);
});

/**
 * An update's and StartAssociationsOnce's run too big for the request are handed over the same way
 * (associations/runs.ts `tooBigToStartNow`): the request writes the head due now and no run, and
 * the next tick writes the run once, its first wave told once.
 */
describe("an update's and StartAssociationsOnce's run too big for the request are written by the scheduler's next tick (issue 30)", () => {
  const headOf = async (id: string) =>
    (await server.table.items()).find((item) => item.Type === "Association" && item.AssociationId === id);

  // The request's calls: reads and one write of the head, never a run's batches or transaction of many items.
  const meteredCalls = async (send: () => Promise<{ status: number; body: unknown }>) => {
    // One meter at a time on the table's client (a test above leaves its own).
    server.table.db.middlewareStack.remove("meterCalls");
    const meter = meterCalls(server.table.db);
    try {
      await call("ListDocuments", { MaxResults: 1 }); // warms the credential cache
      meter.reset();
      const answer = await send();
      return { answer, commands: withoutAuditRecord([...meter.calls]).commands };
    } finally {
      server.table.db.middlewareStack.remove("meterCalls");
    }
  };

  // What the tick must do after a hand-over: one run, its first wave told once, of one new command.
  async function tickWritesTheRunOnce(id: string, agents: ReplayedAgent[], runsBefore: number) {
    const earlier = new Set((await queued()).map((item) => String(item.MessageId)));
    expect(await server.table.services.scheduler.tick()).toMatchObject({ started: 1 });
    const [run, ...others] = await runsOf(id);
    expect(others).toHaveLength(runsBefore);
    expect(run).toMatchObject({ Status: "Pending", ResourceCountByStatus: `{Pending=${TARGETS}}` });
    const messages = (await queued()).filter((item) => !earlier.has(String(item.MessageId)));
    expect(messages).toHaveLength(FIRST_WAVE);
    expect(new Set(messages.map((item) => item.Destination)).size).toBe(FIRST_WAVE);
    expect(new Set(messages.map(commandOf)).size).toBe(1);
    const polled = await inBatches(agents, 10, (agent) => agent.poll());
    expect(polled.every((got) => got.length === 1)).toBe(true);
    expect(new Set(polled.map((got) => commandOf(got[0] as AgentMessage)))).toEqual(new Set(messages.map(commandOf)));
    expect((await inBatches(agents, 10, (agent) => agent.poll())).flat()).toEqual([]);
    // Handed over once: the next tick starts nothing.
    expect(await server.table.services.scheduler.tick()).toMatchObject({ started: 0 });
    expect(await runsOf(id)).toHaveLength(runsBefore + 1);
    expect((await headOf(id))?.CurrentExecutionId).toBe(run?.ExecutionId);
    return run;
  }

  it("UpdateAssociation from one node to a tag of 1,520 answers version 2 (Pending, Creating) and writes the head due now, no run and no batch; the run it replaces stays current until the tick, which writes the new run once: its first wave of 152 told once; a second tick starts nothing", async () => {
    const agents = await fleet("updated");
    // The small run's one node: a seeded one, which no agent polls for (a replayed agent would see
    // its unanswered message again after the visibility timeout).
    const created = await invoke("CreateAssociation", {
      Name: "AWS-RunShellScript",
      Parameters: { commands: ["echo small"] },
      Targets: [{ Key: "InstanceIds", Values: ["mi-fffffupda00000000"] }],
      MaxConcurrency: "10%",
      MaxErrors: "1%",
    });
    const id = (created.body as { AssociationDescription: { AssociationId: string } }).AssociationDescription
      .AssociationId;
    const [small] = await runsOf(id);
    expect(small).toBeDefined();

    const { answer, commands } = await meteredCalls(() =>
      invoke("UpdateAssociation", {
        AssociationId: id,
        Parameters: { commands: ["echo big"] },
        Targets: [{ Key: "tag:fleet", Values: ["updated"] }],
        MaxConcurrency: "10%",
        MaxErrors: "1%",
      }),
    );
    expect(answer.status).toBe(200);
    // As AWS answers an update (and as before the hand-over): the new version, Pending, Creating.
    expect((answer.body as { AssociationDescription: unknown }).AssociationDescription).toMatchObject({
      AssociationVersion: "2",
      Overview: { Status: "Pending", DetailedStatus: "Creating" },
    });
    expect(commands.filter((command) => command === "BatchWriteItem")).toEqual([]);
    expect(commands.filter((command) => command === "TransactWriteItems")).toHaveLength(1);
    // The tag's index read up to 1,001 nodes: one page of 1,000 and one more (nodes.ts `tagged`).
    expect(commands.filter((command) => command === "Query").length).toBeLessThanOrEqual(2);
    expect(await runsOf(id)).toEqual([small]);
    expect((await inBatches(agents, 10, (agent) => agent.poll())).flat()).toEqual([]);
    const head = await headOf(id);
    expect(head).toMatchObject({ AssociationVersion: 2, CurrentExecutionId: small?.ExecutionId });
    expect(head?.NextRunAt).toBeDefined();

    await tickWritesTheRunOnce(id, agents, 1);
    expect((await headOf(id))?.NextRunAt).toBeUndefined();
  }, 240_000);

  it("CreateAssociationBatch: an entry over a tag of 1,520 is handed over as CreateAssociation's run is (associations.ts `prepare`): no batch written, the entry Successful and Pending, Creating; the tick writes its run once", async () => {
    const agents = await fleet("batched");
    const { answer, commands } = await meteredCalls(() =>
      invoke("CreateAssociationBatch", {
        Entries: [
          {
            Name: "AWS-RunShellScript",
            Parameters: { commands: ["echo batched"] },
            Targets: [{ Key: "tag:fleet", Values: ["batched"] }],
            MaxConcurrency: "10%",
            MaxErrors: "1%",
          },
        ],
      }),
    );
    const { Successful, Failed } = answer.body as {
      Successful: { AssociationId: string; Overview: unknown }[];
      Failed: unknown[];
    };
    expect(Failed).toEqual([]);
    expect(Successful[0]?.Overview).toEqual({ Status: "Pending", DetailedStatus: "Creating" });
    expect(commands.filter((command) => command === "BatchWriteItem")).toEqual([]);
    const id = Successful[0]?.AssociationId as string;
    expect(await runsOf(id)).toEqual([]);
    await tickWritesTheRunOnce(id, agents, 0);
  }, 240_000);

  it("StartAssociationsOnce of a weekly association over 1,520 tagged nodes answers {} and only marks the head due now (one conditional update, no run, no batch); the tick writes the run once, its first wave of 152 told once, and puts the next weekly run back; a second tick starts nothing", async () => {
    const agents = await fleet("startonce");
    // ApplyOnlyAtCronInterval: no run at the create, the next one a week ahead at most.
    const created = await invoke("CreateAssociation", {
      Name: "AWS-RunShellScript",
      Parameters: { commands: ["echo weekly"] },
      Targets: [{ Key: "tag:fleet", Values: ["startonce"] }],
      ScheduleExpression: "cron(0 3 ? * SUN *)",
      ApplyOnlyAtCronInterval: true,
      MaxConcurrency: "10%",
      MaxErrors: "1%",
    });
    expect(created.status).toBe(200);
    const id = (created.body as { AssociationDescription: { AssociationId: string } }).AssociationDescription
      .AssociationId;
    const weekly = (await headOf(id))?.NextRunAt;
    expect(weekly).toBeDefined();
    expect(await runsOf(id)).toEqual([]);

    const earlier = (await queued()).length;
    const { answer, commands } = await meteredCalls(() => invoke("StartAssociationsOnce", { AssociationIds: [id] }));
    expect(answer).toMatchObject({ status: 200, body: {} });
    expect(commands.filter((command) => command === "BatchWriteItem")).toEqual([]);
    expect(commands.filter((command) => command === "TransactWriteItems")).toEqual([]);
    expect(commands.filter((command) => command === "UpdateItem")).toHaveLength(1);
    expect(commands.filter((command) => command === "Query").length).toBeLessThanOrEqual(2);
    expect(await runsOf(id)).toEqual([]);
    expect(await queued()).toHaveLength(earlier);
    expect((await inBatches(agents, 10, (agent) => agent.poll())).flat()).toEqual([]);
    expect(Date.parse(String((await headOf(id))?.NextRunAt))).toBeLessThanOrEqual(Date.now());
    // As a run written by the request left it at once (no counts until the tick).
    const described = await call("DescribeAssociation", { AssociationId: id });
    expect(described.AssociationDescription.Overview).toEqual({ Status: "Pending", DetailedStatus: "Associated" });

    await tickWritesTheRunOnce(id, agents, 0);
    // The schedule as it was: the weekly run next.
    expect((await headOf(id))?.NextRunAt).toBe(weekly);
  }, 240_000);
});

// A head already due (handed over, not yet ticked) has its run about to start: a request in that
// window writes no run of its own, or the tick would start one more (runs.ts `isDue`). What AWS
// does: StartAssociationsOnce on an association whose run is about to start starts it once.
describe("a request while a handed-over run waits for its tick starts no second run (issue 30)", () => {
  let window: Promise<ReplayedAgent[]> | undefined;
  const sharedFleet = () => {
    window ??= fleet("window");
    return window;
  };
  const headOf = async (id: string) =>
    (await server.table.items()).find((item) => item.Type === "Association" && item.AssociationId === id);
  const createdId = (answer: { body: unknown }) =>
    (answer.body as { AssociationDescription: { AssociationId: string } }).AssociationDescription.AssociationId;
  const overviewOf = async (id: string) =>
    (await call("DescribeAssociation", { AssociationId: id })).AssociationDescription.Overview;

  it("StartAssociationsOnce twice before the tick (the create's run handed over, then again): no run until the tick, which writes one; each answer leaves DescribeAssociation Pending, Associated at once (no counts until the tick), also over a current run it replaces", async () => {
    const agents = await sharedFleet();
    const id = createdId(await create("window"));
    expect((await invoke("StartAssociationsOnce", { AssociationIds: [id] })).status).toBe(200);
    expect((await invoke("StartAssociationsOnce", { AssociationIds: [id] })).status).toBe(200);
    expect(await runsOf(id)).toEqual([]);
    expect(await overviewOf(id)).toEqual({ Status: "Pending", DetailedStatus: "Associated" });

    expect(await server.table.services.scheduler.tick()).toMatchObject({ started: 1 });
    const [run, ...others] = await runsOf(id);
    expect(others).toEqual([]);
    expect(run).toMatchObject({ ResourceCountByStatus: `{Pending=${TARGETS}}` });
    // Each agent (all in the first wave) told once, of one command.
    const told = (await inBatches(agents, 10, (agent) => agent.poll())).flat();
    expect(told).toHaveLength(AGENTS);
    expect(new Set(told.map(commandOf)).size).toBe(1);
    expect(await server.table.services.scheduler.tick()).toMatchObject({ started: 0 });

    // Handed over again, over the run just written: shown as a new run, not that run's totals.
    expect((await invoke("StartAssociationsOnce", { AssociationIds: [id] })).status).toBe(200);
    expect(await runsOf(id)).toHaveLength(1);
    expect(await overviewOf(id)).toEqual({ Status: "Pending", DetailedStatus: "Associated" });
    expect(await server.table.services.scheduler.tick()).toMatchObject({ started: 1 });
    expect(await runsOf(id)).toHaveLength(2);
    expect(await overviewOf(id)).toMatchObject({ AssociationStatusAggregatedCount: { Pending: TARGETS } });
    await inBatches(agents, 10, (agent) => agent.poll());
  }, 240_000);

  it("UpdateAssociation to one node (NextRunAt kept) while the create's run waits for its tick: the update's run, small enough for the request, takes the due entry as the tick would (one run, of the new definition, the head due no more); the tick starts nothing", async () => {
    await sharedFleet();
    const id = createdId(await create("window"));
    const node = "mi-fffffwind00000000";
    const updated = await invoke("UpdateAssociation", {
      AssociationId: id,
      Parameters: { commands: ["echo small"] },
      Targets: [{ Key: "InstanceIds", Values: [node] }],
    });
    expect(updated.status).toBe(200);
    const [run, ...others] = await runsOf(id);
    expect(others).toEqual([]);
    expect(run).toMatchObject({ AssociationVersion: "2", ResourceCountByStatus: "{Pending=1}" });
    const { AssociationExecutionTargets } = await call("DescribeAssociationExecutionTargets", {
      AssociationId: id,
      ExecutionId: run?.ExecutionId,
    });
    expect(AssociationExecutionTargets.map((target: { ResourceId: string }) => target.ResourceId)).toEqual([node]);
    expect((await headOf(id))?.NextRunAt).toBeUndefined();

    expect(await server.table.services.scheduler.tick()).toMatchObject({ started: 0 });
    expect(await runsOf(id)).toHaveLength(1);
  }, 240_000);
});
