import { beforeAll, describe, expect, it } from "vitest";
import { DOCUMENT_LIMIT, Documents, VERSION_LIMIT } from "../../shared/domain/documents/documents.ts";
import { DocumentVersionLimitExceeded } from "../../shared/errors.ts";
import { DynamoDocumentStore } from "../../shared/store/document-store.ts";
import { commandContent } from "../support/fixtures.ts";
import { call, invoke } from "../support/invoke.ts";
import { freshTable, type TestTable } from "../support/table.ts";

let table: TestTable;
beforeAll(async () => {
  table = await freshTable();
});

const scope = { accountId: "000000000000", region: "us-east-1" };

describe("limits", () => {
  it("are AWS's quotas", () => {
    expect(DOCUMENT_LIMIT).toBe(500);
    expect(VERSION_LIMIT).toBe(1000);
  });

  it("holds the 500-document limit under concurrent creates", async () => {
    // Fill to 495 in parallel batches, then race 20 creates for the last 5 slots.
    for (let start = 0; start < 495; start += 25) {
      const batch = Array.from({ length: 25 }, (_, i) =>
        call("CreateDocument", { Name: `limit-${start + i}`, Content: commandContent(String(start + i)) }),
      );
      await Promise.all(batch);
    }
    const race = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        invoke("CreateDocument", { Name: `race-${i}`, Content: commandContent(`r${i}`) }),
      ),
    );
    const created = race.filter((answer) => answer.status === 200).length;
    const refused = race.filter((answer) => answer.body.__type === "DocumentLimitExceeded");
    const conflicted = race.filter((answer) => answer.body.__type === "TooManyUpdates");
    expect(created).toBeLessThanOrEqual(5);
    expect(created + refused.length + conflicted.length).toBe(20);
    expect(refused[0]?.body.message).toBe("You can have at most 500 active SSM documents.");

    // Whatever the race left, the count is exact and the limit holds.
    const own = (await table.items()).filter((item) => item.Type === "Document");
    const counter = (await table.items()).find((item) => item.SK === "COUNTER#Documents");
    expect(counter?.Count).toBe(own.length);
    while ((await table.items()).filter((item) => item.Type === "Document").length < 500) {
      await invoke("CreateDocument", {
        Name: `fill-${Math.random().toString(36).slice(2, 10)}`,
        Content: commandContent(String(Math.random())),
      });
    }
    expect((await invoke("CreateDocument", { Name: "one-too-many", Content: commandContent("x") })).body.__type).toBe(
      "DocumentLimitExceeded",
    );
    // Deleting one frees a slot.
    await call("DeleteDocument", { Name: "limit-0" });
    expect((await invoke("CreateDocument", { Name: "one-too-many", Content: commandContent("x") })).status).toBe(200);
  }, 120_000);

  it("refuses a version beyond the version limit", async () => {
    const documents = new Documents(new DynamoDocumentStore(table.db, table.name), {
      documents: 1000,
      versions: 3,
    });
    await documents.create(scope, { Name: "few-versions", Content: commandContent("1") });
    await documents.update(scope, { Name: "few-versions", Content: commandContent("2") });
    await documents.update(scope, { Name: "few-versions", Content: commandContent("3") });
    await expect(
      documents.update(scope, { Name: "few-versions", Content: commandContent("4") }),
    ).rejects.toBeInstanceOf(DocumentVersionLimitExceeded);
  });
});
