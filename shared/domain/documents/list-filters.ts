/**
 * ListDocuments filters, in both forms: `Filters` (key + values) and the deprecated
 * `DocumentFilterList` (key + one value). Different keys must all match; values of one key are
 * alternatives. `Name` matches as a prefix, `tag:<key>` matches that tag's value.
 */
import type { ListDocumentsRequest } from "@aws-sdk/client-ssm";
import { InvalidFilterKey, ValidationException } from "../../errors.ts";
import { AMAZON_OWNER } from "./aws-owned/index.ts";
import type { DocumentRecord } from "./records.ts";

export type DocumentFilter = {
  includesAmazon: boolean;
  includesSelf: boolean;
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

export function documentFilter(request: ListDocumentsRequest, accountId: string): DocumentFilter {
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
    if (!field) throw new InvalidFilterKey(`The filter key ${key} is not valid.`);
    if (values.length > 0) predicates.push((document) => values.some((value) => field(document, value)));
  }
  const includesAmazon = owner === "All" || owner === "Amazon" || owner === "Public";
  const includesSelf = owner === "All" || owner === "Self" || owner === "Private";
  return {
    includesAmazon,
    includesSelf,
    matches: (document) =>
      (document.Owner === AMAZON_OWNER ? includesAmazon : includesSelf && document.Owner === accountId) &&
      predicates.every((predicate) => predicate(document)),
  };
}
