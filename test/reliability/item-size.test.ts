/**
 * Every write whose items grow with the request, sent at its largest (issue 29, defect 2: a
 * CreateDocument with a 10,000-entry Requires list, 270 KB of request, answered 500 because an
 * item passed DynamoDB's 400 KB). Each request is answered with success or a clean AWS-style
 * refusal that writes nothing, never a 5xx, and no stored item passes 400 KB (the fuzz run's
 * invariant too: ./harness.ts).
 */
import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { beforeAll, describe, expect, it } from "vitest";
import { ValidationException } from "../../shared/errors.ts";
import { MAX_ITEM_BYTES } from "../../shared/store/item-size.ts";
import { calendarContent, commandContent } from "../support/fixtures.ts";
import { call, invoke } from "../support/invoke.ts";
import { freshTable, type TestTable } from "../support/table.ts";
import { itemBytes } from "./harness.ts";

let table: TestTable;
const NODE = "i-0aaaaaaaaaaaaaaa1";

beforeAll(async () => {
  table = await freshTable();
  await call("UpdateInstanceInformation", { InstanceId: NODE, PlatformType: "Linux" });
  await call("CreateDocument", {
    Name: "size-calendar",
    Content: calendarContent("DEFAULT_OPEN"),
    DocumentType: "ChangeCalendar",
    DocumentFormat: "TEXT",
  });
});

/** Sends it; the answer is a success or the refusal expected, which then wrote nothing; no item passes 400 KB. */
async function largest(operation: string, request: unknown, refusedWith?: string) {
  const before = await table.items();
  const answer = await invoke(operation, request);
  expect(answer.status, JSON.stringify(answer.body).slice(0, 300)).toBeLessThan(500);
  if (refusedWith) {
    expect(answer.body.__type).toBe(refusedWith);
    expect(await table.items()).toEqual(before);
  } else expect(answer.status, JSON.stringify(answer.body).slice(0, 300)).toBe(200);
  const items = await table.items();
  expect(Math.max(...items.map(itemBytes))).toBeLessThanOrEqual(MAX_ITEM_BYTES);
  return answer;
}

const requires = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ Name: `required-document-${String(i).padStart(5, "0")}`, Version: "1" }));

describe("the largest requests of the writes whose items grow with them", () => {
  it("CreateDocument with a 10,000-entry Requires: MaxDocumentSizeExceeded; just under 64 KB: created, updated, described", async () => {
    await largest(
      "CreateDocument",
      { Name: "big-requires", Content: commandContent(), Requires: requires(10_000) },
      "MaxDocumentSizeExceeded",
    );
    await largest("CreateDocument", {
      Name: "fits-requires",
      Content: commandContent("x".repeat(30_000)),
      Requires: requires(1_100),
    });
    await largest("UpdateDocument", {
      Name: "fits-requires",
      Content: commandContent("y".repeat(30_000)),
      DocumentVersion: "$LATEST",
    });
    const { Document } = await call("DescribeDocument", { Name: "fits-requires" });
    expect(Document.Requires).toHaveLength(1_100);
  });

  it("CreateAssociation and UpdateAssociation with parameters of most of a request: InvalidParameters; 200 KB: kept", async () => {
    const base = { Name: "AWS-RunShellScript", Targets: [{ Key: "InstanceIds", Values: [NODE] }] };
    await largest(
      "CreateAssociation",
      { ...base, Parameters: { commands: ["x".repeat(900_000)] } },
      "InvalidParameters",
    );
    const created = await largest("CreateAssociation", { ...base, Parameters: { commands: ["x".repeat(200_000)] } });
    const id = (created.body.AssociationDescription as { AssociationId: string }).AssociationId;
    await largest(
      "UpdateAssociation",
      { AssociationId: id, Parameters: { commands: Array.from({ length: 100 }, () => "y".repeat(9_000)) } },
      "InvalidParameters",
    );
    await largest("UpdateAssociation", { AssociationId: id, Parameters: { commands: ["z".repeat(200_000)] } });
    // A legacy association's head is copied to its pair: both stay under the limit.
    await largest("CreateAssociationBatch", {
      Entries: [{ ...base, Parameters: { commands: ["w".repeat(200_000)] }, AssociationName: "batched-big" }],
    });
  });

  it("CalendarNames of 10,000 names (one calendar, named again and again): read once, stored, under the limit", async () => {
    await largest("CreateAssociation", {
      Name: "AWS-RunShellScript",
      Parameters: { commands: ["true"] },
      Targets: [{ Key: "InstanceIds", Values: [NODE] }],
      CalendarNames: Array.from({ length: 10_000 }, () => "size-calendar"),
    });
    await largest(
      "CreateAssociation",
      {
        Name: "AWS-RunShellScript",
        Parameters: { commands: ["true"] },
        Targets: [{ Key: "InstanceIds", Values: [NODE] }],
        CalendarNames: Array.from({ length: 30_000 }, () => "size-calendar"),
      },
      "ValidationException",
    );
  });

  it("PutComplianceItems of 800 KB, tags past the resource's 50, an Advanced parameter at its limits", async () => {
    const details = Object.fromEntries(Array.from({ length: 2 }, (_, i) => [`k${i}`, "d".repeat(4_096)]));
    await largest(
      "PutComplianceItems",
      {
        ResourceId: NODE,
        ResourceType: "ManagedInstance",
        ComplianceType: "Custom:Big",
        ExecutionSummary: { ExecutionTime: 1795600000 },
        Items: Array.from({ length: 100 }, (_, i) => ({
          Id: `item-${i}`,
          Severity: "LOW",
          Status: "COMPLIANT",
          Details: details,
        })),
      },
      // Stored in chunks under 400 KB each (issue 15).
    );
    await largest(
      "AddTagsToResource",
      {
        ResourceType: "ManagedInstance",
        ResourceId: NODE,
        Tags: Array.from({ length: 1_000 }, (_, i) => ({ Key: `k${i}`, Value: "v".repeat(256) })),
      },
      "TooManyTagsError",
    );
    await largest("PutParameter", {
      Name: "/size/advanced",
      Type: "String",
      Tier: "Advanced",
      Value: "p".repeat(8_192),
      Description: "d".repeat(1_024),
      AllowedPattern: ".*",
    });
  });

  it("the net under the bounds: a write DynamoDB refuses for an item's size is a ValidationException, never a 500", async () => {
    const write = table.db.send(
      new PutCommand({ TableName: table.name, Item: { PK: "SIZE#test", SK: "big", Data: "a".repeat(MAX_ITEM_BYTES) } }),
    );
    await expect(write).rejects.toBeInstanceOf(ValidationException);
    await expect(write).rejects.toMatchObject({ message: expect.stringContaining("400 KB") });
  });
});
