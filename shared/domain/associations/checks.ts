/**
 * What AWS checks before an association is written (CreateAssociation, CreateAssociationBatch,
 * UpdateAssociation): one function per concern, each refusing with AWS's error code. Nothing
 * here writes; the invariants that need the table are held by the store's transactions.
 */
import type { Tag } from "@aws-sdk/client-ssm";
import type { Scope } from "../../context.ts";
import {
  InvalidDocument,
  InvalidDocumentType,
  InvalidInstanceId,
  InvalidParameters,
  InvalidTag,
  InvalidTarget,
  InvalidTargetMaps,
  type SsmError,
  UnsupportedPlatformType,
  ValidationException,
} from "../../errors.ts";
import type { DocumentReader } from "../documents/reader.ts";
import type { VersionRecord } from "../documents/records.ts";
import type { Nodes } from "../nodes/nodes.ts";
import { initialTags } from "../tags.ts";
import { checkTargets } from "../targets.ts";
import { validateOutputLocation } from "./output-location.ts";
import { validateParameters } from "./parameters.ts";
import type { AssociationDefinition, AssociationRecord } from "./records.ts";
import { validateSchedule } from "./schedule.ts";
import { normalizeTargetKeys } from "./target-keys.ts";

const ASSOCIABLE_TYPES = new Set(["Command", "Automation", "Policy"]);
/** Members a legacy (InstanceId) association can't have, per the CreateAssociation reference. */
const NOT_WITH_INSTANCE_ID = [
  "AssociationName",
  "DocumentVersion",
  "MaxErrors",
  "MaxConcurrency",
  "OutputLocation",
  "ScheduleExpression",
] as const;

/**
 * What a check reads: the document named, and the nodes named (the services themselves, or a
 * batch's shared reads, ./batch.ts).
 */
export type CheckedAgainst = {
  readonly documents: Pick<DocumentReader, "forAssociation" | "calendarContent">;
  readonly nodes: Pick<Nodes, "nodesByIds">;
};

/** A definition as it will be stored, with the document it resolved to. */
export type CheckedDefinition = {
  definition: AssociationDefinition;
  documentName: string;
  owner: AssociationRecord["DocumentOwner"];
  /** The document version that runs, as resolved by the check (a pushed run's command carries its content). */
  version: VersionRecord;
  /** The nodes the targets resolve to, when they only name nodes (read by the check already). */
  namedNodeIds?: string[];
  /** A shared document's owner, and the share that lets this account use it. */
  shared?: { ownerAccountId: string; grantee: string };
  /** The contents of the CalendarNames' documents, in order (read by the check already). */
  calendarContents?: string[];
};

/**
 * Everything AWS checks before it writes: the members that go together, the document (type,
 * version, schema for legacy associations), the parameters against the document, the
 * schedule, the output location, the targets, and the platform of each named node.
 */
export async function checkDefinition(
  { documents, nodes }: CheckedAgainst,
  scope: Scope,
  given: AssociationDefinition,
  legacyUpdate = false,
): Promise<CheckedDefinition> {
  const definition = { ...given, Targets: normalizeTargetKeys(given.Targets) };
  assertDefinitionSize(definition);
  const legacy = definition.InstanceId;
  if (legacy && !legacyUpdate) {
    // The reference says these can't be used with InstanceId; it names no error code, so the
    // request is refused as malformed.
    const clash = NOT_WITH_INSTANCE_ID.filter((member) => definition[member] !== undefined);
    if (clash.length > 0) {
      throw new ValidationException(`InstanceId can't be used together with ${clash.join(", ")}.`);
    }
    if (definition.Targets?.length || definition.TargetMaps?.length) {
      throw new ValidationException("InstanceId can't be used together with Targets or TargetMaps.");
    }
  }
  if (definition.TargetMaps?.length && definition.Targets?.length) {
    throw new InvalidTargetMaps("Both Targets and TargetMaps can't be specified together.");
  }
  // The targets' node ids are known before anything is read: the document and the named nodes
  // are read together (one BatchGetItem, shared/store/items.ts batchGet). A target refused by
  // checkTargets is still refused after the document's checks, in AWS's order.
  let targetIds: string[] | Error;
  try {
    targetIds = legacy ? [legacy] : checkTargets(definition.Targets ?? []);
  } catch (error) {
    targetIds = error as Error;
  }
  const [resolved, foundNodes, calendars] = await Promise.all([
    documents.forAssociation(scope, definition.Name, definition.DocumentVersion),
    Array.isArray(targetIds) && targetIds.length > 0 ? nodes.nodesByIds(scope, targetIds) : [],
    readCalendars(documents, scope, definition.CalendarNames),
  ]);
  const { document, version } = resolved;
  if (!ASSOCIABLE_TYPES.has(document.DocumentType)) {
    throw new InvalidDocument(`Document type ${document.DocumentType} is not supported by associations.`);
  }
  if (legacy && version.SchemaVersion !== "1.2") {
    throw new InvalidDocument(
      `Document schema version, ${version.SchemaVersion}, is not supported by association that is created with instance id`,
    );
  }
  if (
    !legacy &&
    !definition.Targets?.length &&
    !definition.TargetMaps?.length &&
    document.DocumentType !== "Automation"
  ) {
    throw new InvalidTarget("Instance ID or targets must be specified");
  }
  validateParameters(resolved.parameterDefinitions, definition.Parameters);
  validateSchedule({
    expression: definition.ScheduleExpression,
    offset: definition.ScheduleOffset,
    applyOnlyAtCronInterval: definition.ApplyOnlyAtCronInterval,
  });
  validateOutputLocation(definition.OutputLocation);
  if (calendars instanceof Error) throw calendars;
  if (!Array.isArray(targetIds)) throw targetIds;
  const instanceIds = targetIds;
  // Targets that only name nodes resolve to the nodes read here (a run needs nothing more).
  const onlyNamed =
    !definition.TargetMaps?.length &&
    (legacy !== undefined ||
      (definition.Targets ?? []).every((t) => t.Key === "InstanceIds" && !t.Values?.includes("*")));
  let namedNodeIds: string[] | undefined = onlyNamed ? [] : undefined;
  if (instanceIds.length > 0) {
    const found = foundNodes;
    if (onlyNamed) namedNodeIds = found.map((node) => node.InstanceId).sort();
    const missing = instanceIds.filter((id) => !found.some((node) => node.InstanceId === id));
    if (missing.length > 0)
      throw new InvalidInstanceId(`Instances [${missing.join(", ")}] are not managed nodes of this account.`);
    const unsupported = found.filter(
      (node) =>
        node.PlatformType && version.PlatformTypes.length > 0 && !version.PlatformTypes.includes(node.PlatformType),
    );
    if (document.DocumentType === "Command" && unsupported.length > 0) {
      throw new UnsupportedPlatformType(
        `The document ${document.Name} doesn't support the platform type of managed nodes [${unsupported.map((n) => `${n.InstanceId} (${n.PlatformType})`).join(", ")}].`,
      );
    }
  }
  const targets = legacy ? [{ Key: "InstanceIds", Values: [legacy] }] : definition.Targets;
  return {
    definition: { ...definition, Targets: targets, DocumentVersion: definition.DocumentVersion ?? "$DEFAULT" },
    documentName: document.Name,
    owner: resolved.owner,
    version,
    namedNodeIds,
    shared: resolved.shared,
    calendarContents: calendars,
  };
}

/**
 * The documents an association's CalendarNames name, read with its document (one batch): each
 * must be a ChangeCalendar document the caller owns or that is shared with it. CreateAssociation's
 * and UpdateAssociation's models list InvalidDocument for a document that can't be used, and no
 * InvalidDocumentType, so a name of another type is InvalidDocument too. A refusal is returned,
 * not thrown, so that it comes after the association's own document's, in AWS's order.
 */
async function readCalendars(
  documents: CheckedAgainst["documents"],
  scope: Scope,
  names: string[] | undefined,
): Promise<string[] | undefined | SsmError> {
  if (!names?.length) return undefined;
  try {
    // One read per distinct name (a BatchGetItem refuses a key given twice).
    const distinct = [...new Set(names)];
    const contents = await Promise.all(distinct.map((name) => documents.calendarContent(scope, name)));
    return names.map((name) => contents[distinct.indexOf(name)] as string);
  } catch (error) {
    if (error instanceof InvalidDocumentType) return new InvalidDocument(`CalendarNames: ${error.message}`);
    if (error instanceof InvalidDocument) return new InvalidDocument(`CalendarNames: ${error.message}`);
    throw error;
  }
}

/**
 * An association's definition is kept whole in its head, in each version, and in a legacy pair's
 * copy of the head: each item must stay under DynamoDB's 400 KB. The model bounds most members;
 * Parameters (values of any length), TargetMaps' values and CalendarNames it does not. Past 256 KB
 * together, the request is refused with the error the models list for the member that grew
 * (issue 29, defect 2: otherwise the write failed as a 500).
 */
const DEFINITION_MAX_BYTES = 256 * 1024;

function assertDefinitionSize(definition: AssociationDefinition): void {
  const sizes = (
    [
      "Parameters",
      "TargetMaps",
      "Targets",
      "TargetLocations",
      "CalendarNames",
      "OutputLocation",
      "AlarmConfiguration",
    ] as const
  ).map(
    (member) =>
      [member, definition[member] === undefined ? 0 : Buffer.byteLength(JSON.stringify(definition[member]))] as const,
  );
  const total = sizes.reduce((sum, [, bytes]) => sum + bytes, 0);
  if (total <= DEFINITION_MAX_BYTES) return;
  const [largest] = [...sizes].sort((a, b) => b[1] - a[1])[0] as (typeof sizes)[number];
  const message = `The association's definition is ${total} bytes, more than ${DEFINITION_MAX_BYTES} (its ${largest}: the largest part).`;
  if (largest === "Parameters") throw new InvalidParameters(message);
  if (largest === "TargetMaps") throw new InvalidTargetMaps(message);
  if (largest === "Targets") throw new InvalidTarget(message);
  throw new ValidationException(message);
}

/** Tags given at creation; `aws:` keys are AWS's own. */
export function tagsOf(tags: Tag[] | undefined): Tag[] {
  for (const tag of tags ?? []) {
    if (tag.Key?.toLowerCase().startsWith("aws:"))
      throw new InvalidTag(`Tag keys starting with "aws:" are reserved (${tag.Key}).`);
  }
  return initialTags(tags);
}
