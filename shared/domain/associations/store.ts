/**
 * The stores the associations domain needs (implemented in shared/store/). Each write holds its
 * invariants itself (the account's limit, the legacy pair's uniqueness, the reference on the
 * document) and fails with the domain's error (./errors.ts).
 */
import type { Tag } from "@aws-sdk/client-ssm";
import type { Scope } from "../../context.ts";
import type { Page } from "../../lib/page.ts";
import type { AssociationRecord, AssociationTargetRecord, AssociationVersionRecord } from "./records.ts";

/** Associations, their versions and the legacy (document, node) pairs. */
export interface AssociationStore {
  create(scope: Scope, association: AssociationRecord, version: AssociationVersionRecord, limit: number): Promise<void>;
  get(scope: Scope, associationId: string): Promise<AssociationRecord | undefined>;
  getVersion(scope: Scope, associationId: string, version: number): Promise<AssociationVersionRecord | undefined>;
  /** The id of the legacy association of a (document, node) pair. */
  legacyAssociationId(scope: Scope, documentName: string, instanceId: string): Promise<string | undefined>;
  /** A new version, on condition that the head is still `previous`. */
  update(
    scope: Scope,
    previous: AssociationRecord,
    next: AssociationRecord,
    version: AssociationVersionRecord,
  ): Promise<void>;
  delete(scope: Scope, association: AssociationRecord): Promise<void>;
  list(scope: Scope, after: string | undefined, limit: number): Promise<Page<AssociationRecord>>;
  /** Every association of the account and Region. */
  all(scope: Scope): Promise<AssociationRecord[]>;
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
  ): Promise<void>;
  /** Every status a node has reported, one per association. */
  targetsOfNode(scope: Scope, instanceId: string): Promise<AssociationTargetRecord[]>;
}
