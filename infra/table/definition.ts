/** The CreateTable request for the table, from its one definition (infra/table/table.ts). */
import type { CreateTableCommandInput } from "@aws-sdk/client-dynamodb";
import { TABLE } from "./table.ts";

export function tableDefinition(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: TABLE.BillingMode,
    AttributeDefinitions: TABLE.AttributeDefinitions.map((definition) => ({ ...definition })),
    KeySchema: TABLE.KeySchema.map((key) => ({ ...key })),
    GlobalSecondaryIndexes: TABLE.GlobalSecondaryIndexes.map((index) => ({
      IndexName: index.IndexName,
      KeySchema: index.KeySchema.map((key) => ({ ...key })),
      Projection: { ...index.Projection },
    })),
  };
}
