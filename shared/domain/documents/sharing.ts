/**
 * Sharing a document with other accounts (ModifyDocumentPermission, DescribeDocumentPermission),
 * as the API reference and the user guide's documents-ssm-sharing page describe it:
 * - only the owner shares, by the document's name; `Share` is the only permission type;
 * - an account id, or `All` (any case; AWS prints it back as `all`) for everyone;
 * - AccountIdsToRemove wins over AccountIdsToAdd for the same account;
 * - SharedDocumentVersion `$DEFAULT` (when not given), `$LATEST` or `$ALL`;
 * - at most 1,000 accounts per document and five publicly shared documents per account
 *   (DocumentPermissionLimit); the 20 accounts per call are the model's list limit.
 * The limits are held by the store's transaction: the head's share count under its revision, and
 * the account's public-share counter slot.
 */
import type {
  DescribeDocumentPermissionRequest,
  DescribeDocumentPermissionResponse,
  ModifyDocumentPermissionRequest,
} from "@aws-sdk/client-ssm";
import type { Scope } from "../../context.ts";
import { ValidationException } from "../../errors.ts";
import { isTooManyUpdates, retry } from "../../lib/retry.ts";
import { decodeToken, encodeToken } from "../pagination.ts";
import { awsOwnedDocuments } from "./aws-owned/index.ts";
import { documentNotFound, tooManySharedAccounts } from "./errors.ts";
import type { DocumentRecord, DocumentShareRecord } from "./records.ts";
import type { DocumentShareStore, DocumentStore } from "./store.ts";

/** How AWS writes "shared with every account" (the published describe-document-permission output). */
export const PUBLIC = "all";

export type SharingLimits = { accountsPerDocument: number; publicDocuments: number };
export const SHARING_LIMITS: SharingLimits = { accountsPerDocument: 1000, publicDocuments: 5 };

const accountKey = (id: string) => (id.toLowerCase() === PUBLIC ? PUBLIC : id);

export class DocumentSharing {
  constructor(
    private readonly documents: DocumentStore,
    private readonly shares: DocumentShareStore,
    private readonly limits: SharingLimits = SHARING_LIMITS,
  ) {}

  async modify(scope: Scope, request: ModifyDocumentPermissionRequest): Promise<void> {
    const name = request.Name as string;
    const remove = new Set((request.AccountIdsToRemove ?? []).map(accountKey));
    const add = [...new Set((request.AccountIdsToAdd ?? []).map(accountKey))].filter((id) => !remove.has(id));
    if (!request.AccountIdsToAdd?.length && !request.AccountIdsToRemove?.length) {
      throw new ValidationException("Specify AccountIdsToAdd or AccountIdsToRemove.");
    }
    const version = request.SharedDocumentVersion ?? "$DEFAULT";
    // A concurrent change to the document (another share, an update) moves its revision; the
    // write then fails and is retried on fresh reads.
    await retry(async () => {
      const document = await this.ownDocument(scope, name);
      const existing = await this.shares.existing(scope, name, [...add, ...remove]);
      const added = add.filter((id) => !existing.has(id));
      const removed = [...remove].filter((id) => existing.has(id));
      const accounts = (ids: string[]) => ids.filter((id) => id !== PUBLIC).length;
      const shareCount = (document.ShareCount ?? 0) + accounts(added) - accounts(removed);
      if (accounts(added) > 0 && shareCount > this.limits.accountsPerDocument) {
        throw tooManySharedAccounts(this.limits.accountsPerDocument);
      }
      const publicly = added.includes(PUBLIC) ? "share" : removed.includes(PUBLIC) ? "unshare" : undefined;
      await this.shares.modify(scope, document, {
        put: add.map(
          (id): DocumentShareRecord => ({
            Name: name,
            OwnerAccountId: scope.accountId,
            AccountId: id,
            SharedDocumentVersion: version,
          }),
        ),
        remove: removed,
        shareCount,
        public: publicly,
        publicLimit: this.limits.publicDocuments,
      });
    }, isTooManyUpdates);
  }

  async describe(
    scope: Scope,
    request: DescribeDocumentPermissionRequest,
  ): Promise<DescribeDocumentPermissionResponse> {
    const name = request.Name as string;
    await this.ownDocument(scope, name);
    const cursor = decodeToken(
      request.NextToken,
      (value): value is { after: string } => typeof value.after === "string",
    );
    const page = await this.shares.list(scope, name, cursor?.after, request.MaxResults ?? 200);
    const last = page.items.at(-1);
    return {
      // Empty lists, not absent, for a document shared with nobody (the API reference sample).
      AccountIds: page.items.map((share) => share.AccountId),
      AccountSharingInfoList: page.items.map((share) => ({
        AccountId: share.AccountId,
        SharedDocumentVersion: share.SharedDocumentVersion,
      })),
      NextToken: page.more && last ? encodeToken({ after: last.AccountId }) : undefined,
    };
  }

  /**
   * The caller's own Active document. AWS-owned documents can't be shared by anyone, and these
   * operations' error lists have InvalidDocument ("doesn't exist or isn't available") for both.
   */
  private async ownDocument(scope: Scope, name: string): Promise<DocumentRecord> {
    if (awsOwnedDocuments.has(name)) throw documentNotFound(name);
    const document = await this.documents.get(scope, name);
    if (document?.Status !== "Active") throw documentNotFound(name);
    return document;
  }
}
