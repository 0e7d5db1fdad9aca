/**
 * What a fleet keeps in the table: every item's size by DynamoDB's rules (attribute names and
 * values, https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html),
 * and the 100 bytes of overhead per item DynamoDB adds for billing storage
 * (https://aws.amazon.com/dynamodb/pricing/on-demand/, "Data storage"). Index copies (the GSIs'
 * projected items) are not counted here.
 */
import { type AttributeValue, type DynamoDBClient, ScanCommand } from "@aws-sdk/client-dynamodb";

/** DynamoDB's size of a value: strings and binaries by length, numbers ~1 byte per 2 digits + 1, containers 3 + each member + 1. */
function valueSize(value: AttributeValue): number {
  if (value.S !== undefined) return Buffer.byteLength(value.S);
  if (value.N !== undefined) return Math.ceil(value.N.replace(/^-|\.|e.*$/gi, "").length / 2) + 1;
  if (value.B !== undefined) return value.B.length;
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1;
  if (value.SS) return value.SS.reduce((sum, s) => sum + Buffer.byteLength(s), 0);
  if (value.NS) return value.NS.reduce((sum, n) => sum + Math.ceil(n.length / 2) + 1, 0);
  if (value.L) return 3 + value.L.reduce((sum, v) => sum + 1 + valueSize(v), 0);
  if (value.M) return 3 + itemSize(value.M) + Object.keys(value.M).length;
  return 0;
}

const itemSize = (item: Record<string, AttributeValue>) =>
  Object.entries(item).reduce((sum, [name, value]) => sum + Buffer.byteLength(name) + valueSize(value), 0);

export type Stored = {
  items: number;
  bytes: number;
  billedBytes: number;
  byType: Record<string, { items: number; bytes: number }>;
};

export async function storedBytes(client: DynamoDBClient, table: string): Promise<Stored> {
  const result: Stored = { items: 0, bytes: 0, billedBytes: 0, byType: {} };
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start }));
    for (const item of page.Items ?? []) {
      const size = itemSize(item);
      const type = item.Type?.S ?? String(item.SK?.S ?? "").split("#")[0] ?? "?";
      result.items++;
      result.bytes += size;
      const entry = result.byType[type] ?? { items: 0, bytes: 0 };
      entry.items++;
      entry.bytes += size;
      result.byType[type] = entry;
    }
    start = page.LastEvaluatedKey;
  } while (start);
  result.billedBytes = result.bytes + 100 * result.items;
  return result;
}
