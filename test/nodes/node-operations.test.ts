import { beforeAll, describe, expect, it } from "vitest";
import { FakeAgent } from "../support/agent.ts";
import { call, fails } from "../support/invoke.ts";
import { freshTable, type TestTable } from "../support/table.ts";

const _scope = { accountId: "000000000000", region: "us-east-1" };
let hybrid: string;
let _table: TestTable;

beforeAll(async () => {
  _table = await freshTable();
  const { ActivationId, ActivationCode } = await call("CreateActivation", {
    IamRole: "FirstRole",
    DefaultInstanceName: "edge",
  });
  const agent = new FakeAgent();
  await agent.register(ActivationId, ActivationCode);
  hybrid = agent.instanceId as string;
  for (const [id, tags] of [
    ["i-0aaaaaaaaaaaaaaa1", [{ Key: "app", Value: "web" }]],
    ["i-0aaaaaaaaaaaaaaa2", [{ Key: "app", Value: "db" }]],
    ["i-0aaaaaaaaaaaaaaa3", [{ Key: "owner", Value: "ops" }]],
  ] as const) {
    await call("UpdateInstanceInformation", { InstanceId: id, PlatformType: "Linux" });
    await call("AddTagsToResource", { ResourceType: "ManagedInstance", ResourceId: id, Tags: tags });
  }
});

describe("UpdateManagedInstanceRole", () => {
  it("changes a hybrid node's role", async () => {
    await call("UpdateManagedInstanceRole", { InstanceId: hybrid, IamRole: "SecondRole" });
    const { InstanceInformationList } = await call("DescribeInstanceInformation", {
      Filters: [{ Key: "IamRole", Values: ["SecondRole"] }],
    });
    expect(InstanceInformationList.map((n: { InstanceId: string }) => n.InstanceId)).toEqual([hybrid]);
  });

  it("refuses an unknown node", async () => {
    expect((await fails("UpdateManagedInstanceRole", { InstanceId: "mi-0123456789abcdef0", IamRole: "r" })).type).toBe(
      "InvalidInstanceId",
    );
  });
});

describe("DescribeActivations", () => {
  it("filters by role and default name, and pages", async () => {
    for (let i = 0; i < 4; i++)
      await call("CreateActivation", { IamRole: "PagedRole", DefaultInstanceName: `paged-${i}` });
    const byRole = await call("DescribeActivations", {
      Filters: [{ FilterKey: "IamRole", FilterValues: ["PagedRole"] }],
    });
    expect(byRole.ActivationList).toHaveLength(4);
    const byName = await call("DescribeActivations", {
      Filters: [{ FilterKey: "DefaultInstanceName", FilterValues: ["edge"] }],
    });
    expect(byName.ActivationList).toHaveLength(1);
    const ids: string[] = [];
    let token: string | undefined;
    do {
      const page = await call("DescribeActivations", { MaxResults: 2, NextToken: token });
      ids.push(...page.ActivationList.map((a: { ActivationId: string }) => a.ActivationId));
      token = page.NextToken;
    } while (token);
    expect(new Set(ids).size).toBe(5);
    expect((await fails("DescribeActivations", { NextToken: "bad" })).type).toBe("InvalidNextToken");
  });
});
