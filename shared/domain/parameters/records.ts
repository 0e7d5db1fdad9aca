/**
 * Parameters as the store keeps them. A parameter is a head record (the latest version's
 * fields, so that reading a parameter by name is one GetItem, plus parameter-wide facts) and
 * one record per kept version (at most 100), all in one partition.
 */
import type { ParameterType, Tag } from "@aws-sdk/client-ssm";

/** The tier a parameter is stored in; Intelligent-Tiering resolves to one of these. */
export type StoredTier = "Standard" | "Advanced";

/** One version, as written by one PutParameter. */
export type ParameterVersionRecord = {
  Name: string;
  Version: number;
  Type: ParameterType;
  /** The value; for SecureString the value sealed with the service's key (see shared/auth/secret-box.ts). */
  Value: string;
  /** SecureString only: the KMS key the caller named (or `alias/aws/ssm`); the value is sealed with ours. */
  KeyId?: string;
  Description?: string;
  AllowedPattern?: string;
  Tier: StoredTier;
  /** The policies JSON as given (Advanced only). */
  Policies?: string;
  DataType: string;
  /** ISO-8601 */
  LastModifiedDate: string;
  LastModifiedUser: string;
  /** Labels on this version (at most 10); mirrored by the head's `Labels` map. */
  Labels: string[];
  /** The head's generation when this version was written (see ParameterRecord.Generation). */
  Generation: string;
};

export type ParameterRecord = Omit<ParameterVersionRecord, "Labels"> & {
  /** The oldest version still kept: versions run from here to `Version` without gaps. */
  OldestVersion: number;
  /** Every label of the parameter and the version it is on (a label is on one version at most). */
  Labels: Record<string, number>;
  Tags: Tag[];
  /** Bumped by every write to the head: the optimistic lock of label and tag changes. */
  Revision: number;
  /**
   * A random id given at creation. A parameter deleted and created again is a new generation, so
   * the version items a slow delete is still removing are never the new parameter's.
   */
  Generation: string;
};

/** The version fields of a head record: the latest version. */
export function latestVersionOf(head: ParameterRecord): ParameterVersionRecord {
  const { OldestVersion: _o, Labels, Tags: _t, Revision: _r, ...version } = head;
  return { ...version, Labels: Object.keys(Labels).filter((label) => Labels[label] === head.Version) };
}
