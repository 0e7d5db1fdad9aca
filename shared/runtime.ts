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
import { associationNotFound } from "./domain/associations/errors.ts";
import { InstanceAssociations } from "./domain/associations/instance-associations.ts";
import { Compliance } from "./domain/compliance/compliance.ts";
import { Documents } from "./domain/documents/documents.ts";
import { DocumentSharing } from "./domain/documents/sharing.ts";
import { AgentRuns } from "./domain/executions/agent-runs.ts";
import { Executions, type RunDependencies } from "./domain/executions/executions.ts";
import { Inventory } from "./domain/inventory/inventory.ts";
import { CUSTOM_TYPE_LIMIT } from "./domain/inventory/schemas.ts";
import { MessageChannel } from "./domain/messages/messages.ts";
import { Nodes } from "./domain/nodes/nodes.ts";
import { ADVANCED_PARAMETER_LIMIT, Parameters, STANDARD_PARAMETER_LIMIT } from "./domain/parameters/parameters.ts";
import { ResourceTags } from "./domain/resource-tags.ts";
import { Scheduler } from "./domain/scheduler/scheduler.ts";
import { appliesTo } from "./domain/targets.ts";
import { SsmError } from "./errors.ts";
import { DynamoAssociationStore } from "./store/association-store.ts";
import { DynamoAssociationTargetStore } from "./store/association-target-store.ts";
import { DynamoComplianceStore } from "./store/compliance-store.ts";
import { DynamoCredentialStore } from "./store/credential-store.ts";
import { DynamoDocumentShareStore } from "./store/document-share-store.ts";
import { DynamoDocumentStore } from "./store/document-store.ts";
import { documentClient } from "./store/dynamodb.ts";
import { DynamoExecutionStore } from "./store/execution-store.ts";
import { DynamoInventoryStore } from "./store/inventory-store.ts";
import { DynamoNodeStore } from "./store/node-store.ts";
import { DynamoParameterStore } from "./store/parameter-store.ts";
import { DynamoScheduleStore } from "./store/schedule-store.ts";

export type RuntimeOptions = {
  db: DynamoDBDocumentClient;
  tableName: string;
  /** The key that seals stored secrets, or how to load it on first use (a Secrets Manager read). */
  secretBox: SecretBox | (() => Promise<SecretBox>);
  /** Active associations per account and Region; AWS's quota unless lowered (for tests). */
  associationLimit?: number;
  /** Standard-tier parameters per account and Region; AWS's quota unless lowered (for tests). */
  parameterLimit?: number;
  /** The header holding the host the client signed (see shared/config.ts). */
  signedHostHeader?: string;
  /** The time runs and schedules are computed at; a fake clock in tests. */
  clock?: () => Date;
  /** How long GetMessages holds an empty poll open, in milliseconds; 0 (the default) answers at once. */
  messagePollHoldMs?: number;
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
  /** Runs of associations (executions), and the scheduler that starts them on schedule. */
  readonly executions: Executions;
  readonly scheduler: Scheduler;
  readonly inventory: Inventory;
  /** The ec2messages channel the SSM Agent polls. */
  readonly messageChannel: MessageChannel;
  /** Need the sealing key, which may have to be loaded first. */
  accounts(): Promise<Accounts>;
  authenticator(): Promise<Authenticator>;
  /** Parameter Store: SecureString values are sealed with the same key as credential secrets. */
  parameters(): Promise<Parameters>;
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
  const targetStore = new DynamoAssociationTargetStore(db, tableName);
  const nodes = new Nodes(new DynamoNodeStore(db, tableName), accounts, undefined, (scope, id) =>
    targetStore.targetsOfNode(scope, id),
  );
  const executionStore = new DynamoExecutionStore(db, tableName);
  const runs: RunDependencies = {
    association: (scope, id) => associationStore.get(scope, id),
    targetedNodeIds: (scope, association) =>
      nodes.targetedNodeIds(scope, association, (node) => appliesTo(association, node)),
    documentVersion: async (scope, association) => {
      try {
        const { version } = await documents.forAssociation(scope, association.Name, association.DocumentVersion);
        return String(version.DocumentVersion);
      } catch (error) {
        if (error instanceof SsmError) return undefined;
        throw error;
      }
    },
    notFound: associationNotFound,
  };
  const executions = new Executions(executionStore, runs, options.clock);
  const associations = new Associations(associationStore, documents, nodes, executions, options.associationLimit);
  const compliance = new Compliance(new DynamoComplianceStore(db, tableName), nodes);
  const parameterStore = new DynamoParameterStore(db, tableName);
  const parameters = once(
    async () =>
      new Parameters(parameterStore, await box(), {
        Standard: options.parameterLimit ?? STANDARD_PARAMETER_LIMIT,
        Advanced: ADVANCED_PARAMETER_LIMIT,
      }),
  );
  return {
    documents,
    documentSharing: new DocumentSharing(documentStore, shareStore),
    nodes,
    associations,
    instanceAssociations: new InstanceAssociations(
      associationStore,
      targetStore,
      documents,
      nodes,
      compliance,
      new AgentRuns(executionStore, executions.clock),
      executions,
    ),
    compliance,
    resourceTags: new ResourceTags(documents, nodes, associations, parameters),
    executions,
    scheduler: new Scheduler(new DynamoScheduleStore(db, tableName), executions),
    inventory: new Inventory(
      new DynamoInventoryStore(db, tableName, CUSTOM_TYPE_LIMIT),
      async (scope, instanceId) => (await nodes.node(scope, instanceId)) !== undefined,
    ),
    messageChannel: new MessageChannel(options.messagePollHoldMs ?? 0),
    accounts,
    authenticator,
    parameters,
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
    parameterLimit: settings.parameterLimit,
    signedHostHeader: settings.signedHostHeader,
    messagePollHoldMs: settings.messagePollHoldMs,
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
