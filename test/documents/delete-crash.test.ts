/**
 * DeleteDocument interrupted (issue 15, item 4): DynamoDB killed in the middle of a delete left
 * a document that read as gone but kept its name (DocumentAlreadyExists) and its slot of the
 * 500-document limit. Here the crash is deterministic: the k-th DynamoDB call of the delete fails,
 * either before it reaches DynamoDB or after DynamoDB applied it (the answer lost), for every k.
 * Whatever is left must be a state later requests complete: the document is either whole or
 * reads as gone everywhere, the account's counter equals its Active documents at every step, and
 * a later CreateDocument or DeleteDocument of the name finishes what the delete began.
 */
import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { beforeAll, describe, expect, it } from "vitest";
import { keys } from "../../shared/store/keys.ts";
import { isAuditRecord } from "../support/call-meter.ts";
import { commandContent } from "../support/fixtures.ts";
import { call, invoke } from "../support/invoke.ts";
import { freshTable, type TestTable } from "../support/table.ts";

let table: TestTable;
const scope = { accountId: "000000000000", region: "us-east-1" };
/** The fault armed: fail the `at`-th call from now, before or after DynamoDB applies it. */
let fault: { at: number; after: boolean; seen: number; fired: boolean } | undefined;

beforeAll(async () => {
  table = await freshTable();
  table.db.middlewareStack.add(
    (next) => async (args) => {
      // The delete's own calls: its audit record is written after the answer, and changes no state.
      if (!fault || isAuditRecord(args.input)) return next(args);
      fault.seen += 1;
      if (fault.seen !== fault.at) return next(args);
      fault.fired = true;
      if (!fault.after) throw new Error("connect ECONNREFUSED (injected)");
      await next(args);
      throw new Error("socket hang up (injected, after DynamoDB applied the call)");
    },
    { step: "initialize", name: "injectFault" },
  );
});

async function createWithVersions(name: string, versions: number): Promise<void> {
  await call("CreateDocument", { Name: name, Content: commandContent(`${name}-1`), VersionName: "v1" });
  for (let v = 2; v <= versions; v++) {
    await call("UpdateDocument", { Name: name, Content: commandContent(`${name}-${v}`), VersionName: `v${v}` });
  }
}

const itemsOf = async (name: string) => (await table.items()).filter((item) => String(item.PK).endsWith(`#${name}`));

/** The account's document counter equals its Active documents: every slot taken once, given back once. */
async function expectExactCounter(): Promise<void> {
  const items = await table.items();
  const active = items.filter((item) => item.Type === "Document" && item.Status === "Active").length;
  const counter = items.find((item) => item.SK === "COUNTER#Documents")?.Count ?? 0;
  expect(counter).toBe(active);
}

/** What a client sees of the document: readable and listed together, or neither. */
async function visible(name: string): Promise<boolean> {
  const described = (await invoke("DescribeDocument", { Name: name })).status === 200;
  const listed = (await call("ListDocuments", { Filters: [{ Key: "Name", Values: [name] }] })).DocumentIdentifiers;
  expect(listed.length === 1).toBe(described);
  return described;
}

/**
 * Deletes `name` with the k-th call failing, then checks the state and completes it with
 * `recover`. Returns whether the fault fired (false: the delete needs fewer than k calls).
 */
async function crashAt(
  name: string,
  versions: number,
  at: number,
  after: boolean,
  recover: "CreateDocument" | "DeleteDocument",
): Promise<boolean> {
  await createWithVersions(name, versions);
  fault = { at, after, seen: 0, fired: false };
  const answer = await invoke("DeleteDocument", { Name: name });
  const fired = fault.fired;
  fault = undefined;
  if (!fired) {
    expect(answer.status).toBe(200);
    return false;
  }
  expect(answer.status).toBe(500);
  await expectExactCounter();
  if (await visible(name)) {
    // No visible change: the document is whole.
    const listed = await call("ListDocumentVersions", { Name: name });
    expect(listed.DocumentVersions).toHaveLength(versions);
    expect((await invoke("CreateDocument", { Name: name, Content: commandContent("again") })).body.__type).toBe(
      "DocumentAlreadyExists",
    );
    await call("DeleteDocument", { Name: name });
  } else if (recover === "CreateDocument") {
    // Gone as far as anyone can see: the name is free, and the new document is a fresh one.
    await call("CreateDocument", { Name: name, Content: commandContent("again") });
    const versionsNow = await call("ListDocumentVersions", { Name: name });
    expect(versionsNow.DocumentVersions.map((v: { DocumentVersion: string }) => v.DocumentVersion)).toEqual(["1"]);
    await expectExactCounter();
    await call("DeleteDocument", { Name: name });
  } else {
    // A retried delete completes it, or finds it already gone (the lost answer was a success).
    const retried = await invoke("DeleteDocument", { Name: name });
    if (retried.status !== 200) expect(retried.body.__type).toBe("InvalidDocument");
  }
  expect(await itemsOf(name)).toEqual([]);
  await expectExactCounter();
  return true;
}

describe("DeleteDocument interrupted by a DynamoDB failure at any call", () => {
  // 2 versions (4 items beside the head): one transaction deletes it all.
  // 34 versions with names (102 items): more than one transaction carries.
  for (const versions of [2, 34]) {
    for (const after of [false, true]) {
      for (const recover of ["CreateDocument", "DeleteDocument"] as const) {
        it(`${versions} versions, failing ${after ? "after DynamoDB applied" : "before"} the call, then ${recover}`, async () => {
          for (let at = 1; at <= 10; at++) {
            const name = `crash-${versions}-${after ? "a" : "b"}-${recover}-${at}`;
            if (!(await crashAt(name, versions, at, after, recover))) break;
          }
        }, 120_000);
      }
    }
  }

  it("finishes a document an older delete left Deleting without giving its slot back, once", async () => {
    // What the previous delete (mark Deleting, delete items, then head and slot) left on a crash.
    await createWithVersions("legacy-deleting", 2);
    await table.db.send(
      new UpdateCommand({
        TableName: table.name,
        Key: keys.document(scope, "legacy-deleting"),
        UpdateExpression: "SET #status = :deleting, Revision = Revision + :one",
        ExpressionAttributeNames: { "#status": "Status" },
        ExpressionAttributeValues: { ":deleting": "Deleting", ":one": 1 },
      }),
    );
    const counter = async () => (await table.items()).find((item) => item.SK === "COUNTER#Documents")?.Count;
    const before = await counter();
    expect(await visible("legacy-deleting")).toBe(false);
    // Two deletes finish it at once: the slot comes back exactly once.
    const answers = await Promise.all([1, 2].map(() => invoke("DeleteDocument", { Name: "legacy-deleting" })));
    expect(answers.some((answer) => answer.status === 200)).toBe(true);
    for (const answer of answers.filter((a) => a.status !== 200)) expect(answer.body.__type).toBe("InvalidDocument");
    expect(await counter()).toBe((before as number) - 1);
    expect(await itemsOf("legacy-deleting")).toEqual([]);
    await expectExactCounter();
  });
});
