/**
 * CreateAssociationBatch with bounded work per request (issue 15, item 3: 10,000 entries took
 * 9-26 s, one create after another, each with its own reads and transaction).
 *
 * What bounds it:
 * - **The account's association limit.** AWS documents no cap on the entries of one request (the
 *   model sets none; the API reference says "One or more associations"); the quota that applies is
 *   "You can have at most 2,000 active associations" (AssociationLimitExceeded, which the model
 *   lists for this operation). Each created entry takes a slot in its own transaction (the
 *   counter's condition holds the limit, shared/store/association-store.ts); once one is refused
 *   for the limit, every later entry fails at once with the same Fault and Message, without a
 *   DynamoDB call. So a request writes at most as many associations as the account can still take,
 *   one transaction each, whatever the number of entries. (The transactions go one after another:
 *   they all update the account's counter, and transactions on one item at once conflict.)
 * - **Shared reads.** The entries are checked a window at a time, together: their reads start in
 *   the same turn, so they go as one BatchGetItem per 100 keys (shared/store/items.ts batchGet),
 *   and a document, a node or the nodes a tag targets (for tag targets' first run) is read once for the
 *   whole request, however many entries name it.
 * - **No blocking.** Between windows the batch yields to the event loop, so other requests' I/O
 *   is served even when every read is already shared (a window's checks are then CPU only); at
 *   most a window of reads is in flight, never one per entry, so the DynamoDB client's sockets are
 *   not taken from other requests.
 *
 * - **Few transactions.** A window's checked creates are written packed, as many to a transaction
 *   as its 100 items hold (the store's createMany: one counter update and one reference update
 *   per document for all of them), so 2,000 simple entries are about a hundred transactions, not
 *   2,000 (issue 29, defect 4: one transaction each took past API Gateway's 29 s).
 *
 * Each entry still gets its own answer: a pack refused as a whole is written again entry by
 * entry, so a failure is reported with its entry and never undoes another entry's success. An entry refused for the limit after it was checked in its window
 * keeps the limit's refusal; an entry of a later window is not checked at all (it could not be
 * created anyway), so it reports the limit even if it had another fault.
 */
import type {
  AssociationDescription,
  CreateAssociationBatchRequestEntry,
  FailedCreateAssociation,
} from "@aws-sdk/client-ssm";
import type { Scope } from "../../context.ts";
import { AssociationLimitExceeded, DuplicateInstanceId, SsmError } from "../../errors.ts";
import type { PlannedExecution } from "../executions/records.ts";
import type { Nodes, TargetReads } from "../nodes/nodes.ts";
import type { NodeRecord } from "../nodes/records.ts";
import type { CheckedAgainst } from "./checks.ts";
import type { AssociationRecord, AssociationVersionRecord } from "./records.ts";
import { describe } from "./views.ts";

/** Entries checked at once: enough to share a BatchGetItem, few enough to bound what is in flight. */
export const BATCH_WINDOW = 50;

/** What a create reads; a batch adds the nodes tag targets apply to (each tag read once for all entries). */
export type CreateReads = CheckedAgainst & {
  targetedNodeIds?(scope: Scope, association: AssociationRecord, atMost?: number): Promise<string[]>;
};

/** A create checked and planned, not yet written. */
export type PreparedCreate = {
  record: AssociationRecord;
  version: AssociationVersionRecord;
  run?: PlannedExecution;
  /** Its first run was too big for the request: the scheduler starts it (runs.ts `tooBigForRequest`). */
  deferred?: boolean;
};

/** The two steps of a create (Associations.prepare and commit), and what they read from. */
export type BatchCreator = {
  readonly documents: CheckedAgainst["documents"];
  readonly nodes: CheckedAgainst["nodes"] & Pick<Nodes, "targetedNodeIds">;
  prepare(scope: Scope, entry: CreateAssociationBatchRequestEntry, reads: CreateReads): Promise<PreparedCreate>;
  /** The writes of prepared creates, packed: per entry, nothing (created) or why not. */
  commitMany(scope: Scope, prepared: readonly PreparedCreate[]): Promise<(SsmError | undefined)[]>;
};

export async function createBatch(
  creator: BatchCreator,
  scope: Scope,
  entries: CreateAssociationBatchRequestEntry[],
): Promise<{ Successful: AssociationDescription[]; Failed: FailedCreateAssociation[] }> {
  assertDistinctInstanceIds(entries);
  const reads = sharedReads(creator);
  const Successful: AssociationDescription[] = [];
  const Failed: FailedCreateAssociation[] = [];
  const fail = (entry: CreateAssociationBatchRequestEntry, error: unknown) => {
    if (!(error instanceof SsmError)) throw error;
    Failed.push({ Entry: entry, Message: error.message || error.code, Fault: error.fault });
  };
  let full: AssociationLimitExceeded | undefined;
  for (let start = 0; start < entries.length; start += BATCH_WINDOW) {
    const window = entries.slice(start, start + BATCH_WINDOW);
    if (full) {
      for (const entry of window) fail(entry, full);
      continue;
    }
    if (start > 0) await yieldToEventLoop();
    const prepared = await Promise.allSettled(window.map((entry) => creator.prepare(scope, entry, reads)));
    // The window's checked creates are written together, packed into few transactions.
    const ready = prepared.flatMap((outcome, i) =>
      outcome.status === "fulfilled" ? [{ i, create: outcome.value }] : [],
    );
    const written = await creator.commitMany(
      scope,
      ready.map(({ create }) => create),
    );
    const outcomes = new Map(ready.map(({ i, create }, at) => [i, { create, error: written[at] }]));
    for (const [i, outcome] of prepared.entries()) {
      const entry = window[i] as CreateAssociationBatchRequestEntry;
      const write = outcomes.get(i);
      if (outcome.status === "rejected") fail(entry, outcome.reason);
      else if (write?.error) {
        if (write.error instanceof AssociationLimitExceeded) full = write.error;
        fail(entry, write.error);
      } else if (write) Successful.push(describe(write.create.record));
    }
  }
  return { Successful, Failed };
}

/**
 * A managed node named by the InstanceId of more than one entry fails the whole call with
 * DuplicateInstanceId before anything is written: the model lists it among the operation's
 * errors (not a per-entry Fault), its shape has no member tying it to an entry, and it is a
 * relation between entries rather than a fault of one.
 */
function assertDistinctInstanceIds(entries: CreateAssociationBatchRequestEntry[]): void {
  const seen = new Set<string>();
  for (const entry of entries) {
    if (!entry.InstanceId) continue;
    if (seen.has(entry.InstanceId)) {
      throw new DuplicateInstanceId("You can't specify a managed node ID in more than one association.");
    }
    seen.add(entry.InstanceId);
  }
}

/**
 * The reads of one request, each made once: a document by (name, version), a node by id, the
 * nodes of a tag (or every node). A read that failed fails again for every entry that needs it (same error).
 */
function sharedReads(source: BatchCreator): CreateReads {
  const documents = new Map<string, ReturnType<BatchCreator["documents"]["forAssociation"]>>();
  const calendars = new Map<string, Promise<string>>();
  const nodes = new Map<string, Promise<NodeRecord | undefined>>();
  const targetReads: TargetReads = new Map();
  return {
    documents: {
      forAssociation(scope, name, version) {
        const key = `${name}\u0000${version ?? ""}`;
        let read = documents.get(key);
        if (!read) {
          read = source.documents.forAssociation(scope, name, version);
          documents.set(key, read);
        }
        return read;
      },
      calendarContent(scope, name) {
        let read = calendars.get(name);
        if (!read) {
          read = source.documents.calendarContent(scope, name);
          calendars.set(name, read);
        }
        return read;
      },
    },
    nodes: {
      async nodesByIds(scope, ids) {
        const wanted = [...new Set(ids)];
        const missing = wanted.filter((id) => !nodes.has(id));
        if (missing.length > 0) {
          const read = source.nodes.nodesByIds(scope, missing);
          for (const id of missing)
            nodes.set(
              id,
              read.then((found) => found.find((node) => node.InstanceId === id)),
            );
        }
        const found = await Promise.all(wanted.map((id) => nodes.get(id)));
        return found.filter((node): node is NodeRecord => node !== undefined);
      },
    },
    // Entries that target the same tag (or every node) read it once.
    targetedNodeIds: (scope, association, atMost) =>
      source.nodes.targetedNodeIds(scope, association, targetReads, atMost),
  };
}

/** Lets the I/O callbacks of other requests run before the next window. */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
