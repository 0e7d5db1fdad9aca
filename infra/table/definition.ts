/**
 * The table definition, read from template.yaml: the deployed stack and the local launcher
 * create the very same table (keys, attribute types, indexes) from one source of truth.
 */
import { readFileSync } from "node:fs";
import type { CreateTableCommandInput } from "@aws-sdk/client-dynamodb";
import { parse } from "yaml";

const TEMPLATE = new URL("../../template.yaml", import.meta.url);

/** CloudFormation short-form tags (!Ref, !Sub, ...) parse as plain values: the table needs none. */
const cloudFormationTags = [
  "Ref",
  "Sub",
  "GetAtt",
  "Join",
  "If",
  "Select",
  "Split",
  "Equals",
  "Not",
  "FindInMap",
].flatMap((name) => [
  { tag: `!${name}`, resolve: (value: unknown) => value },
  ...(["seq", "map"] as const).map((collection) => ({
    tag: `!${name}`,
    collection,
    resolve: (value: unknown) => value,
  })),
]);

export function tableDefinition(tableName: string): CreateTableCommandInput {
  const template = parse(readFileSync(TEMPLATE, "utf8"), { customTags: cloudFormationTags as never });
  const properties = template?.Resources?.Table?.Properties;
  if (!properties) throw new Error("template.yaml has no Resources.Table.Properties");
  return {
    TableName: tableName,
    BillingMode: properties.BillingMode,
    AttributeDefinitions: properties.AttributeDefinitions,
    KeySchema: properties.KeySchema,
    GlobalSecondaryIndexes: properties.GlobalSecondaryIndexes,
  };
}
