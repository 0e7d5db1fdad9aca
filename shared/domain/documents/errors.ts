/**
 * The documents domain's errors with AWS's wording, built once here: the domain and the document
 * store (which maps a failed condition to one of these) both use them.
 */
import {
  AssociatedInstances,
  DocumentAlreadyExists,
  DocumentLimitExceeded,
  DocumentPermissionLimit,
  DuplicateDocumentContent,
  DuplicateDocumentVersionName,
  InvalidDocument,
  InvalidDocumentOperation,
  InvalidDocumentVersion,
  TooManyUpdates,
} from "../../errors.ts";

export const documentNotFound = (nameOrArn: string) =>
  new InvalidDocument(`Document with name ${nameOrArn} does not exist.`);
export const documentAlreadyExists = (name: string) =>
  new DocumentAlreadyExists(`Document with same name ${name} already exists`);
export const documentLimitExceeded = (limit: number) =>
  new DocumentLimitExceeded(`You can have at most ${limit} active SSM documents.`);
export const invalidDocumentVersion = () =>
  new InvalidDocumentVersion("The document version is not valid or does not exist.");
export const duplicateDocumentContent = () =>
  new DuplicateDocumentContent(
    "The content of the association document matches another document. Change the content of the document and try again.",
  );
export const duplicateVersionName = () =>
  new DuplicateDocumentVersionName(
    "The version name has already been used in this document. Specify a different version name, and then try again.",
  );
export const documentTooManyUpdates = () => new TooManyUpdates("Too many updates to the document. Try again later.");
export const documentHasAssociations = () =>
  new AssociatedInstances("You must disassociate a document from all managed nodes before you can delete it.");
export const awsOwnedIsReadOnly = (name: string) =>
  new InvalidDocumentOperation(`Document ${name} is owned by Amazon and can't be modified or deleted.`);
/** InvalidDocumentOperation's own documentation in the model, word for word. */
export const documentStillShared = () =>
  new InvalidDocumentOperation(
    "You attempted to delete a document while it is still shared. You must stop sharing the document before you can delete it.",
  );
export const tooManySharedAccounts = (limit: number) =>
  new DocumentPermissionLimit(
    `The document can't be shared with more Amazon Web Services accounts. You can share a private document with a maximum of ${limit} accounts.`,
  );
export const tooManyPublicShares = (limit: number) =>
  new DocumentPermissionLimit(
    `The document can't be shared publicly. You can publicly share a maximum of ${limit} documents.`,
  );
