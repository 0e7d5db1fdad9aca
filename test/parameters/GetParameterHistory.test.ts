/** GetParameterHistory: every kept version, oldest first, with labels; pages; SecureString decryption. */
import { beforeAll, describe, expect, it } from "vitest";
import { call, fails } from "../support/invoke.ts";
import { freshTable } from "../support/table.ts";

beforeAll(async () => {
  await freshTable();
  await call("PutParameter", { Name: "/h", Value: "s1", Type: "SecureString", Description: "one" });
  await call("PutParameter", { Name: "/h", Value: "s2", Overwrite: true, Description: "two" });
  await call("PutParameter", { Name: "/h", Value: "s3", Overwrite: true });
  await call("LabelParameterVersion", { Name: "/h", ParameterVersion: 2, Labels: ["blue", "green"] });
});

describe("GetParameterHistory", () => {
  it("lists versions oldest first with their labels", async () => {
    const { Parameters, NextToken } = await call("GetParameterHistory", { Name: "/h", WithDecryption: true });
    expect(NextToken).toBeUndefined();
    expect(
      Parameters.map((p: { Version: number; Value: string; Labels: string[]; Description?: string }) => [
        p.Version,
        p.Value,
        p.Labels,
        p.Description,
      ]),
    ).toEqual([
      [1, "s1", [], "one"],
      [2, "s2", ["blue", "green"], "two"],
      [3, "s3", [], "two"],
    ]);
    expect(Parameters[0]).toMatchObject({
      Name: "/h",
      Type: "SecureString",
      KeyId: "alias/aws/ssm",
      Tier: "Standard",
      DataType: "text",
      LastModifiedUser: "arn:aws:iam::000000000000:root",
    });
  });

  it("without decryption SecureString values stay sealed", async () => {
    const { Parameters } = await call("GetParameterHistory", { Name: "/h" });
    expect(Parameters.map((p: { Value: string }) => p.Value)).not.toContain("s1");
  });

  it("pages", async () => {
    const first = await call("GetParameterHistory", { Name: "/h", MaxResults: 2 });
    expect(first.Parameters.map((p: { Version: number }) => p.Version)).toEqual([1, 2]);
    const second = await call("GetParameterHistory", { Name: "/h", MaxResults: 2, NextToken: first.NextToken });
    expect(second.Parameters.map((p: { Version: number }) => p.Version)).toEqual([3]);
    expect(second.NextToken).toBeUndefined();
  });

  it("a missing parameter is ParameterNotFound", async () => {
    expect((await fails("GetParameterHistory", { Name: "/none" })).type).toBe("ParameterNotFound");
  });
});
