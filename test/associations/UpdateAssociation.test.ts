/**
 * UpdateAssociation: which members an update keeps when the request leaves them out, and which it
 * clears. Sources:
 * - kept: Name and Targets. The published outputs keep both: awscli/examples/ssm/update-association.rst
 *   example 1 (`--document-version "$LATEST"` on a `tag:Name=Linux` association) and example 2
 *   (`--schedule-expression` only), and the API reference's own sample (API_UpdateAssociation,
 *   request `{AssociationId, ComplianceSeverity}`, response with Name and Targets). The reference
 *   note says the opposite ("removes all optional parameters ... This includes the Name
 *   parameter"); we follow the published outputs.
 * - kept: a legacy association's InstanceId (not a member of UpdateAssociationRequest at all).
 * - cleared: every other optional member (the API_UpdateAssociation note; observed for Parameters
 *   and AssociationName in terraform-provider-aws #3407, fixed by PR #5537). DocumentVersion reads
 *   back `$DEFAULT` (example 2 and the API sample), ApplyOnlyAtCronInterval `false` (same).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { calendarContent, commandContent } from "../support/fixtures.ts";
import { call, fails } from "../support/invoke.ts";
import { freshTable } from "../support/table.ts";

const NODE = "i-0aaaaaaaaaaaaaaa1";
const LEGACY_NODE = "i-0bbbbbbbbbbbbbbb2";

beforeAll(async () => {
  await freshTable();
  for (const id of [NODE, LEGACY_NODE])
    await call("UpdateInstanceInformation", { InstanceId: id, PlatformType: "Linux" });
  await call("CreateDocument", { Name: "say-doc", Content: commandContent("first") });
  await call("UpdateDocument", { Name: "say-doc", Content: commandContent("second"), DocumentVersion: "$LATEST" });
  // CalendarNames must name Change Calendars (test/associations/calendar-names.test.ts).
  await call("CreateDocument", {
    Name: "my-calendar",
    Content: calendarContent("DEFAULT_OPEN"),
    DocumentType: "ChangeCalendar",
    DocumentFormat: "TEXT",
  });
});

/** Every optional member a create can set, so the update shows what survives. */
const everything = {
  Name: "say-doc",
  DocumentVersion: "2",
  Targets: [{ Key: "tag:Name", Values: ["Linux"] }],
  Parameters: { message: ["hi"] },
  ScheduleExpression: "cron(0 2 ? * SUN *)",
  ScheduleOffset: 2,
  ApplyOnlyAtCronInterval: true,
  AssociationName: "weekly",
  MaxConcurrency: "10%",
  MaxErrors: "1",
  ComplianceSeverity: "HIGH",
  SyncCompliance: "MANUAL",
  OutputLocation: { S3Location: { OutputS3BucketName: "my-bucket", OutputS3KeyPrefix: "runs" } },
  CalendarNames: ["my-calendar"],
  Duration: 4,
};

describe("UpdateAssociation keeps Name and Targets, clears the other omitted members", () => {
  it("an update naming only DocumentVersion (update-association example 1)", async () => {
    const { AssociationDescription: created } = await call("CreateAssociation", everything);
    const { AssociationDescription: updated } = await call("UpdateAssociation", {
      AssociationId: created.AssociationId,
      DocumentVersion: "$LATEST",
    });
    // The exact members of the published output: nothing cleared comes back.
    expect(Object.keys(updated).sort()).toEqual(
      [
        "ApplyOnlyAtCronInterval",
        "AssociationId",
        "AssociationVersion",
        "Date",
        "DocumentVersion",
        "LastUpdateAssociationDate",
        "Name",
        "Overview",
        "Targets",
      ].sort(),
    );
    expect(updated).toMatchObject({
      Name: "say-doc",
      AssociationVersion: "2",
      DocumentVersion: "$LATEST",
      Targets: [{ Key: "tag:Name", Values: ["Linux"] }],
      Overview: { Status: "Pending", DetailedStatus: "Creating" },
      ApplyOnlyAtCronInterval: false,
    });
    // DescribeAssociation reads the same members; version 1 keeps everything it had. Only the
    // overview has moved on: the update started a run, so the association reads Associated, as
    // describe-association shows one that no node has run yet (shared/domain/associations/runs.ts).
    const described = await call("DescribeAssociation", { AssociationId: created.AssociationId });
    expect(described.AssociationDescription).toEqual({
      ...updated,
      Overview: { Status: "Pending", DetailedStatus: "Associated" },
    });
    const v1 = await call("DescribeAssociation", { AssociationId: created.AssociationId, AssociationVersion: "1" });
    expect(v1.AssociationDescription).toMatchObject({ AssociationName: "weekly", ComplianceSeverity: "HIGH" });
  });

  it("an update naming only ScheduleExpression (update-association example 2): DocumentVersion back to $DEFAULT", async () => {
    const { AssociationDescription: created } = await call("CreateAssociation", everything);
    const { AssociationDescription: updated } = await call("UpdateAssociation", {
      AssociationId: created.AssociationId,
      ScheduleExpression: "cron(0 0 0/4 1/1 * ? *)",
    });
    expect(updated).toMatchObject({
      Name: "say-doc",
      DocumentVersion: "$DEFAULT",
      Targets: [{ Key: "tag:Name", Values: ["Linux"] }],
      ScheduleExpression: "cron(0 0 0/4 1/1 * ? *)",
      ApplyOnlyAtCronInterval: false,
    });
    for (const cleared of [
      "Parameters",
      "AssociationName",
      "MaxConcurrency",
      "MaxErrors",
      "ComplianceSeverity",
      "SyncCompliance",
      "OutputLocation",
      "CalendarNames",
      "ScheduleOffset",
      "Duration",
    ]) {
      expect(updated, cleared).not.toHaveProperty(cleared);
    }
  });

  // The fault run (test/reliability/faults.ts) resolves a failed update or delete by id for this
  // reason: a by-name lookup of an association updated without its name rightly finds nothing.
  it("an update that omits AssociationName clears it: the AssociationName filter no longer finds it, its id does", async () => {
    const { AssociationDescription: created } = await call("CreateAssociation", {
      ...everything,
      AssociationName: "named-until-updated",
    });
    const byName = { AssociationFilterList: [{ key: "AssociationName", value: "named-until-updated" }] };
    expect(
      (await call("ListAssociations", byName)).Associations.map((a: { AssociationId: string }) => a.AssociationId),
    ).toEqual([created.AssociationId]);
    await call("UpdateAssociation", { AssociationId: created.AssociationId, ScheduleExpression: "rate(45 minutes)" });
    expect((await call("ListAssociations", byName)).Associations).toEqual([]);
    const described = await call("DescribeAssociation", { AssociationId: created.AssociationId });
    expect(described.AssociationDescription).toMatchObject({ AssociationVersion: "2" });
    expect(described.AssociationDescription).not.toHaveProperty("AssociationName");
  });

  it("the API reference sample: {AssociationId, ComplianceSeverity} keeps Name and Targets", async () => {
    const { AssociationDescription: created } = await call("CreateAssociation", {
      Name: "AWS-UpdateSSMAgent",
      Targets: [{ Key: "tag:ssm", Values: ["true"] }],
    });
    const { AssociationDescription: updated } = await call("UpdateAssociation", {
      AssociationId: created.AssociationId,
      ComplianceSeverity: "HIGH",
    });
    expect(updated).toMatchObject({
      ApplyOnlyAtCronInterval: false,
      AssociationVersion: "2",
      ComplianceSeverity: "HIGH",
      DocumentVersion: "$DEFAULT",
      Name: "AWS-UpdateSSMAgent",
      Overview: { DetailedStatus: "Creating", Status: "Pending" },
      Targets: [{ Key: "tag:ssm", Values: ["true"] }],
    });
  });

  it("Targets given replace the old ones", async () => {
    const { AssociationDescription: created } = await call("CreateAssociation", {
      Name: "AWS-UpdateSSMAgent",
      Targets: [{ Key: "tag:ssm", Values: ["true"] }],
    });
    const { AssociationDescription: retargeted } = await call("UpdateAssociation", {
      AssociationId: created.AssociationId,
      Targets: [{ Key: "InstanceIds", Values: [NODE] }],
    });
    expect(retargeted.Targets).toEqual([{ Key: "InstanceIds", Values: [NODE] }]);
  });

  it("a legacy association keeps its InstanceId (and the Targets AWS shows for it)", async () => {
    const { AssociationDescription: legacy } = await call("CreateAssociation", {
      Name: "AWS-UpdateSSMAgent",
      InstanceId: LEGACY_NODE,
    });
    const { AssociationDescription: updated } = await call("UpdateAssociation", {
      AssociationId: legacy.AssociationId,
      Parameters: { version: ["3.3.0.0"] },
    });
    expect(updated).toMatchObject({
      Name: "AWS-UpdateSSMAgent",
      InstanceId: LEGACY_NODE,
      Targets: [{ Key: "InstanceIds", Values: [LEGACY_NODE] }],
      Parameters: { version: ["3.3.0.0"] },
      AssociationVersion: "2",
    });
    // Its node and document still can't change.
    expect(
      (
        await fails("UpdateAssociation", {
          AssociationId: legacy.AssociationId,
          Targets: [{ Key: "InstanceIds", Values: [NODE] }],
        })
      ).type,
    ).toBe("InvalidUpdate");
  });
});
