/**
 * Association target keys as AWS accepts them. Sources:
 * - awscli/examples/ssm/create-association.rst examples 2 and 3: `--targets "Key=instanceids,Values=..."`
 *   (also with `at(...)` and `--apply-only-at-cron-interval`); the output echoes `"Key": "InstanceIds"`.
 *   aws/aws-cli#6878 shows AWS itself naming the key "InstanceIds" for a lowercase request.
 * - API reference, Target data type, "For State Manager": `InstanceIds` (ids, or `*`) and
 *   `tag:<tag-key>`; "For all Systems Manager tools": `tag-key`.
 * Only the InstanceIds key is evidenced as case-insensitive; tag keys are case-sensitive (they
 * name a tag), and no source shows a lowercase `tag:`/`tag-key` being accepted, so those stay
 * refused as AWS's "Unsupported Target Type" (terraform-provider-aws #15895).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { call, fails } from "../support/invoke.ts";
import { freshTable } from "../support/table.ts";

const NODE = "i-0cb2b964d3e14fd9f";

beforeAll(async () => {
  await freshTable();
  await call("UpdateInstanceInformation", { InstanceId: NODE, PlatformType: "Linux" });
  await call("AddTagsToResource", {
    ResourceType: "ManagedInstance",
    ResourceId: NODE,
    Tags: [{ Key: "Env", Value: "prod" }],
  });
});

const create = (Targets: unknown[], extra: Record<string, unknown> = {}) =>
  call("CreateAssociation", { Name: "AWS-UpdateSSMAgent", Targets, ...extra });

describe("CreateAssociation and UpdateAssociation target keys", () => {
  it("InstanceIds in any case is echoed, stored and matched as InstanceIds", async () => {
    for (const key of ["instanceids", "INSTANCEIDS", "InstanceIDs", "instanceIds"]) {
      const { AssociationDescription: a } = await create([{ Key: key, Values: [NODE] }]);
      expect(a.Targets).toEqual([{ Key: "InstanceIds", Values: [NODE] }]);
      const listed = await call("ListAssociations", {
        AssociationFilterList: [{ key: "AssociationId", value: a.AssociationId }],
      });
      expect(listed.Associations[0].Targets).toEqual([{ Key: "InstanceIds", Values: [NODE] }]);
    }
    // The agent's view: each of them applies to the node.
    const ids = (await call("ListInstanceAssociations", { InstanceId: NODE })).Associations.length;
    expect(ids).toBe(4);
  });

  it("with at(...) and ApplyOnlyAtCronInterval, as create-association example 3", async () => {
    const { AssociationDescription: a } = await create([{ Key: "instanceids", Values: [NODE] }], {
      ScheduleExpression: "at(2030-05-14T15:55:00)",
      ApplyOnlyAtCronInterval: true,
    });
    expect(a).toMatchObject({
      Targets: [{ Key: "InstanceIds", Values: [NODE] }],
      ScheduleExpression: "at(2030-05-14T15:55:00)",
      ApplyOnlyAtCronInterval: true,
    });
  });

  it("InstanceIds=* in any case, tag:<key> and tag-key are accepted as given", async () => {
    const { AssociationDescription: all } = await create([{ Key: "instanceids", Values: ["*"] }]);
    expect(all.Targets).toEqual([{ Key: "InstanceIds", Values: ["*"] }]);
    const { AssociationDescription: tagged } = await create([{ Key: "tag:Env", Values: ["prod"] }]);
    expect(tagged.Targets).toEqual([{ Key: "tag:Env", Values: ["prod"] }]);
    const { AssociationDescription: keyed } = await create([{ Key: "tag-key", Values: ["Env"] }]);
    expect(keyed.Targets).toEqual([{ Key: "tag-key", Values: ["Env"] }]);
  });

  it("an update normalizes the key too", async () => {
    const { AssociationDescription: a } = await create([{ Key: "tag:Env", Values: ["prod"] }]);
    const { AssociationDescription: u } = await call("UpdateAssociation", {
      AssociationId: a.AssociationId,
      Targets: [{ Key: "instanceids", Values: [NODE] }],
    });
    expect(u.Targets).toEqual([{ Key: "InstanceIds", Values: [NODE] }]);
  });

  it("keeps refusing what AWS refuses, with AWS's messages", async () => {
    for (const Key of ["ResourceGroup", "Tag:Env", "TAG-KEY", "instance-ids", "AWS::EC2::Instance"]) {
      expect(
        await fails("CreateAssociation", { Name: "AWS-UpdateSSMAgent", Targets: [{ Key, Values: ["x"] }] }),
      ).toEqual({ status: 400, type: "InvalidTarget", message: "Unsupported Target Type" });
    }
    expect(await fails("CreateAssociation", { Name: "AWS-UpdateSSMAgent" })).toEqual({
      status: 400,
      type: "InvalidTarget",
      message: "Instance ID or targets must be specified",
    });
  });
});
