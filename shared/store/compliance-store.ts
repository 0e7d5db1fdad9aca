/** Compliance items in the single table: one item per (resource, compliance type). */
import { QueryCommand } from "@aws-sdk/lib-dynamodb";
import type { Scope } from "../context.ts";
import type { ComplianceRecord } from "../domain/compliance/records.ts";
import type { ComplianceStore } from "../domain/compliance/store.ts";
import { TooManyUpdates } from "../errors.ts";
import { conditionalPut } from "./dynamodb.ts";
import { gsiAll, plain, TableStore } from "./items.ts";
import { EntityType, keys } from "./keys.ts";

export class DynamoComplianceStore extends TableStore implements ComplianceStore {
  /** Every compliance type recorded on one resource, in one query. */
  async ofResource(scope: Scope, resourceType: string, resourceId: string): Promise<ComplianceRecord[]> {
    const { Items = [] } = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: "PK = :pk",
        ExpressionAttributeValues: { ":pk": keys.compliancePartition(scope, resourceType, resourceId) },
        ConsistentRead: true,
      }),
    );
    return Items.map((item) => plain<ComplianceRecord>(item));
  }

  /** Writes a compliance type's items on condition that nobody wrote them since `previous` was read. */
  async put(scope: Scope, record: ComplianceRecord, previous: ComplianceRecord | undefined): Promise<void> {
    await conditionalPut(
      this.db,
      {
        TableName: this.table,
        Item: {
          ...keys.compliance(scope, record.ResourceType, record.ResourceId, record.ComplianceType),
          ...keys.complianceListing(scope, record.ResourceId, record.ComplianceType),
          Type: EntityType.Compliance,
          ...record,
        },
        ConditionExpression: previous ? "Revision = :revision" : "attribute_not_exists(PK)",
        ExpressionAttributeValues: previous ? { ":revision": previous.Revision } : undefined,
      },
      () => new TooManyUpdates("Compliance items changed concurrently. Try again."),
    );
  }

  /** Every compliance record of the account and Region, in resource order, through GSI1. */
  async all(scope: Scope): Promise<ComplianceRecord[]> {
    return gsiAll<ComplianceRecord>(this.db, this.table, keys.complianceListingPartition(scope));
  }
}
