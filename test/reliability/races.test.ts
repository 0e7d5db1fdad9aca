/**
 * Races on every invariant (issue 15), each through the real handlers with real concurrency
 * (many calls at once) and each followed by the audit (./audit.ts), which recounts every counter
 * and reference from the stored items. The association invariants (legacy pair, association
 * limit, deletion guard) race in test/associations/invariants.test.ts, the scheduler's double
 * runs in test/executions/scheduler.test.ts ("ticks at once"), both followed by the same audit.
 */
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { FakeAgent } from "../support/agent.ts";
import { commandContent } from "../support/fixtures.ts";
import { type Answer, call, invoke } from "../support/invoke.ts";
import { ManagedNode } from "../support/managed-node.ts";
import { freshTable, type TestTable } from "../support/table.ts";
import { assertAuditClean } from "./audit.ts";

const PARAMETER_LIMIT = 20;
let table: TestTable;

beforeAll(async () => {
  table = await freshTable({ parameterLimit: PARAMETER_LIMIT });
});

afterEach(async () => {
  await assertAuditClean(table);
});

const at = <T>(n: number, make: (i: number) => Promise<T>) => Promise.all(Array.from({ length: n }, (_, i) => make(i)));
const ok = (answers: Answer[]) => answers.filter((answer) => answer.status === 200);
/** Every refusal is one of `types` (never a 5xx). */
function refusedWith(answers: Answer[], types: string[]) {
  for (const answer of answers.filter((a) => a.status !== 200)) {
    expect(answer.status, JSON.stringify(answer.body)).toBe(400);
    expect(types).toContain(answer.body.__type);
  }
}

describe("races, each followed by the audit", () => {
  it("the same document name created 20 times at once: one document, one slot", async () => {
    const answers = await at(20, (i) =>
      invoke("CreateDocument", { Name: "raced-name", Content: commandContent(`${i}`) }),
    );
    expect(ok(answers)).toHaveLength(1);
    refusedWith(answers, ["DocumentAlreadyExists", "TooManyUpdates"]);
  });

  it("20 registrations at once on an activation with a limit of 3: exactly 3 nodes", async () => {
    const { ActivationId, ActivationCode } = await call("CreateActivation", {
      IamRole: "SSMServiceRole",
      RegistrationLimit: 3,
    });
    const agent = new FakeAgent();
    const answers = await at(20, () =>
      invoke(
        "RegisterManagedInstance",
        {
          ActivationCode,
          ActivationId,
          PublicKey: agent.publicKey,
          PublicKeyType: "Rsa",
          Fingerprint: crypto.randomUUID(),
        },
        { unsigned: true },
      ),
    );
    expect(ok(answers)).toHaveLength(3);
    refusedWith(answers, ["RegistrationLimitExceeded", "TooManyUpdates"]);
    const { ActivationList } = await call("DescribeActivations", {
      Filters: [{ FilterKey: "ActivationIds", FilterValues: [ActivationId] }],
    });
    expect(ActivationList[0].RegistrationsCount).toBe(3);
    const nodes = (await table.items()).filter((item) => item.Type === "Node" && item.ActivationId === ActivationId);
    expect(nodes).toHaveLength(3);
  });

  it("status reports of 6 nodes at once, 4 rounds: none refused (issue 26), and the rollup equals the nodes' statuses (no lost update)", async () => {
    const nodes = await at(6, () => ManagedNode.register([{ Key: "race", Value: "status" }]));
    const { AssociationDescription } = await call("CreateAssociation", {
      Name: "AWS-RunShellScript",
      Targets: [{ Key: "tag:race", Values: ["status"] }],
      Parameters: { commands: ["true"] },
    });
    const id = AssociationDescription.AssociationId as string;
    for (const [status, summary] of [
      ["Pending", "Association is pending"],
      ["InProgress", "Executing association"],
      ["InProgress", "1 out of 1 plugin processed"],
    ]) {
      const answers = await at(nodes.length, (i) =>
        (nodes[i] as ManagedNode).report(id, status as string, summary as string),
      );
      refusedWith(answers, []);
    }
    const finals = await at(nodes.length, (i) =>
      (nodes[i] as ManagedNode).report(id, i % 2 ? "Success" : "Failed", "done", i % 2 ? "" : "ExecutionError"),
    );
    refusedWith(finals, []);
    // The rollup (summed from the run's shards) counts exactly the statuses the nodes' stored
    // targets hold (the audit checks the run and each shard too).
    const items = await table.items();
    const targets = items.filter((item) => item.Type === "AssociationTarget" && item.AssociationId === id);
    const byStatus: Record<string, number> = {};
    for (const target of targets) byStatus[target.Status as string] = (byStatus[target.Status as string] ?? 0) + 1;
    const { AssociationDescription: described } = await call("DescribeAssociation", { AssociationId: id });
    expect(described.Overview.AssociationStatusAggregatedCount).toEqual(byStatus);
  });

  it("UpdateAssociationStatus 20 times at once on one legacy association: one status wins, none half-applied", async () => {
    await call("UpdateInstanceInformation", { InstanceId: "i-0ddddddddddddddd1", PlatformType: "Linux" });
    await call("CreateDocument", {
      Name: "raced-legacy",
      Content: JSON.stringify({ schemaVersion: "1.2", runtimeConfig: { "aws:runShellScript": { properties: [] } } }),
    });
    await call("CreateAssociation", { Name: "raced-legacy", InstanceId: "i-0ddddddddddddddd1" });
    const answers = await at(20, (i) =>
      invoke("UpdateAssociationStatus", {
        Name: "raced-legacy",
        InstanceId: "i-0ddddddddddddddd1",
        AssociationStatus: { Date: 1795600000 + i, Name: i % 2 ? "Success" : "Failed", Message: `report ${i}` },
      }),
    );
    expect(ok(answers).length).toBeGreaterThan(0);
    // StatusUnchanged: a report of the status the association already has (the model lists it).
    refusedWith(answers, ["TooManyUpdates", "StatusUnchanged"]);
    const { AssociationDescription } = await call("DescribeAssociation", {
      Name: "raced-legacy",
      InstanceId: "i-0ddddddddddddddd1",
    });
    // The stored status is one a report that was answered 200 wrote, whole (name and message together).
    const winners = ok(answers).map(
      (answer) =>
        `${(answer.body.AssociationDescription as { Status: { Name: string; Message: string } }).Status.Name}|${(answer.body.AssociationDescription as { Status: { Message: string } }).Status.Message}`,
    );
    expect(winners).toContain(`${AssociationDescription.Status.Name}|${AssociationDescription.Status.Message}`);
  });

  it("UpdateAssociation and UpdateAssociationStatus at once on one legacy association: its pair's copy stays the head", async () => {
    // The status reads the legacy pair's copy of the head (shared/store/legacy-copy.ts) and writes
    // on the head's revision; updates (half of them with new parameters, a new run) change the
    // head and the copy together. The audit (afterEach) compares the copy with the head and the
    // copied run target with the run's.
    await call("UpdateInstanceInformation", { InstanceId: "i-0ddddddddddddddd2", PlatformType: "Linux" });
    await call("CreateDocument", {
      Name: "raced-copy",
      Content: JSON.stringify({
        schemaVersion: "1.2",
        parameters: { words: { type: "String", default: "hello" } },
        runtimeConfig: { "aws:runShellScript": { properties: [] } },
      }),
    });
    const { AssociationDescription } = await call("CreateAssociation", {
      Name: "raced-copy",
      InstanceId: "i-0ddddddddddddddd2",
    });
    const id = AssociationDescription.AssociationId;
    const answers = await at(24, (i) =>
      i % 2
        ? invoke("UpdateAssociationStatus", {
            Name: "raced-copy",
            InstanceId: "i-0ddddddddddddddd2",
            AssociationStatus: { Date: 1795600000 + i, Name: i % 4 === 1 ? "Success" : "Failed", Message: `s${i}` },
          })
        : invoke("UpdateAssociation", {
            AssociationId: id,
            ...(i % 4 ? { AssociationName: `name-${i}` } : { Parameters: { words: [`w${i}`] } }),
          }),
    );
    expect(ok(answers).length).toBeGreaterThan(1);
    refusedWith(answers, ["TooManyUpdates", "StatusUnchanged"]);
    // The head holds the last status written and an update that was answered 200.
    const described = (await call("DescribeAssociation", { AssociationId: id })).AssociationDescription;
    const statuses = ok(answers.filter((_, i) => i % 2)).map(
      (answer) => (answer.body.AssociationDescription as { Status: { Message: string } }).Status.Message,
    );
    if (statuses.length > 0) expect(statuses).toContain(described.Status.Message);
    const versions = ok(answers.filter((_, i) => i % 2 === 0)).length;
    expect(Number(described.AssociationVersion)).toBe(1 + versions);
  });

  it("parameters created at once at the limit - 1: exactly one more fits", async () => {
    for (let i = 0; i < PARAMETER_LIMIT - 1; i++)
      await call("PutParameter", { Name: `p-${i}`, Value: "v", Type: "String" });
    const answers = await at(15, (i) => invoke("PutParameter", { Name: `last-${i}`, Value: "v", Type: "String" }));
    expect(ok(answers)).toHaveLength(1);
    refusedWith(answers, ["ParameterLimitExceeded", "TooManyUpdates"]);
  });

  it("one parameter overwritten 30 times at once past its 100 versions: versions without gaps, at most 100", async () => {
    await call("DeleteParameter", { Name: "p-0" });
    await call("PutParameter", { Name: "versions", Value: "v1", Type: "String" });
    for (let v = 2; v <= 95; v++)
      await call("PutParameter", { Name: "versions", Value: `v${v}`, Type: "String", Overwrite: true });
    const answers = await at(30, (i) =>
      invoke("PutParameter", { Name: "versions", Value: `raced-${i}`, Type: "String", Overwrite: true }),
    );
    refusedWith(answers, ["TooManyUpdates"]);
    const { Parameter } = await call("GetParameter", { Name: "versions" });
    expect(Parameter.Version).toBe(95 + ok(answers).length);
  });

  it("20 labels put on one version at once: never more than 10 on it, labels agree both ways", async () => {
    const answers = await at(20, (i) =>
      invoke("LabelParameterVersion", { Name: "versions", ParameterVersion: 100, Labels: [`label-${i}`] }),
    );
    refusedWith(answers, ["TooManyUpdates", "ParameterVersionLabelLimitExceeded"]);
    const history = (await table.items()).find(
      (item) => item.Type === "ParameterVersion" && item.SK === "VERSION#000100",
    );
    expect(((history?.Labels ?? []) as string[]).length).toBeLessThanOrEqual(10);
    const labelled = ok(answers).filter(
      (answer) => ((answer.body.InvalidLabels as string[]) ?? []).length === 0,
    ).length;
    expect(((history?.Labels ?? []) as string[]).length).toBe(labelled);
  });
});
