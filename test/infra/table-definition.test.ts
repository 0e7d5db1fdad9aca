import { DescribeTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { describe, expect, it } from "vitest";
import { operationNames } from "../../infra/local/operations.ts";
import { tableDefinition } from "../../infra/table/definition.ts";
import { GSI1, GSI2 } from "../../shared/store/keys.ts";
import { freshTable } from "../support/table.ts";

describe("the one table definition (infra/table/table.ts)", () => {
  it("has the generic keys and the index the store uses", () => {
    const definition = tableDefinition("t");
    expect(definition.KeySchema).toEqual([
      { AttributeName: "PK", KeyType: "HASH" },
      { AttributeName: "SK", KeyType: "RANGE" },
    ]);
    expect(definition.BillingMode).toBe("PAY_PER_REQUEST");
    expect(definition.GlobalSecondaryIndexes?.map((index) => index.IndexName)).toEqual([GSI1, GSI2]);
  });

  it("creates the very table the local launcher and the tests use", async () => {
    const table = await freshTable();
    const client = new DynamoDBClient({
      region: "us-east-1",
      endpoint: table.endpoint,
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
    });
    const { Table } = await client.send(new DescribeTableCommand({ TableName: table.name }));
    expect(Table?.KeySchema).toEqual(tableDefinition(table.name).KeySchema);
    expect(Table?.GlobalSecondaryIndexes?.map((index) => index.IndexName).sort()).toEqual([GSI1, GSI2]);
  });
});

describe("the operations served", () => {
  it("are the handler files in functions/, each a documented SSM operation", async () => {
    const { operations } = await import("../../shared/validation/generated/ssm-model.ts");
    const names = operationNames();
    expect(names).toEqual(
      expect.arrayContaining([
        "CreateDocument",
        "DeleteDocument",
        "DescribeDocument",
        "GetDocument",
        "ListDocumentVersions",
        "ListDocuments",
        "UpdateDocument",
        "UpdateDocumentDefaultVersion",
        "AddTagsToResource",
        "ListTagsForResource",
        "RemoveTagsFromResource",
      ]),
    );
    for (const name of names) expect(operations[name], name).toBeDefined();
  });
});
