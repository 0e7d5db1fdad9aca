/**
 * UpdateDocumentMetadata: the API reference describes it only for Change Manager change templates
 * (DocumentType Automation.ChangeTemplate: "Updates information related to approval reviews for a
 * specific version of a change template in Change Manager"), and Change Manager "is no longer
 * open to new customers". This service has no Change Manager (no reviewers, no approval
 * notifications), so it refuses the operation clearly instead of pretending (docs/limits.md, "Not
 * supported"): InvalidDocument / InvalidDocumentVersion for what doesn't exist, as the model's
 * errors say, then InvalidDocumentOperation with the reason.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { commandContent } from "../support/fixtures.ts";
import { call, fails } from "../support/invoke.ts";
import { freshTable, type TestTable } from "../support/table.ts";

let table: TestTable;
const reviews = { Action: "Approve", Comment: [{ Type: "Comment", Content: "Approved!" }] };

beforeAll(async () => {
  table = await freshTable();
  await call("CreateDocument", { Name: "my-command", Content: commandContent() });
});

describe("UpdateDocumentMetadata", () => {
  it("refuses a Command document with InvalidDocumentOperation, saying why, and writes nothing", async () => {
    const before = await table.items();
    expect(await fails("UpdateDocumentMetadata", { Name: "my-command", DocumentReviews: reviews })).toEqual({
      status: 400,
      type: "InvalidDocumentOperation",
      message:
        "Document reviews apply only to Change Manager change templates (document type Automation.ChangeTemplate); my-command is a Command document.",
    });
    expect(await table.items()).toEqual(before);
  });

  it("refuses a change template too: this service has no Change Manager", async () => {
    await call("CreateDocument", {
      Name: "my-change-template",
      DocumentType: "Automation.ChangeTemplate",
      Content: JSON.stringify({
        schemaVersion: "0.3",
        emergencyChange: false,
        autoApprovable: false,
        mainSteps: [{ name: "wait", action: "aws:sleep", inputs: { Duration: "PT1S" } }],
      }),
    });
    expect(await fails("UpdateDocumentMetadata", { Name: "my-change-template", DocumentReviews: reviews })).toEqual({
      status: 400,
      type: "InvalidDocumentOperation",
      message:
        "Document reviews need Change Manager, which this service does not provide (AWS no longer opens it to new customers).",
    });
  });

  it("refuses AWS-owned documents the same way", async () => {
    expect((await fails("UpdateDocumentMetadata", { Name: "AWS-RunShellScript", DocumentReviews: reviews })).type).toBe(
      "InvalidDocumentOperation",
    );
  });

  it("InvalidDocument for a missing document, InvalidDocumentVersion for a missing version", async () => {
    expect((await fails("UpdateDocumentMetadata", { Name: "no-such-doc", DocumentReviews: reviews })).type).toBe(
      "InvalidDocument",
    );
    expect(
      (await fails("UpdateDocumentMetadata", { Name: "my-command", DocumentVersion: "7", DocumentReviews: reviews }))
        .type,
    ).toBe("InvalidDocumentVersion");
  });
});
