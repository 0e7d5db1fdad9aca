/** GetParametersByPath: one level or recursive, ParameterFilters as the API defines them, pages. */
import { beforeAll, describe, expect, it } from "vitest";
import { call, fails } from "../support/invoke.ts";
import { freshTable } from "../support/table.ts";

// biome-ignore lint/suspicious/noExplicitAny: answers are read freely
const names = (answer: Record<string, any>): string[] => answer.Parameters.map((p: { Name: string }) => p.Name);

beforeAll(async () => {
  await freshTable();
  for (const [Name, Type] of [
    ["/app/a", "String"],
    ["/app/b", "SecureString"],
    ["/app/sub/c", "String"],
    ["/app/sub/deep/d", "StringList"],
    ["/apple", "String"],
    ["/other/x", "String"],
    ["top", "String"],
  ]) {
    await call("PutParameter", { Name, Value: `value of ${Name}`, Type });
  }
  await call("PutParameter", { Name: "/app/a", Value: "a2", Overwrite: true });
  await call("LabelParameterVersion", { Name: "/app/a", ParameterVersion: 1, Labels: ["stable"] });
  await call("AddTagsToResource", {
    ResourceType: "Parameter",
    ResourceId: "/app/sub/c",
    Tags: [{ Key: "team", Value: "core" }],
  });
});

describe("GetParametersByPath", () => {
  it("one level below the path by default; a trailing slash is the same path", async () => {
    expect(names(await call("GetParametersByPath", { Path: "/app" }))).toEqual(["/app/a", "/app/b"]);
    expect(names(await call("GetParametersByPath", { Path: "/app/" }))).toEqual(["/app/a", "/app/b"]);
    expect(names(await call("GetParametersByPath", { Path: "/" }))).toEqual(["/apple"]);
  });

  it("Recursive: every level below", async () => {
    expect(names(await call("GetParametersByPath", { Path: "/app", Recursive: true }))).toEqual([
      "/app/a",
      "/app/b",
      "/app/sub/c",
      "/app/sub/deep/d",
    ]);
  });

  it("WithDecryption opens SecureString values", async () => {
    const sealed = await call("GetParametersByPath", { Path: "/app" });
    expect(sealed.Parameters[1].Value).not.toBe("value of /app/b");
    const open = await call("GetParametersByPath", { Path: "/app", WithDecryption: true });
    expect(open.Parameters[1]).toMatchObject({ Name: "/app/b", Type: "SecureString", Value: "value of /app/b" });
  });

  it("pages with MaxResults and NextToken; a bad token is InvalidNextToken", async () => {
    const first = await call("GetParametersByPath", { Path: "/app", Recursive: true, MaxResults: 3 });
    expect(names(first)).toEqual(["/app/a", "/app/b", "/app/sub/c"]);
    const second = await call("GetParametersByPath", {
      Path: "/app",
      Recursive: true,
      MaxResults: 3,
      NextToken: first.NextToken,
    });
    expect(names(second)).toEqual(["/app/sub/deep/d"]);
    expect(second.NextToken).toBeUndefined();
    expect((await fails("GetParametersByPath", { Path: "/app", NextToken: "garbage" })).type).toBe("InvalidNextToken");
    expect((await fails("GetParametersByPath", { Path: "/app", MaxResults: 11 })).type).toBe("ValidationException");
  });

  it("ParameterFilters: Type, tag:, Label (showing the labelled version)", async () => {
    const lists = await call("GetParametersByPath", {
      Path: "/app",
      Recursive: true,
      ParameterFilters: [{ Key: "Type", Values: ["StringList"] }],
    });
    expect(names(lists)).toEqual(["/app/sub/deep/d"]);
    const tagged = await call("GetParametersByPath", {
      Path: "/app",
      Recursive: true,
      ParameterFilters: [{ Key: "tag:team", Values: ["core"] }],
    });
    expect(names(tagged)).toEqual(["/app/sub/c"]);
    const labelled = await call("GetParametersByPath", {
      Path: "/app",
      ParameterFilters: [{ Key: "Label", Values: ["stable"] }],
    });
    expect(labelled.Parameters).toHaveLength(1);
    expect(labelled.Parameters[0]).toMatchObject({ Name: "/app/a", Version: 1, Value: "value of /app/a" });
  });

  it("filters this operation does not take, bad options and missing values", async () => {
    expect(
      await fails("GetParametersByPath", { Path: "/app", ParameterFilters: [{ Key: "Name", Values: ["x"] }] }),
    ).toEqual({
      status: 400,
      type: "InvalidFilterKey",
      message:
        "The following filter key is not valid: Name. Valid filter keys include: [Type, KeyId, Label, DataType].",
    });
    expect(
      (
        await fails("GetParametersByPath", {
          Path: "/app",
          ParameterFilters: [{ Key: "Type", Option: "Contains", Values: ["String"] }],
        })
      ).type,
    ).toBe("InvalidFilterOption");
    expect((await fails("GetParametersByPath", { Path: "/app", ParameterFilters: [{ Key: "Type" }] })).type).toBe(
      "InvalidFilterValue",
    );
    expect(
      (await fails("GetParametersByPath", { Path: "/app", ParameterFilters: [{ Key: "Type", Values: ["Number"] }] }))
        .type,
    ).toBe("InvalidFilterValue");
  });

  it("a path must begin with a slash", async () => {
    expect((await fails("GetParametersByPath", { Path: "app" })).type).toBe("ValidationException");
  });
});
