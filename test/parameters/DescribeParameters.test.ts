/** DescribeParameters: metadata (no values), Filters or ParameterFilters, pages. */
import { beforeAll, describe, expect, it } from "vitest";
import { call, fails } from "../support/invoke.ts";
import { freshTable } from "../support/table.ts";

// biome-ignore lint/suspicious/noExplicitAny: answers are read freely
const names = (answer: Record<string, any>): string[] => answer.Parameters.map((p: { Name: string }) => p.Name);

beforeAll(async () => {
  await freshTable();
  await call("PutParameter", { Name: "/prod/db", Value: "v", Type: "SecureString", Description: "the database" });
  await call("PutParameter", { Name: "/prod/api/url", Value: "v", Type: "String" });
  await call("PutParameter", { Name: "/dev/db", Value: "v", Type: "String", Tier: "Advanced" });
  await call("PutParameter", { Name: "plain", Value: "v", Type: "StringList" });
});

describe("DescribeParameters", () => {
  it("lists metadata in name order, never values", async () => {
    const answer = await call("DescribeParameters", {});
    expect(names(answer)).toEqual(["/dev/db", "/prod/api/url", "/prod/db", "plain"]);
    const db = answer.Parameters.find((p: { Name: string }) => p.Name === "/prod/db");
    expect(db).toEqual({
      Name: "/prod/db",
      ARN: "arn:aws:ssm:us-east-1:000000000000:parameter/prod/db",
      Type: "SecureString",
      KeyId: "alias/aws/ssm",
      LastModifiedDate: expect.any(Number),
      LastModifiedUser: "arn:aws:iam::000000000000:root",
      Description: "the database",
      Version: 1,
      Tier: "Standard",
      Policies: [],
      DataType: "text",
    });
  });

  it("ParameterFilters: Path (OneLevel, Recursive), Name options, Type, Tier", async () => {
    const run = (ParameterFilters: unknown) => call("DescribeParameters", { ParameterFilters }).then(names);
    expect(await run([{ Key: "Path", Values: ["/prod"] }])).toEqual(["/prod/db"]);
    expect(await run([{ Key: "Path", Option: "Recursive", Values: ["/prod"] }])).toEqual(["/prod/api/url", "/prod/db"]);
    expect(await run([{ Key: "Name", Option: "BeginsWith", Values: ["/prod"] }])).toEqual([
      "/prod/api/url",
      "/prod/db",
    ]);
    expect(await run([{ Key: "Name", Option: "Contains", Values: ["db"] }])).toEqual(["/dev/db", "/prod/db"]);
    expect(await run([{ Key: "Name", Values: ["plain"] }])).toEqual(["plain"]);
    expect(await run([{ Key: "Type", Values: ["SecureString", "StringList"] }])).toEqual(["/prod/db", "plain"]);
    expect(await run([{ Key: "Tier", Values: ["Advanced"] }])).toEqual(["/dev/db"]);
  });

  it("Filters (the older form): Name begins with, Type equals", async () => {
    expect(names(await call("DescribeParameters", { Filters: [{ Key: "Name", Values: ["/prod/"] }] }))).toEqual([
      "/prod/api/url",
      "/prod/db",
    ]);
    expect(names(await call("DescribeParameters", { Filters: [{ Key: "Type", Values: ["String"] }] }))).toEqual([
      "/dev/db",
      "/prod/api/url",
    ]);
  });

  it("not Filters and ParameterFilters together; no Label filter; duplicate keys refused", async () => {
    expect(
      await fails("DescribeParameters", {
        Filters: [{ Key: "Name", Values: ["a"] }],
        ParameterFilters: [{ Key: "Name", Values: ["a"] }],
      }),
    ).toMatchObject({
      type: "ValidationException",
      message: "You can use either Filters or ParameterFilters in a single request.",
    });
    expect((await fails("DescribeParameters", { ParameterFilters: [{ Key: "Label", Values: ["x"] }] })).type).toBe(
      "InvalidFilterKey",
    );
    expect(
      (
        await fails("DescribeParameters", {
          ParameterFilters: [
            { Key: "Type", Values: ["String"] },
            { Key: "Type", Values: ["SecureString"] },
          ],
        })
      ).message,
    ).toBe(
      "The following filter is duplicated in the request: Type. A request can contain only one occurrence of a specific filter.",
    );
  });

  it("pages", async () => {
    const first = await call("DescribeParameters", { MaxResults: 3 });
    expect(names(first)).toEqual(["/dev/db", "/prod/api/url", "/prod/db"]);
    const second = await call("DescribeParameters", { MaxResults: 3, NextToken: first.NextToken });
    expect(names(second)).toEqual(["plain"]);
    expect(second.NextToken).toBeUndefined();
  });
});
