/**
 * MaxErrors and MaxConcurrency as AWS counts them, from the one rule both associations and
 * commands use (shared/lib/rate-controls.ts), each row with its source; then the
 * association rows end to end: a fleet of replayed agents, one at a time, every run failing, and
 * the run stops exactly at the error the rule names (terraform-provider-aws #32320: "0 stops after
 * the first error, 3 stops at the 4th").
 */
import { beforeAll, describe, expect, it } from "vitest";
import { COMMAND_DEFAULTS, concurrencyLimit, errorLimit, errorsStop } from "../../shared/lib/rate-controls.ts";
import { call } from "../support/invoke.ts";
import { ManagedNode } from "../support/managed-node.ts";
import { freshTable } from "../support/table.ts";

/** The error a run of `targets` stops at (the first error past the limit). */
const stopsAtError = (maxErrors: string | undefined, targets: number, command = false) => {
  const limit = errorLimit(maxErrors, targets, command ? COMMAND_DEFAULTS : undefined);
  for (let errors = 1; errors <= targets; errors++) if (errorsStop(errors, limit)) return errors;
  return undefined;
};

const ERRORS: { maxErrors?: string; targets: number; stopsAt?: number; source: string }[] = [
  { maxErrors: "0", targets: 10, stopsAt: 1, source: "CreateAssociation: 0 stops after the first error" },
  { maxErrors: "3", targets: 10, stopsAt: 4, source: "CreateAssociation: 3 stops at the fourth error" },
  { maxErrors: "10%", targets: 50, stopsAt: 6, source: "CreateAssociation: 10% of 50 stops at the sixth" },
  { maxErrors: "40%", targets: 10, stopsAt: 5, source: "Config SsmControls: 40% of 10 stops at the fifth" },
  { maxErrors: "10%", targets: 15, stopsAt: 2, source: "rounds down: 10% of 15 is 1, so the 2nd" },
  { maxErrors: "1%", targets: 200, stopsAt: 3, source: "rounds down: 1% of 200 is 2, so the 3rd" },
  { maxErrors: "0%", targets: 10, stopsAt: 1, source: "0% is 0" },
  { maxErrors: "100%", targets: 10, stopsAt: undefined, source: "100% never stops a run" },
  { targets: 10, stopsAt: undefined, source: "an association without MaxErrors: '100% failures'" },
];

const CONCURRENCY: { maxConcurrency?: string; targets: number; runs: number; source: string }[] = [
  { maxConcurrency: "10", targets: 50, runs: 10, source: "a number" },
  { maxConcurrency: "10%", targets: 50, runs: 5, source: "a percentage of the target set" },
  { maxConcurrency: "10%", targets: 15, runs: 1, source: "rounds down: 1.5 is 1" },
  { maxConcurrency: "10%", targets: 5, runs: 1, source: "never below 1 (StackSets' rule; the pattern forbids 0)" },
  { maxConcurrency: "100", targets: 10, runs: 100, source: "more than the targets: all at once" },
  { targets: 40, runs: 40, source: "an association without MaxConcurrency: 100%" },
];

describe("one rule for associations and commands", () => {
  it.each(ERRORS)("MaxErrors $maxErrors of $targets targets stops at error $stopsAt ($source)", (row) => {
    expect(stopsAtError(row.maxErrors, row.targets)).toBe(row.stopsAt);
    // A command counts the same once MaxErrors is given.
    if (row.maxErrors !== undefined) expect(stopsAtError(row.maxErrors, row.targets, true)).toBe(row.stopsAt);
  });

  it.each(CONCURRENCY)("MaxConcurrency $maxConcurrency of $targets targets runs $runs at once ($source)", (row) => {
    expect(concurrencyLimit(row.maxConcurrency, row.targets)).toBe(row.runs);
    if (row.maxConcurrency !== undefined)
      expect(concurrencyLimit(row.maxConcurrency, row.targets, COMMAND_DEFAULTS)).toBe(row.runs);
  });

  it("a command's defaults: MaxErrors 0 (the first error stops it), MaxConcurrency 50 (SendCommand)", () => {
    expect(stopsAtError(undefined, 10, true)).toBe(1);
    expect(concurrencyLimit(undefined, 200, COMMAND_DEFAULTS)).toBe(50);
  });
});

describe("an association's run stops exactly where the rule says (replayed agents, one at a time)", () => {
  beforeAll(async () => {
    await freshTable();
  });

  const ROWS = [
    { maxErrors: "0", targets: 4, failed: 1 },
    { maxErrors: "3", targets: 6, failed: 4 },
    { maxErrors: "40%", targets: 5, failed: 3 },
  ];

  it.each(ROWS)("MaxErrors $maxErrors of $targets: $failed fail, the rest are skipped", async (row) => {
    const tag = `errors-${row.maxErrors.replace("%", "pct")}`;
    const fleet = await ManagedNode.registerFleet(row.targets, [{ Key: "fleet", Value: tag }]);
    const { AssociationDescription: a } = await call("CreateAssociation", {
      Name: "AWS-RunShellScript",
      Parameters: { commands: ["false"] },
      Targets: [{ Key: "tag:fleet", Values: [tag] }],
      MaxConcurrency: "1",
      MaxErrors: row.maxErrors,
    });
    let failed = 0;
    for (let round = 0; round < row.targets; round++) {
      const told = [];
      for (const node of fleet) if ((await node.due()).length > 0) told.push(node);
      if (told.length === 0) break;
      expect(told).toHaveLength(1);
      expect(await (told[0] as ManagedNode).run(a.AssociationId, "Failed")).toEqual([200, 200, 200, 200]);
      failed++;
    }
    expect(failed).toBe(row.failed);
    expect(stopsAtError(row.maxErrors, row.targets)).toBe(row.failed);
    const [run] = (await call("DescribeAssociationExecutions", { AssociationId: a.AssociationId }))
      .AssociationExecutions;
    const skipped = row.targets - row.failed;
    expect(run).toMatchObject({
      Status: "Failed",
      ResourceCountByStatus: skipped > 0 ? `{Failed=${row.failed},Skipped=${skipped}}` : `{Failed=${row.failed}}`,
    });
    // A node the stop left out shows the association Skipped on its own views (issue 29, defect
    // 8): its last poll, told nothing, recorded it. The agent is not told to run it.
    for (const node of fleet) {
      const { InstanceAssociationStatusInfos: infos } = await call("DescribeInstanceAssociationsStatus", {
        InstanceId: node.id,
      });
      const [info] = infos;
      expect(["Failed", "Skipped"]).toContain(info.Status);
      if (info.Status !== "Skipped") continue;
      expect(info).toMatchObject({ AssociationId: a.AssociationId, DetailedStatus: "Skipped" });
      expect(info.ExecutionSummary).toContain("MaxErrors");
      const listed = (await node.associations()).find((x) => x.AssociationId === a.AssociationId);
      expect(listed).toMatchObject({ Status: "Skipped", DetailedStatus: "Skipped" });
      const { InstanceInformationList } = await call("DescribeInstanceInformation", {
        Filters: [{ Key: "InstanceIds", Values: [node.id] }],
      });
      expect(InstanceInformationList[0]).toMatchObject({
        AssociationStatus: "Pending",
        AssociationOverview: { InstanceAssociationStatusAggregatedCount: { Skipped: 1 } },
      });
    }
    const statuses = await Promise.all(
      fleet.map(
        async (node) =>
          (await call("DescribeInstanceAssociationsStatus", { InstanceId: node.id })).InstanceAssociationStatusInfos[0]
            .Status,
      ),
    );
    expect(statuses.filter((status) => status === "Skipped")).toHaveLength(skipped);
  });
});
