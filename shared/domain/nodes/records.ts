/** Activations and managed nodes as the store keeps them. */
import type { PlatformType, Tag } from "@aws-sdk/client-ssm";

export type ActivationRecord = {
  ActivationId: string;
  AccountId: string;
  Region: string;
  /** SHA-256 of the activation code: the code itself is shown once, at creation. */
  CodeHash: string;
  Description?: string;
  DefaultInstanceName?: string;
  IamRole: string;
  RegistrationLimit: number;
  RegistrationsCount: number;
  /** ISO-8601 */
  ExpirationDate: string;
  CreatedDate: string;
  Tags: Tag[];
};

export type NodeRecord = {
  InstanceId: string;
  /** ManagedInstance: registered with an activation (`mi-`); EC2Instance: announced with account credentials (`i-`). */
  ResourceType: "ManagedInstance" | "EC2Instance";
  Name?: string;
  ActivationId?: string;
  IamRole?: string;
  /** ISO-8601 */
  RegistrationDate: string;
  LastPingDateTime?: string;
  AgentName?: string;
  AgentVersion?: string;
  PlatformType?: PlatformType;
  PlatformName?: string;
  PlatformVersion?: string;
  IPAddress?: string;
  ComputerName?: string;
  AvailabilityZone?: string;
  Tags: Tag[];
  /** Bumped by every change: the optimistic-concurrency token of tag writes. */
  Revision: number;
};

/** What an agent's heartbeat (UpdateInstanceInformation) reports about its node. */
export const REPORTED_FIELDS = [
  "AgentName",
  "AgentVersion",
  "PlatformType",
  "PlatformName",
  "PlatformVersion",
  "IPAddress",
  "ComputerName",
  "AvailabilityZone",
] as const;

export type NodeReport = Partial<Pick<NodeRecord, (typeof REPORTED_FIELDS)[number]>>;

/** What a node proves itself with: the public half of the key pair it registered. */
export type NodeIdentityRecord = {
  InstanceId: string;
  AccountId: string;
  Region: string;
  /** Base64 DER of the RSA public key. */
  PublicKey: string;
  PublicKeyType: "Rsa";
  Fingerprint: string;
  /**
   * The node's IAM role, which its credentials' sessions are named by (their assumed-role ARN in
   * the request log and the audit trail); kept equal to the node's by UpdateManagedInstanceRole.
   * Absent on identities written before it was kept.
   */
  IamRole?: string;
};

/** What a heartbeat sets on a node. */
export type Heartbeat = NodeReport & { LastPingDateTime: string };
