/**
 * The composition root: the one place that builds the DynamoDB stores and the domain services
 * from an injected document client and table name. Handlers reach the services through
 * `runtime()` (see shared/handler.ts); tests and the admin command build their own with
 * `createRuntime` and `installRuntime` it, so nothing configures the service through the
 * environment except `config()` at a cold start.
 */
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { loadCredentialsKey } from "./auth/credentials-key.ts";
import type { SecretBox } from "./auth/secret-box.ts";
import { type Config, config } from "./config.ts";
import { Accounts } from "./domain/accounts/accounts.ts";
import { Authenticator } from "./domain/accounts/authenticator.ts";
import { Associations } from "./domain/associations/associations.ts";
import { InstanceAssociations } from "./domain/associations/instance-associations.ts";
import { Compliance } from "./domain/compliance/compliance.ts";
import { Documents } from "./domain/documents/documents.ts";
import { DocumentSharing } from "./domain/documents/sharing.ts";
import { Nodes } from "./domain/nodes/nodes.ts";
import { ResourceTags } from "./domain/resource-tags.ts";
import { DynamoAssociationStore } from "./store/association-store.ts";
import { DynamoAssociationTargetStore } from "./store/association-target-store.ts";
import { DynamoComplianceStore } from "./store/compliance-store.ts";
import { DynamoCredentialStore } from "./store/credential-store.ts";
import { DynamoDocumentShareStore } from "./store/document-share-store.ts";
import { DynamoDocumentStore } from "./store/document-store.ts";
import { documentClient } from "./store/dynamodb.ts";
import { DynamoNodeStore } from "./store/node-store.ts";

export type RuntimeOptions = {
  db: DynamoDBDocumentClient;
  tableName: string;
  /** The key that seals stored secrets, or how to load it on first use (a Secrets Manager read). */
  secretBox: SecretBox | (() => Promise<SecretBox>);
  /** Active associations per account and Region; AWS's quota unless lowered (for tests). */
  associationLimit?: number;
  /** The header holding the host the client signed (see shared/config.ts). */
  signedHostHeader?: string;
};

/** Everything an operation can call, built once per process. */
export type Services = {
  readonly documents: Documents;
  readonly documentSharing: DocumentSharing;
  readonly nodes: Nodes;
  readonly associations: Associations;
  readonly instanceAssociations: InstanceAssociations;
  readonly compliance: Compliance;
  readonly resourceTags: ResourceTags;
  /** Need the sealing key, which may have to be loaded first. */
  accounts(): Promise<Accounts>;
  authenticator(): Promise<Authenticator>;
  readonly signedHostHeader: string;
};

export function createRuntime(options: RuntimeOptions): Services {
  const { db, tableName } = options;
  const box = once(async () => (typeof options.secretBox === "function" ? options.secretBox() : options.secretBox));
  const credentialStore = new DynamoCredentialStore(db, tableName);
  const associationStore = new DynamoAssociationStore(db, tableName);
  const accounts = once(async () => new Accounts(credentialStore, await box()));
  const authenticator = once(async () => new Authenticator(credentialStore, await box()));

  const documentStore = new DynamoDocumentStore(db, tableName);
  const shareStore = new DynamoDocumentShareStore(db, tableName);
  const documents = new Documents(documentStore, undefined, shareStore);
  const nodes = new Nodes(new DynamoNodeStore(db, tableName), accounts);
  const associations = new Associations(associationStore, documents, nodes, options.associationLimit);
  const compliance = new Compliance(new DynamoComplianceStore(db, tableName), nodes);
  return {
    documents,
    documentSharing: new DocumentSharing(documentStore, shareStore),
    nodes,
    associations,
    instanceAssociations: new InstanceAssociations(
      associationStore,
      new DynamoAssociationTargetStore(db, tableName),
      documents,
      nodes,
      compliance,
    ),
    compliance,
    resourceTags: new ResourceTags(documents, nodes, associations),
    accounts,
    authenticator,
    signedHostHeader: (options.signedHostHeader ?? "host").toLowerCase(),
  };
}

/** The runtime a deployed function (or `npm start`) builds from its environment. */
export function runtimeOptionsFrom(settings: Config): RuntimeOptions {
  return {
    db: documentClient(settings.dynamodbEndpoint, settings.tableRegion),
    tableName: settings.tableName,
    secretBox: () => loadCredentialsKey(settings),
    associationLimit: settings.associationLimit,
    signedHostHeader: settings.signedHostHeader,
  };
}

let current: Services | undefined;

/** The process's services: the installed ones, or else those the environment describes. */
export function runtime(): Services {
  current ??= createRuntime(runtimeOptionsFrom(config()));
  return current;
}

/** Makes these the services every handler of this process uses (tests, the admin command). */
export function installRuntime(services: Services | undefined): void {
  current = services;
}

/** A lazily started async value; a failure is not remembered, so the next call tries again. */
function once<T>(start: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => {
    value ??= start().catch((error: unknown) => {
      value = undefined;
      throw error;
    });
    return value;
  };
}
