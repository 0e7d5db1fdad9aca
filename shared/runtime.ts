/**
 * The domain services a handler calls, wired once per process from configuration: the DynamoDB
 * client and table name are injected here and nowhere else.
 */
import { Authenticator } from "./auth/authenticate.ts";
import { loadCredentialsKey } from "./auth/credentials-key.ts";
import type { SecretBox } from "./auth/secret-box.ts";
import { config } from "./config.ts";
import { Accounts } from "./domain/accounts/accounts.ts";
import { Associations } from "./domain/associations/associations.ts";
import { appliesTo, InstanceAssociations } from "./domain/associations/instance-associations.ts";
import { Compliance } from "./domain/compliance/compliance.ts";
import { Documents } from "./domain/documents/documents.ts";
import { AgentRuns } from "./domain/executions/agent-runs.ts";
import { Executions, type RunDependencies } from "./domain/executions/executions.ts";
import { Nodes } from "./domain/nodes/nodes.ts";
import { ResourceTags } from "./domain/resource-tags.ts";
import { Scheduler } from "./domain/scheduler/scheduler.ts";
import { SsmError } from "./errors.ts";
import { associationNotFound, DynamoAssociationStore } from "./store/association-store.ts";
import { DynamoComplianceStore } from "./store/compliance-store.ts";
import { DynamoCredentialStore } from "./store/credential-store.ts";
import { DynamoDocumentStore } from "./store/document-store.ts";
import { documentClient } from "./store/dynamodb.ts";
import { DynamoExecutionStore } from "./store/execution-store.ts";
import { DynamoNodeStore } from "./store/node-store.ts";
import { DynamoScheduleStore } from "./store/schedule-store.ts";

let documentsService: Documents | undefined;
let authenticatorService: Promise<Authenticator> | undefined;
let accountsService: Promise<Accounts> | undefined;
let sealingKey: Promise<SecretBox> | undefined;

/** The credentials key, loaded once per process (a Secrets Manager read when deployed). */
function secretBox(): Promise<SecretBox> {
  sealingKey ??= loadCredentialsKey(config()).catch((error: unknown) => {
    sealingKey = undefined;
    throw error;
  });
  return sealingKey;
}

function credentialStore(): DynamoCredentialStore {
  return new DynamoCredentialStore(documentClient(), config().tableName);
}

export function authenticator(): Promise<Authenticator> {
  authenticatorService ??= secretBox().then((box) => new Authenticator(credentialStore(), box));
  return authenticatorService;
}

export function accounts(): Promise<Accounts> {
  accountsService ??= secretBox().then((box) => new Accounts(credentialStore(), box));
  return accountsService;
}

let resourceTagsService: ResourceTags | undefined;
let nodeStoreInstance: DynamoNodeStore | undefined;
let nodesService: Nodes | undefined;

export function nodeStore(): DynamoNodeStore {
  nodeStoreInstance ??= new DynamoNodeStore(documentClient(), config().tableName);
  return nodeStoreInstance;
}

export function nodes(): Nodes {
  nodesService ??= new Nodes(nodeStore(), accounts, undefined, (scope, id) =>
    associationStore().targetsOfNode(scope, id),
  );
  return nodesService;
}

export function documents(): Documents {
  documentsService ??= new Documents(new DynamoDocumentStore(documentClient(), config().tableName));
  return documentsService;
}

let associationsService: Associations | undefined;
let instanceAssociationsService: InstanceAssociations | undefined;
let associationStoreInstance: DynamoAssociationStore | undefined;

function associationStore(): DynamoAssociationStore {
  associationStoreInstance ??= new DynamoAssociationStore(documentClient(), config().tableName);
  return associationStoreInstance;
}

export function associations(): Associations {
  associationsService ??= new Associations(
    associationStore(),
    documents(),
    nodes(),
    executions(),
    config().associationLimit,
  );
  return associationsService;
}

let complianceService: Compliance | undefined;

export function compliance(): Compliance {
  complianceService ??= new Compliance(new DynamoComplianceStore(documentClient(), config().tableName), nodes());
  return complianceService;
}

export function instanceAssociations(): InstanceAssociations {
  instanceAssociationsService ??= new InstanceAssociations(
    associationStore(),
    documents(),
    nodes(),
    compliance(),
    new AgentRuns(executionStore(), executions().clock),
    executions(),
  );
  return instanceAssociationsService;
}

export function resourceTags(): ResourceTags {
  resourceTagsService ??= new ResourceTags(documents(), nodes(), associations());
  return resourceTagsService;
}

let executionsService: Executions | undefined;
let executionStoreInstance: DynamoExecutionStore | undefined;

function executionStore(): DynamoExecutionStore {
  executionStoreInstance ??= new DynamoExecutionStore(documentClient(), config().tableName);
  return executionStoreInstance;
}
let schedulerService: Scheduler | undefined;

export function executions(): Executions {
  executionsService ??= new Executions(executionStore(), runDependencies());
  return executionsService;
}

/** What a run needs from the other services (tests build an Executions on a fake clock with it). */
export function runDependencies(): RunDependencies {
  return {
    association: (scope, id) => associationStore().get(scope, id),
    targetedNodeIds: (scope, association) =>
      nodes().targetedNodeIds(scope, association, (node) => appliesTo(association, node)),
    documentVersion: async (scope, association) => {
      try {
        const { version } = await documents().forAssociation(scope, association.Name, association.DocumentVersion);
        return String(version.DocumentVersion);
      } catch (error) {
        if (error instanceof SsmError) return undefined;
        throw error;
      }
    },
    notFound: associationNotFound,
  };
}

export function scheduler(): Scheduler {
  schedulerService ??= new Scheduler(new DynamoScheduleStore(documentClient(), config().tableName), executions());
  return schedulerService;
}
