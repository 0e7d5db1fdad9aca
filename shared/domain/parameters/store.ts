/**
 * The store the parameters domain needs (implemented by shared/store/parameter-store.ts). Every
 * write that holds an invariant is one conditional transaction; a failed condition comes back as
 * the domain error named here, never as a DynamoDB error.
 */
import type { Tag } from "@aws-sdk/client-ssm";
import type { Scope } from "../../context.ts";
import type { ParameterRecord, ParameterVersionRecord, StoredTier } from "./records.ts";

export type Page<T> = { items: T[]; more: boolean };

/** What one batched read found: heads by name, versions by `name#version`. */
export type ReadResult = {
  heads: Map<string, ParameterRecord>;
  versions: Map<string, ParameterVersionRecord>;
};

export const versionKey = (name: string, version: number) => `${name}#${version}`;

export type Limits = Record<StoredTier, number>;

export interface ParameterStore {
  /** The head of one parameter (strongly consistent). */
  get(scope: Scope, name: string): Promise<ParameterRecord | undefined>;
  /** Heads and given versions of several parameters in one BatchGetItem (up to 100 keys). */
  read(
    scope: Scope,
    heads: readonly string[],
    versions: readonly { name: string; version: number }[],
  ): Promise<ReadResult>;
  /**
   * A new parameter: its head (unless one exists: ParameterAlreadyExists), version 1, and a slot
   * of its tier's per-account limit (ParameterLimitExceeded), in one transaction.
   */
  create(scope: Scope, head: ParameterRecord, version: ParameterVersionRecord, limits: Limits): Promise<void>;
  /**
   * A new version of `previous` (unchanged since it was read, else TooManyUpdates): the head,
   * the version, and, when `dropOldest` is set, the deletion of that version provided it has no
   * label (else ParameterMaxVersionLimitExceeded); a tier change moves the parameter's slot.
   */
  overwrite(
    scope: Scope,
    previous: ParameterRecord,
    head: ParameterRecord,
    version: ParameterVersionRecord,
    options: { dropOldest?: number; limits: Limits },
  ): Promise<void>;
  /** Deletes the head (unchanged since read) and releases its slot, then its versions. */
  delete(scope: Scope, head: ParameterRecord): Promise<void>;
  /**
   * Puts `labels` on version `target` and takes them off the versions they were on (`moved`),
   * with the head's label map, as one transaction conditioned on the head's revision.
   */
  label(
    scope: Scope,
    head: ParameterRecord,
    target: { version: number; labels: string[] },
    moved: { version: number; labels: string[] }[],
  ): Promise<void>;
  putTags(scope: Scope, head: ParameterRecord, tags: Tag[]): Promise<void>;
  /** Heads in name order whose name starts with `prefix`, after the name `after`. */
  list(scope: Scope, prefix: string, after: string | undefined, limit: number): Promise<Page<ParameterRecord>>;
  /** Kept versions of `head`, oldest first, after version `after`. */
  versions(
    scope: Scope,
    head: ParameterRecord,
    after: number | undefined,
    limit: number,
  ): Promise<Page<ParameterVersionRecord>>;
}
