/**
 * The domain services a handler calls, wired once per process from configuration: the DynamoDB
 * client and table name are injected here and nowhere else.
 */
import { Authenticator } from "./auth/authenticate.ts";
import { SecretBox } from "./auth/secret-box.ts";
import { config } from "./config.ts";
import { Accounts } from "./domain/accounts/accounts.ts";
import { Documents } from "./domain/documents/documents.ts";
import { ResourceTags } from "./domain/resource-tags.ts";
import { DynamoCredentialStore } from "./store/credential-store.ts";
import { DynamoDocumentStore } from "./store/document-store.ts";
import { documentClient } from "./store/dynamodb.ts";

let documentsService: Documents | undefined;
let authenticatorService: Authenticator | undefined;
let accountsService: Accounts | undefined;

function secretBox(): SecretBox {
  const key = config().credentialsKey;
  if (!key) throw new Error("CREDENTIALS_KEY is not set: credential secrets cannot be read");
  return SecretBox.fromBase64(key);
}

export function authenticator(): Authenticator {
  authenticatorService ??= new Authenticator(
    new DynamoCredentialStore(documentClient(), config().tableName),
    secretBox(),
  );
  return authenticatorService;
}

export function accounts(): Accounts {
  accountsService ??= new Accounts(new DynamoCredentialStore(documentClient(), config().tableName), secretBox());
  return accountsService;
}
let resourceTagsService: ResourceTags | undefined;

export function documents(): Documents {
  documentsService ??= new Documents(new DynamoDocumentStore(documentClient(), config().tableName));
  return documentsService;
}

export function resourceTags(): ResourceTags {
  resourceTagsService ??= new ResourceTags(documents());
  return resourceTagsService;
}
