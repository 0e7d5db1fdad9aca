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
import { InstanceAssociations } from "./domain/associations/instance-associations.ts";
import { Compliance } from "./domain/compliance/compliance.ts";
import { Documents } from "./domain/documents/documents.ts";
import { Nodes } from "./domain/nodes/nodes.ts";
import { ADVANCED_PARAMETER_LIMIT, Parameters, STANDARD_PARAMETER_LIMIT } from "./domain/parameters/parameters.ts";
import { ResourceTags } from "./domain/resource-tags.ts";
import { DynamoAssociationStore } from "./store/association-store.ts";
import { DynamoComplianceStore } from "./store/compliance-store.ts";
import { DynamoCredentialStore } from "./store/credential-store.ts";
import { DynamoDocumentStore } from "./store/document-store.ts";
import { documentClient } from "./store/dynamodb.ts";
import { DynamoNodeStore } from "./store/node-store.ts";
import { DynamoParameterStore } from "./store/parameter-store.ts";

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
  nodesService ??= new Nodes(nodeStore(), accounts);
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
  associationsService ??= new Associations(associationStore(), documents(), nodes(), config().associationLimit);
  return associationsService;
}

let complianceService: Compliance | undefined;

export function compliance(): Compliance {
  complianceService ??= new Compliance(new DynamoComplianceStore(documentClient(), config().tableName), nodes());
  return complianceService;
}

export function instanceAssociations(): InstanceAssociations {
  instanceAssociationsService ??= new InstanceAssociations(associationStore(), documents(), nodes(), compliance());
  return instanceAssociationsService;
}

let parametersService: Promise<Parameters> | undefined;

/** Parameter Store: SecureString values are sealed with the same key as credential secrets. */
export function parameters(): Promise<Parameters> {
  parametersService ??= secretBox().then(
    (box) =>
      new Parameters(
        new DynamoParameterStore(documentClient(), config().tableName),
        box,
        async (scope, nodeId) => (await nodes().node(scope, nodeId))?.IamRole,
        { Standard: config().parameterLimit ?? STANDARD_PARAMETER_LIMIT, Advanced: ADVANCED_PARAMETER_LIMIT },
      ),
  );
  return parametersService;
}

export function resourceTags(): ResourceTags {
  resourceTagsService ??= new ResourceTags(documents(), nodes(), associations(), parameters);
  return resourceTagsService;
}
