/**
 * The audit trail: every mutating request, successful or refused, kept with its caller, its
 * parameters (./redaction.ts) and its outcome for RETENTION_DAYS, CloudTrail's event history; what
 * an operator reads with `npm run admin -- audit`. Reads are not kept (CloudTrail's management
 * events are writes too, by default), nor requests nothing authenticated (an anonymous caller
 * must not be able to fill the table: the request log has those).
 *
 * A node's own routine calls (its heartbeat, its association statuses, compliance and inventory,
 * its credentials' renewal, the message channel) are counted, not kept one by one: a fleet makes
 * them every few seconds. A function instance adds them up per account, node and operation, and
 * writes the counts once per ROUTINE_WINDOW_MS at most, with the next request that comes after the
 * window (so a deployed function writes them before Lambda freezes it). An instance that ends
 * before its next request loses the counts of its last window: counts are for seeing what the
 * fleet did, the events are the record.
 *
 * Cost: one PutItem per mutating request (1 write unit per KB: 1 or 2), after the answer is known;
 * one BatchWriteItem a minute at most per function instance that nodes call (a record per 1,000
 * counts: a fleet's window spans several). The TTL removes them
 * at no cost.
 */
import { randomUUID } from "node:crypto";
import type { AuditEventRecord, AuditRoutineRecord, RoutineCount } from "./records.ts";
import { keptParameters, resourcesOf } from "./redaction.ts";
import type { AuditQuery, AuditStore } from "./store.ts";

export const RETENTION_DAYS = 90;
export const ROUTINE_WINDOW_MS = 60_000;
/**
 * The most counts one record holds (each about 100 bytes): an account's window is split into as
 * many records as it needs, since one record of a fleet's window (3,000 nodes, 4 operations each)
 * passed DynamoDB's 400 KB item limit, failed, and was carried into every later window (issue 30).
 */
export const ROUTINE_COUNTS_PER_RECORD = 1000;

/** The calls an SSM Agent makes on its own, over and over (its core loop and the message channel). */
export const ROUTINE_OPERATIONS: ReadonlySet<string> = new Set([
  "UpdateInstanceInformation",
  "UpdateInstanceAssociationStatus",
  "UpdateAssociationStatus",
  "PutComplianceItems",
  "PutInventory",
  "RequestManagedInstanceRoleToken",
  "AcknowledgeMessage",
  "FailMessage",
  "DeleteMessage",
  "SendReply",
]);

const READ = /^(Get|Describe|List)/;

/** Who called, as the request observer names them (shared/request-observer.ts). */
export type AuditCaller = {
  accountId: string;
  region: string;
  arn: string;
  accessKeyId?: string | undefined;
  nodeId?: string | undefined;
};

/** A request as answered. */
export type AuditedRequest = {
  time: Date;
  requestId: string;
  operation: string;
  caller: AuditCaller | undefined;
  sourceIp?: string | undefined;
  userAgent?: string | undefined;
  parameters: unknown;
  status: number;
  errorCode?: string | undefined;
  errorMessage?: string | undefined;
  output?: unknown;
};

/** What the trail does with a request: nothing, count it (a node's routine call), or keep it. */
export function auditKind(operation: string, caller: AuditCaller | undefined): "none" | "count" | "record" {
  if (!caller || READ.test(operation)) return "none";
  return caller.nodeId && ROUTINE_OPERATIONS.has(operation) ? "count" : "record";
}

/** Epoch seconds RETENTION_DAYS after `time`, for the table's TTL. */
export const expiresAt = (time: Date): number => Math.floor(time.getTime() / 1000) + RETENTION_DAYS * 86_400;

type Tally = { accountId: string; region: string } & RoutineCount;

export class AuditTrail {
  private tallies = new Map<string, Tally>();
  private windowStart: Date | undefined;

  constructor(
    private readonly store: AuditStore,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Keeps or counts an answered request; the promise ends when what it writes is written. */
  async observe(request: AuditedRequest): Promise<void> {
    const kind = auditKind(request.operation, request.caller);
    if (kind === "none" || !request.caller) return;
    if (kind === "count") {
      this.count(request.caller, request.operation, request.status >= 400);
      await this.flushIfDue();
      return;
    }
    await Promise.all([this.store.recordEvent(eventOf(request, request.caller)), this.flushIfDue()]);
  }

  /** Writes the counts now, whatever the window (a process that stops, a test). */
  async flush(): Promise<void> {
    const started = this.windowStart;
    const tallies = [...this.tallies.values()];
    this.tallies = new Map();
    this.windowStart = undefined;
    if (!started || tallies.length === 0) return;
    const now = this.now();
    const byAccount = new Map<string, AuditRoutineRecord>();
    const records: AuditRoutineRecord[] = [];
    for (const { accountId, region, ...count } of tallies) {
      const key = `${accountId}#${region}`;
      let record = byAccount.get(key);
      if (!record || record.Counts.length >= ROUTINE_COUNTS_PER_RECORD) {
        record = {
          Time: now.toISOString(),
          Id: randomUUID(),
          AccountId: accountId,
          Region: region,
          From: started.toISOString(),
          Counts: [],
          ExpiresAt: expiresAt(now),
        };
        byAccount.set(key, record);
        records.push(record);
      }
      record.Counts.push(count);
    }
    try {
      await this.store.recordRoutine(records);
    } catch (error) {
      // Counted again with the next window's, rather than lost.
      for (const tally of tallies) this.add(tally, tally.Calls, tally.Refused);
      this.windowStart ??= started;
      throw error;
    }
  }

  read(query: AuditQuery) {
    return this.store.read(query, this.now());
  }

  private flushIfDue(): Promise<void> {
    const started = this.windowStart;
    if (!started || this.now().getTime() - started.getTime() < ROUTINE_WINDOW_MS) return Promise.resolve();
    return this.flush();
  }

  private count(caller: AuditCaller, operation: string, refused: boolean): void {
    const tally = {
      accountId: caller.accountId,
      region: caller.region,
      NodeId: caller.nodeId ?? "",
      Operation: operation,
      Calls: 0,
      Refused: 0,
    };
    this.add(tally, 1, refused ? 1 : 0);
  }

  private add(tally: Tally, calls: number, refused: number): void {
    const key = [tally.accountId, tally.region, tally.NodeId, tally.Operation].join("#");
    const kept = this.tallies.get(key) ?? { ...tally, Calls: 0, Refused: 0 };
    kept.Calls += calls;
    kept.Refused += refused;
    this.tallies.set(key, kept);
    this.windowStart ??= this.now();
  }
}

function eventOf(request: AuditedRequest, caller: AuditCaller): AuditEventRecord {
  const resources = request.status < 400 ? resourcesOf(request.output) : undefined;
  return {
    Time: request.time.toISOString(),
    RequestId: request.requestId,
    AccountId: caller.accountId,
    Region: caller.region,
    Operation: request.operation,
    Caller: caller.arn,
    ...(caller.accessKeyId ? { AccessKeyId: caller.accessKeyId } : {}),
    ...(caller.nodeId ? { NodeId: caller.nodeId } : {}),
    ...(request.sourceIp ? { SourceIp: request.sourceIp } : {}),
    ...(request.userAgent ? { UserAgent: request.userAgent.slice(0, 512) } : {}),
    Parameters: keptParameters(request.operation, request.parameters),
    Status: request.status,
    ...(request.errorCode ? { ErrorCode: request.errorCode } : {}),
    ...(request.errorMessage ? { ErrorMessage: request.errorMessage.slice(0, 1024) } : {}),
    ...(resources ? { Resources: resources } : {}),
    ExpiresAt: expiresAt(request.time),
  };
}
