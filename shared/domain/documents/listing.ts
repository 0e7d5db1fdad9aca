/**
 * ListDocuments: up to four sources merged into one listing, each read in the same key order
 * and resumed after the last key a page showed:
 * - AWS's documents (the built-in catalog) and the caller's own (GSI1), keyed by name;
 * - documents shared with the caller by account id, and those shared with all (GSI1 by
 *   grantee), keyed `<name>#<owner account>`, so a shared document never collides with one of
 *   the caller's own of the same name.
 * Each source is read only until more than a page has matched.
 */
import type { DocumentIdentifier, ListDocumentsRequest } from "@aws-sdk/client-ssm";
import type { Scope } from "../../context.ts";
import { decodeToken, encodeToken } from "../pagination.ts";
import { awsOwnedDocuments } from "./aws-owned/index.ts";
import { documentFilter } from "./list-filters.ts";
import type { DocumentRecord } from "./records.ts";
import type { DocumentShareStore, DocumentStore } from "./store.ts";

const DEFAULT_PAGE_SIZE = 50;
const PUBLIC = "all";

type Listed = { key: string; document: DocumentRecord; shared: boolean };

export async function listDocuments(
  store: DocumentStore,
  shares: DocumentShareStore | undefined,
  scope: Scope,
  request: ListDocumentsRequest,
) {
  const filter = documentFilter(request);
  const cursor = decodeToken(request.NextToken, (value): value is { after: string } => typeof value.after === "string");
  const pageSize = request.MaxResults ?? DEFAULT_PAGE_SIZE;
  const after = cursor?.after;
  const wanted = (listed: Listed) => filter.matches(listed.document);

  const sources: Promise<Listed[]>[] = [];
  if (filter.includesAmazon) {
    sources.push(
      Promise.resolve(
        [...awsOwnedDocuments.values()]
          .map((owned): Listed => ({ key: owned.document.Name, document: owned.document, shared: false }))
          .filter((listed) => (after === undefined || listed.key > after) && wanted(listed)),
      ),
    );
  }
  if (filter.includesSelf) {
    sources.push(
      gather(after, pageSize, wanted, async (from, limit) => {
        const page = await store.list(scope, from, limit);
        return {
          more: page.more,
          items: page.items
            .filter((document) => document.Status === "Active")
            .map((document) => ({ key: document.Name, document, shared: false })),
          last: page.items.at(-1)?.Name,
        };
      }),
    );
  }
  for (const [included, grantee] of [
    [filter.includesPrivate, scope.accountId],
    [filter.includesPublic, PUBLIC],
  ] as const) {
    if (!included || !shares) continue;
    sources.push(
      gather(after, pageSize, wanted, async (from, limit) => {
        const page = await shares.sharedWith(scope, grantee, from, limit);
        return {
          more: page.more,
          // The caller's own public documents are listed as its own, except under Owner=Public.
          items: page.items
            .filter((shared) => filter.includesSelf === false || shared.document.Owner !== scope.accountId)
            .map((shared) => ({ key: shared.listingKey, document: shared.document, shared: true })),
          last: page.last,
        };
      }),
    );
  }
  // A document shared with the caller both by id and with all is listed once.
  const byKey = new Map((await Promise.all(sources)).flat().map((listed) => [listed.key, listed]));
  const merged = [...byKey.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const page = merged.slice(0, pageSize);
  // Every source stops only when it ran out or more than a page matched.
  const more = merged.length > pageSize;
  const last = page.at(-1);
  return {
    DocumentIdentifiers: page.map((listed) => identify(listed.document, listed.shared)),
    NextToken: more && last ? encodeToken({ after: last.key }) : undefined,
  };
}

/** Reads a key-ordered source page by page until more than `pageSize` items matched or it ran out. */
async function gather(
  after: string | undefined,
  pageSize: number,
  wanted: (listed: Listed) => boolean,
  fetch: (after: string | undefined, limit: number) => Promise<{ items: Listed[]; more: boolean; last?: string }>,
): Promise<Listed[]> {
  const found: Listed[] = [];
  let from = after;
  let more = true;
  while (more && found.length <= pageSize) {
    const page = await fetch(from, pageSize + 1);
    found.push(...page.items.filter(wanted));
    from = page.last ?? from;
    more = page.more;
  }
  return found;
}

/**
 * A document as ListDocuments shows it: its default version's summary. A document shared with
 * the caller shows its plain name, its owner's account id and no tags (awscli/examples/ssm/
 * list-documents.rst example 2: `"Name": "Example", "Owner": "12345EXAMPLE", ... "Tags": []`).
 */
function identify(document: DocumentRecord, shared: boolean): DocumentIdentifier {
  const summary = document.Default;
  return {
    Name: document.Name,
    CreatedDate: new Date(document.CreatedDate),
    DisplayName: summary.DisplayName,
    Owner: document.Owner,
    VersionName: summary.VersionName,
    PlatformTypes: summary.PlatformTypes,
    DocumentVersion: String(summary.DocumentVersion),
    DocumentType: document.DocumentType,
    SchemaVersion: summary.SchemaVersion,
    DocumentFormat: summary.DocumentFormat,
    TargetType: summary.TargetType,
    Tags: shared ? [] : document.Tags,
    Requires: summary.Requires,
  };
}
