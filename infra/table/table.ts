/**
 * The one definition of the single table: keys, attribute types, indexes and TTL. The SAM
 * template is generated from it and the local launcher creates the table from it, so the
 * deployed and the local table are the same table.
 */
export const TABLE = {
  BillingMode: "PAY_PER_REQUEST",
  AttributeDefinitions: [
    { AttributeName: "PK", AttributeType: "S" },
    { AttributeName: "SK", AttributeType: "S" },
    { AttributeName: "GSI1PK", AttributeType: "S" },
    { AttributeName: "GSI1SK", AttributeType: "S" },
    { AttributeName: "GSI2PK", AttributeType: "S" },
    { AttributeName: "GSI2SK", AttributeType: "S" },
  ],
  KeySchema: [
    { AttributeName: "PK", KeyType: "HASH" },
    { AttributeName: "SK", KeyType: "RANGE" },
  ],
  GlobalSecondaryIndexes: [
    {
      IndexName: "GSI1",
      KeySchema: [
        { AttributeName: "GSI1PK", KeyType: "HASH" },
        { AttributeName: "GSI1SK", KeyType: "RANGE" },
      ],
      Projection: { ProjectionType: "ALL" },
    },
    {
      // The scheduler's index: associations by next-run time (sparse: only those with a next
      // run carry GSI2PK). ALL, so a tick reads the due heads without a second read.
      IndexName: "GSI2",
      KeySchema: [
        { AttributeName: "GSI2PK", KeyType: "HASH" },
        { AttributeName: "GSI2SK", KeyType: "RANGE" },
      ],
      Projection: { ProjectionType: "ALL" },
    },
  ],
  /**
   * Temporary credentials and the audit trail's items (90 days on) carry `ExpiresAt` (epoch
   * seconds) and are removed after it.
   */
  TimeToLiveAttribute: "ExpiresAt",
} as const;
