/**
 * The stores the associations domain needs (implemented in shared/store/). Each write holds its
 * invariants itself (the account's limit, the legacy pair's uniqueness, the reference on the
 * document) and fails with the domain's error (./errors.ts).
 */
import type { Tag } from "@aws-sdk/client-ssm";
import type { Scope } from "../../context.ts";
import type { SsmError } from "../../errors.ts";
import type { Page } from "../../lib/page.ts";
import type { PlannedExecution, RunReport, TargetReport } from "../executions/records.ts";
import type {
  AssociationRecord,
  AssociationTargetRecord,
  AssociationVersionRecord,
  NodeViewAssociation,
} from "./records.ts";

/**
 * The keys the store indexes each association under (its targets'), part of this port's
 * contract: `indexed` finds an association by any of them (../targets.ts says how they relate to
 * `appliesTo`).
 */
export { associationLookupKeys } from "../targets.ts";

/** A create as the store writes it: the head (with its first run's id), its first version, its first run. */
export type NewAssociation = {
  association: AssociationRecord;
  version: AssociationVersionRecord;
  run?: PlannedExecution;
};

/** Associations, their versions and the legacy (document, node) pairs. */
export interface AssociationStore {
  /** With its first run, when it runs at once. */
  create(
    scope: Scope,
    association: AssociationRecord,
    version: AssociationVersionRecord,
    limit: number,
    run?: PlannedExecution,
  ): Promise<void>;
  /**
   * Many creates (CreateAssociationBatch), packed into as few transactions as the 100-item limit
   * allows, each as `create` would write it. The result says, entry by entry, nothing (created) or
   * why it was not: a packed transaction refused as a whole is tried again entry by entry, and
   * once the account's limit refuses one, the later ones fail the same way without a call.
   */
  createMany(scope: Scope, creates: readonly NewAssociation[], limit: number): Promise<(SsmError | undefined)[]>;
  get(scope: Scope, associationId: string): Promise<AssociationRecord | undefined>;
  getVersion(scope: Scope, associationId: string, version: number): Promise<AssociationVersionRecord | undefined>;
  /**
   * The legacy association of a (document, node) pair, whole, in one read that joins the
   * request's other reads (its `Revision` and `RunTarget` as of that read; the store keeps the
   * pair's copy of the head true in every write of the head).
   */
  legacyAssociation(scope: Scope, documentName: string, instanceId: string): Promise<AssociationRecord | undefined>;
  /** A new version, on condition that the head is still `previous`. */
  update(
    scope: Scope,
    previous: AssociationRecord,
    next: AssociationRecord,
    version: AssociationVersionRecord,
    run?: PlannedExecution,
  ): Promise<void>;
  delete(scope: Scope, association: AssociationRecord): Promise<void>;
  list(scope: Scope, after: string | undefined, limit: number): Promise<Page<AssociationRecord>>;
  /**
   * The associations indexed under any of these lookup keys (a node's, ../targets.ts
   * `nodeLookupKeys`), in id order: every one that applies to the node, and perhaps some that
   * don't (index entries are hints), so the caller checks each with `appliesTo`. Reads only
   * those keys' entries and the heads they name, never every association of the account.
   * `laterKeys` are more keys known only later (a node's tag keys, once the node is read): the
   * queries of `lookupKeys` don't wait for them, and all heads are read in one batch.
   */
  indexed(
    scope: Scope,
    lookupKeys: readonly string[],
    laterKeys?: Promise<readonly string[]>,
  ): Promise<AssociationRecord[]>;
  /** As `indexed`, with only what a node's view needs of each head (records.ts NODE_VIEW_ATTRIBUTES). */
  nodeView(
    scope: Scope,
    lookupKeys: readonly string[],
    laterKeys?: Promise<readonly string[]>,
  ): Promise<NodeViewAssociation[]>;
  /**
   * Drops the association's index entries under these keys if they are stale: put no later than
   * `revision`, the head as read, which has none of these keys (an entry an update in flight put
   * for its next revision stays). Best effort.
   */
  dropStaleHints(
    scope: Scope,
    stale: { associationId: string; revision: number; lookupKeys: readonly string[] },
  ): Promise<void>;
  listVersions(
    scope: Scope,
    associationId: string,
    after: number | undefined,
    limit: number,
  ): Promise<Page<AssociationVersionRecord>>;
  setStatus(
    scope: Scope,
    association: AssociationRecord,
    status: NonNullable<AssociationRecord["Status"]>,
    now: string,
    run?: RunReport | TargetReport,
  ): Promise<void>;
  putTags(scope: Scope, association: AssociationRecord, tags: Tag[]): Promise<void>;
}

/** The status each node reported for each association, rolled up on the association. */
export interface AssociationTargetStore {
  getTarget(scope: Scope, associationId: string, instanceId: string): Promise<AssociationTargetRecord | undefined>;
  /** The node's status and the association's rollup, in one transaction. */
  reportTarget(
    scope: Scope,
    association: AssociationRecord,
    previous: AssociationTargetRecord | undefined,
    next: AssociationTargetRecord,
    run?: RunReport,
  ): Promise<void>;
  /**
   * The node's status Skipped, for a run that will not start it (its own item only, as read;
   * the association must exist). False when the item moved meanwhile (the node's own report):
   * it is recorded on a later poll if still due.
   */
  recordSkipped(
    scope: Scope,
    previous: AssociationTargetRecord | undefined,
    next: AssociationTargetRecord,
  ): Promise<boolean>;
  /** Every status a node has reported, one per association. */
  targetsOfNode(scope: Scope, instanceId: string): Promise<AssociationTargetRecord[]>;
  /** A page of them in association id order, after `after` (DescribeInstanceAssociationsStatus). */
  targetsOfNodePage(
    scope: Scope,
    instanceId: string,
    after: string | undefined,
    limit: number,
  ): Promise<Page<AssociationTargetRecord>>;
}
