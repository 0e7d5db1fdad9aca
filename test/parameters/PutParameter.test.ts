/**
 * PutParameter through the real handler on DynamoDB Local: types, SecureString sealed at rest,
 * Overwrite and versions, tags (never with Overwrite), AllowedPattern, DataType, tiers and their
 * value limits, KeyId, and AWS's name rules. Bad input writes nothing.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { call, fails } from "../support/invoke.ts";
import { freshTable, type TestTable } from "../support/table.ts";

let table: TestTable;
const parameterItems = async () => (await table.items()).filter((item) => String(item.PK).startsWith("PARAM#"));

beforeAll(async () => {
  table = await freshTable();
});

describe("PutParameter", () => {
  it("creates version 1 in the Standard tier and answers {Version, Tier}", async () => {
    expect(await call("PutParameter", { Name: "/app/db/host", Value: "db.local", Type: "String" })).toEqual({
      Version: 1,
      Tier: "Standard",
    });
    const { Parameter } = await call("GetParameter", { Name: "/app/db/host" });
    expect(Parameter).toMatchObject({
      Name: "/app/db/host",
      Type: "String",
      Value: "db.local",
      Version: 1,
      DataType: "text",
      ARN: "arn:aws:ssm:us-east-1:000000000000:parameter/app/db/host",
    });
    expect(typeof Parameter.LastModifiedDate).toBe("number");
  });

  it("an existing name without Overwrite is ParameterAlreadyExists, in AWS's words", async () => {
    await call("PutParameter", { Name: "dup", Value: "a", Type: "String" });
    expect(await fails("PutParameter", { Name: "dup", Value: "b", Type: "String" })).toEqual({
      status: 400,
      type: "ParameterAlreadyExists",
      message:
        "The parameter already exists. To overwrite this value, set the overwrite option in the request to true.",
    });
  });

  it("Overwrite writes a new version and keeps what it does not restate", async () => {
    await call("PutParameter", {
      Name: "ow",
      Value: "1",
      Type: "String",
      Description: "first",
      AllowedPattern: "^\\d+$",
    });
    expect(await call("PutParameter", { Name: "ow", Value: "2", Overwrite: true })).toEqual({
      Version: 2,
      Tier: "Standard",
    });
    expect(await fails("PutParameter", { Name: "ow", Value: "x", Overwrite: true })).toMatchObject({
      type: "ParameterPatternMismatchException",
      message: "Parameter value, cannot be validated against allowedPattern: ^\\d+$",
    });
    const described = await call("DescribeParameters", {
      ParameterFilters: [{ Key: "Name", Values: ["ow"] }],
    });
    expect(described.Parameters[0]).toMatchObject({ Name: "ow", Version: 2, Description: "first" });
  });

  it("Overwrite on a new name creates it", async () => {
    expect(await call("PutParameter", { Name: "fresh", Value: "v", Type: "String", Overwrite: true })).toEqual({
      Version: 1,
      Tier: "Standard",
    });
  });

  it("a new parameter needs a Type", async () => {
    expect(await fails("PutParameter", { Name: "typeless", Value: "v" })).toMatchObject({
      type: "ValidationException",
      message: "A parameter type is required when you create a parameter.",
    });
  });

  it("SecureString is sealed at rest and shown only WithDecryption", async () => {
    await call("PutParameter", { Name: "/app/secret", Value: "hunter2", Type: "SecureString" });
    const stored = (await parameterItems()).filter((item) => item.Name === "/app/secret");
    expect(stored.length).toBe(2);
    for (const item of stored) {
      expect(JSON.stringify(item)).not.toContain("hunter2");
      expect(item.KeyId).toBe("alias/aws/ssm");
    }
    const plain = await call("GetParameter", { Name: "/app/secret" });
    expect(plain.Parameter.Value).not.toBe("hunter2");
    expect(plain.Parameter.Value).toMatch(/^[A-Za-z0-9+/=]+$/);
    const decrypted = await call("GetParameter", { Name: "/app/secret", WithDecryption: true });
    expect(decrypted.Parameter).toMatchObject({ Type: "SecureString", Value: "hunter2" });
  });

  it("KeyId: the forms KMS accepts, only for SecureString", async () => {
    await call("PutParameter", {
      Name: "keyed",
      Value: "s",
      Type: "SecureString",
      KeyId: "arn:aws:kms:us-east-1:000000000000:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    });
    expect(await fails("PutParameter", { Name: "badkey", Value: "s", Type: "SecureString", KeyId: "nokey" })).toEqual({
      status: 400,
      type: "InvalidKeyId",
      message: "The query key ID isn't valid.",
    });
    expect(
      await fails("PutParameter", { Name: "plainkey", Value: "s", Type: "String", KeyId: "alias/aws/ssm" }),
    ).toMatchObject({ type: "ValidationException" });
  });

  it("StringList keeps its comma-separated value", async () => {
    await call("PutParameter", { Name: "/list", Value: "a,b,c", Type: "StringList" });
    expect((await call("GetParameter", { Name: "/list" })).Parameter).toMatchObject({
      Type: "StringList",
      Value: "a,b,c",
    });
  });

  it("Tags at creation; refused together with Overwrite, as AWS refuses", async () => {
    await call("PutParameter", { Name: "tagged", Value: "v", Type: "String", Tags: [{ Key: "env", Value: "prod" }] });
    expect((await call("ListTagsForResource", { ResourceType: "Parameter", ResourceId: "tagged" })).TagList).toEqual([
      { Key: "env", Value: "prod" },
    ]);
    expect(
      await fails("PutParameter", {
        Name: "tagged",
        Value: "w",
        Overwrite: true,
        Tags: [{ Key: "env", Value: "dev" }],
      }),
    ).toEqual({
      status: 400,
      type: "ValidationException",
      message:
        "Invalid request: tags and overwrite can't be used together. To create a parameter with tags, please remove overwrite flag. To update tags for an existing parameter, please use AddTagsToResource or RemoveTagsFromResource.",
    });
    const tooMany = Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: "v" }));
    expect((await fails("PutParameter", { Name: "many-tags", Value: "v", Type: "String", Tags: tooMany })).type).toBe(
      "TooManyTagsError",
    );
  });

  it("AllowedPattern must be a regular expression, and the value must match it", async () => {
    expect(
      (await fails("PutParameter", { Name: "badpattern", Value: "1", Type: "String", AllowedPattern: "([" })).type,
    ).toBe("InvalidAllowedPatternException");
    expect(
      (await fails("PutParameter", { Name: "mismatch", Value: "abc", Type: "String", AllowedPattern: "^\\d+$" })).type,
    ).toBe("ParameterPatternMismatchException");
  });

  it("DataType: text, aws:ec2:image with an AMI id, anything else refused", async () => {
    await call("PutParameter", {
      Name: "/images/golden",
      Value: "ami-0123456789abcdef0",
      Type: "String",
      DataType: "aws:ec2:image",
    });
    expect((await call("GetParameter", { Name: "/images/golden" })).Parameter.DataType).toBe("aws:ec2:image");
    expect(
      (
        await fails("PutParameter", {
          Name: "/images/bad",
          Value: "not-an-ami",
          Type: "String",
          DataType: "aws:ec2:image",
        })
      ).type,
    ).toBe("ValidationException");
    expect(await fails("PutParameter", { Name: "dt", Value: "v", Type: "String", DataType: "json" })).toMatchObject({
      type: "ValidationException",
      message: "The following data type is not supported: json (Data type names are all lowercase.)",
    });
  });

  it("tiers: 4 KB Standard, 8 KB Advanced, Intelligent-Tiering picks, no downgrade", async () => {
    const big = "x".repeat(4097);
    expect((await fails("PutParameter", { Name: "big", Value: big, Type: "String" })).message).toMatch(
      /^Standard tier parameters support a maximum parameter value of 4096 characters/,
    );
    expect(await call("PutParameter", { Name: "big", Value: big, Type: "String", Tier: "Advanced" })).toEqual({
      Version: 1,
      Tier: "Advanced",
    });
    expect(
      (await fails("PutParameter", { Name: "huge", Value: "x".repeat(8193), Type: "String", Tier: "Advanced" })).type,
    ).toBe("ValidationException");
    expect(
      await call("PutParameter", { Name: "smart", Value: big, Type: "String", Tier: "Intelligent-Tiering" }),
    ).toEqual({ Version: 1, Tier: "Advanced" });
    expect(
      await call("PutParameter", { Name: "smart-small", Value: "x", Type: "String", Tier: "Intelligent-Tiering" }),
    ).toEqual({ Version: 1, Tier: "Standard" });
    expect(
      (await fails("PutParameter", { Name: "big", Value: "x", Overwrite: true, Tier: "Standard" })).message,
    ).toMatch(/can't downgrade a parameter from the advanced-parameter tier/);
    // No tier on an overwrite keeps Advanced.
    expect(await call("PutParameter", { Name: "big", Value: "y", Overwrite: true })).toEqual({
      Version: 2,
      Tier: "Advanced",
    });
  });

  it("Policies only in the Advanced tier", async () => {
    const policy = { Type: "Expiration", Version: "1.0", Attributes: { Timestamp: "2030-12-02T21:34:33.000Z" } };
    const Policies = JSON.stringify([policy]);
    expect((await fails("PutParameter", { Name: "pol", Value: "v", Type: "String", Policies })).type).toBe(
      "ValidationException",
    );
    await call("PutParameter", { Name: "pol", Value: "v", Type: "String", Policies, Tier: "Advanced" });
    const described = await call("DescribeParameters", { ParameterFilters: [{ Key: "Name", Values: ["pol"] }] });
    expect(described.Parameters[0].Policies).toEqual([
      { PolicyText: JSON.stringify(policy), PolicyType: "Expiration", PolicyStatus: "Pending" },
    ]);
    expect(
      (
        await fails("PutParameter", {
          Name: "pol2",
          Value: "v",
          Type: "String",
          Tier: "Advanced",
          Policies: JSON.stringify([{ Type: "Explode", Version: "1.0", Attributes: {} }]),
        })
      ).type,
    ).toBe("InvalidPolicyTypeException");
  });

  it("names: reserved prefixes, hierarchy depth, characters, a path must start with /", async () => {
    expect(await fails("PutParameter", { Name: "awsThing", Value: "v", Type: "String" })).toMatchObject({
      type: "ValidationException",
      message: 'Parameter name: can\'t be prefixed with "aws" or "ssm" (case-insensitive).',
    });
    expect((await fails("PutParameter", { Name: "SSM-x", Value: "v", Type: "String" })).type).toBe(
      "ValidationException",
    );
    expect((await fails("PutParameter", { Name: "/aws/mine", Value: "v", Type: "String" })).type).toBe(
      "AccessDeniedException",
    );
    expect((await fails("PutParameter", { Name: "a/b", Value: "v", Type: "String" })).message).toMatch(
      /^Parameter name: can't be prefixed with "ssm"/,
    );
    expect((await fails("PutParameter", { Name: "/has space", Value: "v", Type: "String" })).type).toBe(
      "ValidationException",
    );
    const deep = Array.from({ length: 16 }, (_, i) => `l${i}`).join("/");
    expect(await fails("PutParameter", { Name: `/${deep}`, Value: "v", Type: "String" })).toMatchObject({
      type: "HierarchyLevelLimitExceededException",
    });
    const fifteen = Array.from({ length: 15 }, (_, i) => `l${i}`).join("/");
    await call("PutParameter", { Name: `/${fifteen}`, Value: "v", Type: "String" });
    // Names are case-sensitive.
    await call("PutParameter", { Name: "Case", Value: "upper", Type: "String" });
    await call("PutParameter", { Name: "case", Value: "lower", Type: "String" });
    expect((await call("GetParameter", { Name: "Case" })).Parameter.Value).toBe("upper");
  });

  it("an empty value is refused as AWS's validation refuses it", async () => {
    expect((await fails("PutParameter", { Name: "empty", Value: "", Type: "String" })).type).toBe(
      "ValidationException",
    );
  });

  it("refusals write nothing", async () => {
    const before = (await table.items()).length;
    await fails("PutParameter", { Name: "nothing", Value: "x".repeat(5000), Type: "String" });
    await fails("PutParameter", { Name: "awsnothing", Value: "v", Type: "String" });
    await fails("PutParameter", { Name: "nothing2", Value: "abc", Type: "String", AllowedPattern: "^\\d+$" });
    expect((await table.items()).length).toBe(before);
  });
});
