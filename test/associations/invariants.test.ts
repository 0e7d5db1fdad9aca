/**
 * The three invariants under concurrency: one legacy association per (document, node), never
 * more active associations than the limit, and never an association on a deleted document. After
 * each race, the counters equal what is really stored, and the audit (test/reliability/audit.ts)
 * finds every counter, reference count and item consistent.
 */
import type { BatchGetCommandInput, BatchGetCommandOutput } from "@aws-sdk/lib-dynamodb";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { assertAuditClean } from "../reliability/audit.ts";
import { commandContent } from "../support/fixtures.ts";
import { call, invoke } from "../support/invoke.ts";
import { freshTable, type TestTable } from "../support/table.ts";

let table: TestTable;
const NODE = "i-0aaaaaaaaaaaaaaa1";
const LIMIT = 12;

beforeAll(async () => {
  // A lowered limit (the documented ASSOCIATION_LIMIT setting) keeps the race small.
  table = await freshTable({ associationLimit: LIMIT });
  await call("UpdateInstanceInformation", { InstanceId: NODE, PlatformType: "Linux" });
});

async function stored() {
  const items = await table.items();
  return {
    associations: items.filter((item) => item.Type === "Association"),
    counter: (items.find((item) => item.SK === "COUNTER#Associations")?.Count as number | undefined) ?? 0,
    legacy: items.filter((item) => item.Type === "LegacyAssociation"),
    documentRefs: (name: string) =>
      items.find((item) => item.Type === "Document" && item.Name === name)?.AssociationCount,
  };
}

describe("invariants under concurrency", () => {
  afterEach(async () => {
    await assertAuditClean(table);
  });

  it("the same legacy pair 50 times at once: exactly one success", async () => {
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => invoke("CreateAssociation", { Name: "AWS-UpdateSSMAgent", InstanceId: NODE })),
    );
    const ok = answers.filter((answer) => answer.status === 200);
    expect(ok).toHaveLength(1);
    for (const answer of answers.filter((a) => a.status !== 200)) {
      expect(["AssociationAlreadyExists", "TooManyUpdates"]).toContain(answer.body.__type);
    }
    const state = await stored();
    expect(state.associations).toHaveLength(1);
    expect(state.legacy).toHaveLength(1);
    expect(state.counter).toBe(1);
  });

  it("creates racing up to the limit: never over it, and a delete gives the slot back", async () => {
    await call("CreateDocument", { Name: "limited", Content: commandContent() });
    const answers = await Promise.all(
      Array.from({ length: 30 }, () =>
        invoke("CreateAssociation", { Name: "limited", Targets: [{ Key: "tag:fleet", Values: ["a"] }] }),
      ),
    );
    const refusals = answers.filter((answer) => answer.body.__type === "AssociationLimitExceeded");
    expect(refusals.length).toBeGreaterThan(0);
    expect(refusals[0]?.body.message).toBe(`You can have at most ${LIMIT} active associations.`);
    let state = await stored();
    expect(state.associations.length).toBeLessThanOrEqual(LIMIT);
    expect(state.counter).toBe(state.associations.length);
    expect(state.documentRefs("limited")).toBe(state.associations.filter((a) => a.DocumentName === "limited").length);

    while ((await stored()).associations.length < LIMIT) {
      await call("CreateAssociation", { Name: "limited", Targets: [{ Key: "tag:fleet", Values: ["a"] }] });
    }
    expect(
      (await invoke("CreateAssociation", { Name: "limited", Targets: [{ Key: "tag:f", Values: ["a"] }] })).body.__type,
    ).toBe("AssociationLimitExceeded");
    const victim = (await stored()).associations.find((a) => a.DocumentName === "limited");
    await call("DeleteAssociation", { AssociationId: victim?.AssociationId });
    expect(
      (await invoke("CreateAssociation", { Name: "limited", Targets: [{ Key: "tag:f", Values: ["a"] }] })).status,
    ).toBe(200);
    state = await stored();
    expect(state.counter).toBe(LIMIT);
    expect(state.counter).toBe(state.associations.length);
  });

  it("delete-document racing create-association: never an association on a deleted document", async () => {
    // Free the slots: only the race's own associations count from here.
    for (const association of (await stored()).associations) {
      await call("DeleteAssociation", { AssociationId: association.AssociationId });
    }
    for (let round = 0; round < 6; round++) {
      const name = `raced-${round}`;
      await call("CreateDocument", { Name: name, Content: commandContent(name) });
      const [created, deleted] = await Promise.all([
        invoke("CreateAssociation", { Name: name, Targets: [{ Key: "tag:a", Values: ["b"] }] }),
        invoke("DeleteDocument", { Name: name }),
      ]);
      const state = await stored();
      const onIt = state.associations.filter((a) => a.DocumentName === name);
      if (deleted.status === 200) {
        // The document is gone: the create must have failed as for a document that never
        // existed (issue 29, defect 3), and nothing names the document.
        expect(created.body.__type).toBe("InvalidDocument");
        expect(onIt).toHaveLength(0);
      } else {
        expect(deleted.body.__type).toBe("AssociatedInstances");
        expect(created.status).toBe(200);
        expect(state.documentRefs(name)).toBe(1);
        await call("DeleteAssociation", {
          AssociationId: (created.body.AssociationDescription as { AssociationId: string }).AssociationId,
        });
        expect((await invoke("DeleteDocument", { Name: name })).status).toBe(200);
      }
      const after = await stored();
      expect(after.counter).toBe(after.associations.length);
    }
  });

  it("a DeleteDocument that lands between the reads of the head and of its default version: InvalidDocument, not InvalidDocumentVersion (issue 29, defect 3)", async () => {
    // A BatchGetItem is not a snapshot: on DynamoDB each item is read on its own, so a delete can
    // commit after the head was read and before the default version was. The hook makes that
    // interleaving happen: the create's read of the head and the default copy is sent as two
    // real reads with a real DeleteDocument between them.
    await call("CreateDocument", { Name: "deleted-between", Content: commandContent("between") });
    const head = { PK: "", SK: "" };
    let first = true;
    table.db.middlewareStack.add(
      (next, context) => async (args) => {
        const input = args.input as BatchGetCommandInput;
        const wanted = Object.values(input.RequestItems ?? {})[0]?.Keys ?? [];
        const defaultCopy = wanted.find((key) => String(key.PK).includes("deleted-between") && key.SK === "DEFAULT");
        if (!(first && context.commandName === "BatchGetItemCommand" && defaultCopy)) return next(args);
        first = false;
        Object.assign(
          head,
          wanted.find((key) => key.PK === defaultCopy.PK && key.SK !== "DEFAULT"),
        );
        const tableName = Object.keys(input.RequestItems ?? {})[0] as string;
        const read = (key: Record<string, unknown>) =>
          next({ ...args, input: { RequestItems: { [tableName]: { Keys: [key], ConsistentRead: true } } } });
        const headRead = await read(head);
        expect((await invoke("DeleteDocument", { Name: "deleted-between" })).status).toBe(200);
        const copyRead = await read(defaultCopy);
        const items = [
          ...((headRead.output as BatchGetCommandOutput).Responses?.[tableName] ?? []),
          ...((copyRead.output as BatchGetCommandOutput).Responses?.[tableName] ?? []),
        ];
        return { ...headRead, output: { ...headRead.output, Responses: { [tableName]: items }, UnprocessedKeys: {} } };
      },
      { step: "initialize", name: "deleteBetweenReads" },
    );
    try {
      const refused = await invoke("CreateAssociation", {
        Name: "deleted-between",
        Targets: [{ Key: "tag:a", Values: ["b"] }],
      });
      expect(first).toBe(false);
      expect(head.PK).not.toBe("");
      expect(refused.body).toEqual({
        __type: "InvalidDocument",
        message: "Document with name deleted-between does not exist.",
      });
    } finally {
      table.db.middlewareStack.remove("deleteBetweenReads");
    }
  });

  it("DeleteDocument refuses while an association uses the document, writing nothing", async () => {
    await call("CreateDocument", { Name: "in-use", Content: commandContent() });
    const { AssociationDescription } = await call("CreateAssociation", {
      Name: "in-use",
      Targets: [{ Key: "tag:a", Values: ["b"] }],
    });
    const before = await table.items();
    const refused = await invoke("DeleteDocument", { Name: "in-use" });
    expect(refused.body).toEqual({
      __type: "AssociatedInstances",
      message: "You must disassociate a document from all managed nodes before you can delete it.",
    });
    expect(await table.items()).toEqual(before);
    await call("DeleteAssociation", { AssociationId: AssociationDescription.AssociationId });
    expect((await invoke("DeleteDocument", { Name: "in-use" })).status).toBe(200);
  });
});
