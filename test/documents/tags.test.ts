import { beforeAll, describe, expect, it } from "vitest";
import { commandContent } from "../support/fixtures.ts";
import { call, fails, invoke } from "../support/invoke.ts";
import { freshTable, type TestTable } from "../support/table.ts";

let table: TestTable;
beforeAll(async () => {
  table = await freshTable();
  await call("CreateDocument", { Name: "tagged", Content: commandContent(), Tags: [{ Key: "env", Value: "dev" }] });
});

const tagsOf = async (ResourceId: string) =>
  (await call("ListTagsForResource", { ResourceType: "Document", ResourceId })).TagList;

describe("AddTagsToResource, ListTagsForResource and RemoveTagsFromResource on documents", () => {
  it("adds tags, overwriting the value of an existing key", async () => {
    await call("AddTagsToResource", {
      ResourceType: "Document",
      ResourceId: "tagged",
      Tags: [
        { Key: "env", Value: "prod" },
        { Key: "team", Value: "platform" },
      ],
    });
    expect(await tagsOf("tagged")).toEqual([
      { Key: "env", Value: "prod" },
      { Key: "team", Value: "platform" },
    ]);
    expect((await call("DescribeDocument", { Name: "tagged" })).Document.Tags).toHaveLength(2);
  });

  it("removes tags by key, ignoring keys that are not there", async () => {
    await call("RemoveTagsFromResource", { ResourceType: "Document", ResourceId: "tagged", TagKeys: ["team", "nope"] });
    expect(await tagsOf("tagged")).toEqual([{ Key: "env", Value: "prod" }]);
  });

  it("refuses the 51st tag, writing nothing", async () => {
    const before = await table.items();
    const Tags = Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: "v" }));
    expect(await fails("AddTagsToResource", { ResourceType: "Document", ResourceId: "tagged", Tags })).toMatchObject({
      status: 400,
      type: "TooManyTagsError",
    });
    expect(await table.items()).toEqual(before);
  });

  it("answers InvalidResourceId for a missing or AWS-owned document", async () => {
    for (const ResourceId of ["no-such-doc", "AWS-RunShellScript"]) {
      expect((await fails("ListTagsForResource", { ResourceType: "Document", ResourceId })).type).toBe(
        "InvalidResourceId",
      );
      expect(
        (await fails("AddTagsToResource", { ResourceType: "Document", ResourceId, Tags: [{ Key: "a", Value: "b" }] }))
          .type,
      ).toBe("InvalidResourceId");
    }
  });

  it("answers InvalidResourceType for a resource type this service does not hold", async () => {
    expect(
      (await fails("ListTagsForResource", { ResourceType: "MaintenanceWindow", ResourceId: "mw-0123" })).type,
    ).toBe("InvalidResourceType");
  });

  it("validates tag keys and values against the model", async () => {
    const failure = await fails("AddTagsToResource", {
      ResourceType: "Document",
      ResourceId: "tagged",
      Tags: [{ Key: "bad*key", Value: "v" }, { Key: "ok" }],
    });
    expect(failure).toEqual({
      status: 400,
      type: "ValidationException",
      message:
        "2 validation errors detected: Value 'bad*key' at 'tags.1.member.key' failed to satisfy constraint: Member must satisfy regular expression pattern: ^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$; Value null at 'tags.2.member.value' failed to satisfy constraint: Member must not be null",
    });
  });

  it("keeps every tag of concurrent tag writers, or refuses some with TooManyUpdates", async () => {
    const answers = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        invoke("AddTagsToResource", {
          ResourceType: "Document",
          ResourceId: "tagged",
          Tags: [{ Key: `c${i}`, Value: "x" }],
        }),
      ),
    );
    const applied = answers.flatMap((answer, i) => (answer.status === 200 ? [`c${i}`] : []));
    for (const answer of answers.filter((a) => a.status !== 200)) expect(answer.body.__type).toBe("TooManyUpdates");
    const keys = (await tagsOf("tagged")).map((tag: { Key: string }) => tag.Key);
    for (const key of applied) expect(keys).toContain(key);
  });
});
