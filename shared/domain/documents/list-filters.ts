/**
 * ListDocuments filters, in both forms: `Filters` (key + values) and the deprecated
 * `DocumentFilterList` (key + one value). Different keys must all match; values of one key are
 * alternatives. `Name` matches as a prefix, `tag:<key>` matches that tag's value.
 */
import type { ListDocumentsRequest } from "@aws-sdk/client-ssm";
import { ValidationException } from "../../errors.ts";
import { invalidFilterKey } from "../errors.ts";
import type { DocumentRecord } from "./records.ts";

/** Which sources a listing reads (by the Owner filter), and what else a document must match. */
export type DocumentFilter = {
  includesAmazon: boolean;
  includesSelf: boolean;
  /** Shared with the caller by account id. */
  includesPrivate: boolean;
  /** Shared with every account (`all`). */
  includesPublic: boolean;
  matches: (document: DocumentRecord) => boolean;
};

type Predicate = (document: DocumentRecord) => boolean;

const FIELD_FILTERS: Record<string, (document: DocumentRecord, value: string) => boolean> = {
  Name: (document, value) => document.Name.startsWith(value),
  PlatformTypes: (document, value) => document.Default.PlatformTypes.includes(value as never),
  DocumentType: (document, value) => document.DocumentType === value,
  TargetType: (document, value) => document.Default.TargetType === value,
  SchemaVersion: (document, value) => document.Default.SchemaVersion === value,
  SearchKeyword: (document, value) => document.Name.toLowerCase().includes(value.toLowerCase()),
};

const OWNERS = ["Self", "Amazon", "Private", "Public", "ThirdParty", "All"];

export function documentFilter(request: ListDocumentsRequest): DocumentFilter {
  if (request.Filters?.length && request.DocumentFilterList?.length) {
    throw new ValidationException("DocumentFilterList and Filters can't be used in the same request. Use Filters.");
  }
  const pairs: { key: string; values: string[] }[] = [
    // The model makes Key optional; a filter without one names no key, and is refused as such.
    ...(request.Filters ?? []).map((filter) => ({ key: filter.Key ?? "", values: filter.Values ?? [] })),
    ...(request.DocumentFilterList ?? []).map((filter) => ({
      key: filter.key as string,
      values: [filter.value as string],
    })),
  ];
  let owner = "All";
  const predicates: Predicate[] = [];
  for (const { key, values } of pairs) {
    if (key === "Owner") {
      if (values.length !== 1 || !OWNERS.includes(values[0] as string)) {
        throw new ValidationException(`Owner filter takes one of the values ${OWNERS.join(", ")}.`);
      }
      owner = values[0] as string;
      continue;
    }
    if (key.startsWith("tag:")) {
      const tagKey = key.slice("tag:".length);
      predicates.push((document) =>
        document.Tags.some(
          (tag) => tag.Key === tagKey && (values.length === 0 || values.includes(tag.Value as string)),
        ),
      );
      continue;
    }
    // Own keys only: `constructor` is not a filter.
    const field = Object.hasOwn(FIELD_FILTERS, key) ? FIELD_FILTERS[key] : undefined;
    if (!field) throw invalidFilterKey(key);
    if (values.length > 0) predicates.push((document) => values.some((value) => field(document, value)));
  }
  // What each Owner value lists (the model names the values, the user guide's
  // documents-ssm-sharing page says what they mean): Self, the caller's own; Amazon, AWS's;
  // Private, "private SSM documents that have been shared with you"; Public, "all public SSM
  // documents" (shared with All, by any account, and AWS's, which every account may use);
  // ThirdParty, partners' documents, which this service has none of; none (or All), "all SSM
  // documents available to you".
  return {
    includesAmazon: owner === "All" || owner === "Amazon" || owner === "Public",
    includesSelf: owner === "All" || owner === "Self",
    includesPrivate: owner === "All" || owner === "Private",
    includesPublic: owner === "All" || owner === "Public",
    matches: (document) => predicates.every((predicate) => predicate(document)),
  };
}
