/** The audit trail's items, as the store keeps them (shared/store/audit-store.ts). */

/** One mutating request, successful or refused: who, what with which parameters, and the outcome. */
export type AuditEventRecord = {
  /** ISO-8601: when the request arrived. */
  Time: string;
  RequestId: string;
  AccountId: string;
  Region: string;
  Operation: string;
  /** The caller's ARN (shared/request-observer.ts Caller). */
  Caller: string;
  AccessKeyId?: string;
  NodeId?: string;
  SourceIp?: string;
  UserAgent?: string;
  /** The request's parameters as JSON, secrets redacted and long values summarized (./redaction.ts). */
  Parameters: string;
  Status: number;
  ErrorCode?: string;
  ErrorMessage?: string;
  /** What a success created or named, from its answer: its ids and versions (`AssociationDescription.AssociationId`). */
  Resources?: Record<string, string | number>;
  /** Epoch seconds for DynamoDB's TTL: RETENTION_DAYS after Time (./audit.ts). */
  ExpiresAt: number;
};

/** A node's routine calls of one operation in a while: how many, and how many were refused. */
export type RoutineCount = { NodeId: string; Operation: string; Calls: number; Refused: number };

/** One function instance's count of nodes' routine calls in one account and Region, over [From, To). */
export type AuditRoutineRecord = {
  /** ISO-8601: when the count was written (its end). */
  Time: string;
  Id: string;
  AccountId: string;
  Region: string;
  From: string;
  Counts: RoutineCount[];
  ExpiresAt: number;
};
