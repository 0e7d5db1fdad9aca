/**
 * Documents owned by AWS ("Amazon"), present read-only in every account and region.
 * They are code, not table items: nothing has to be seeded, and every deployment has them.
 * Each JSON file holds the document's content as a string, the bytes GetDocument answers.
 */
import type { DocumentFormat, DocumentType } from "@aws-sdk/client-ssm";
import { analyzeBody, assertContentSize } from "../analysis.ts";
import { type DocumentRecord, documentRecord, type VersionRecord, versionOf } from "../records.ts";
import applyPatchBaseline from "./AWS-ApplyPatchBaseline.json" with { type: "json" };
import configureAwsPackage from "./AWS-ConfigureAWSPackage.json" with { type: "json" };
import configureDocker from "./AWS-ConfigureDocker.json" with { type: "json" };
import gatherSoftwareInventory from "./AWS-GatherSoftwareInventory.json" with { type: "json" };
import installApplication from "./AWS-InstallApplication.json" with { type: "json" };
import refreshAssociation from "./AWS-RefreshAssociation.json" with { type: "json" };
import runAnsiblePlaybook from "./AWS-RunAnsiblePlaybook.json" with { type: "json" };
import runPatchBaseline from "./AWS-RunPatchBaseline.json" with { type: "json" };
import runPowerShellScript from "./AWS-RunPowerShellScript.json" with { type: "json" };
import runShellScript from "./AWS-RunShellScript.json" with { type: "json" };
import updateEc2Config from "./AWS-UpdateEC2Config.json" with { type: "json" };
import updateSsmAgent from "./AWS-UpdateSSMAgent.json" with { type: "json" };

type CatalogEntry = {
  name: string;
  documentType: string;
  documentFormat: string;
  targetType?: string;
  createdDate: string;
  documentVersion: string;
  /** The document's text exactly as GetDocument returns it (see SOURCES.md for which are AWS's bytes). */
  content: string;
};

export const AMAZON_OWNER = "Amazon";

export type OwnedDocument = { document: DocumentRecord; version: VersionRecord };

function load(entry: CatalogEntry): OwnedDocument {
  const documentType = entry.documentType as DocumentType;
  assertContentSize(entry.content);
  // Every AWS-owned document is JSON (the catalogue's entries): JSON.parse, no YAML parser.
  const version = versionOf(
    {
      Name: entry.name,
      DocumentVersion: Number(entry.documentVersion),
      TargetType: entry.targetType,
      // Stored as text, never re-serialized: AWS's published texts differ in indentation, spacing
      // after ":" and the trailing newline from anything JSON.stringify produces.
      Content: entry.content,
      DocumentFormat: entry.documentFormat as DocumentFormat,
      CreatedDate: entry.createdDate,
    },
    analyzeBody(entry.content, JSON.parse(entry.content), documentType),
  );
  return { document: documentRecord(version, documentType, AMAZON_OWNER, []), version };
}

const entries: CatalogEntry[] = [
  applyPatchBaseline,
  configureAwsPackage,
  configureDocker,
  gatherSoftwareInventory,
  installApplication,
  refreshAssociation,
  runAnsiblePlaybook,
  runPatchBaseline,
  runPowerShellScript,
  runShellScript,
  updateEc2Config,
  updateSsmAgent,
];

/**
 * The catalogue, each document built on its first read. Building one parses and hashes its
 * content (the bundle inflates it first, infra/build/plugins.ts); a name lookup reads only the
 * entries' names, so a node's view of the account's own documents builds none, and an
 * association on one AWS-owned document builds that one.
 */
class Catalogue implements ReadonlyMap<string, OwnedDocument> {
  readonly #entries: Map<string, CatalogEntry>;
  readonly #built = new Map<string, OwnedDocument>();
  constructor(list: CatalogEntry[]) {
    this.#entries = new Map([...list].sort((a, b) => (a.name < b.name ? -1 : 1)).map((entry) => [entry.name, entry]));
  }
  get size() {
    return this.#entries.size;
  }
  has(name: string) {
    return this.#entries.has(name);
  }
  get(name: string) {
    const entry = this.#entries.get(name);
    if (!entry) return undefined;
    let owned = this.#built.get(name);
    if (!owned) {
      owned = load(entry);
      this.#built.set(name, owned);
    }
    return owned;
  }
  forEach(
    callback: (value: OwnedDocument, key: string, map: ReadonlyMap<string, OwnedDocument>) => void,
    thisArg?: unknown,
  ) {
    for (const [key, value] of this) callback.call(thisArg, value, key, this);
  }
  *entries(): MapIterator<[string, OwnedDocument]> {
    for (const name of this.#entries.keys()) yield [name, this.get(name) as OwnedDocument];
  }
  keys() {
    return this.#entries.keys();
  }
  *values(): MapIterator<OwnedDocument> {
    for (const [, value] of this.entries()) yield value;
  }
  [Symbol.iterator]() {
    return this.entries();
  }
}

/** AWS-owned documents by name, in name order. */
export const awsOwnedDocuments: ReadonlyMap<string, OwnedDocument> = /* @__PURE__ */ new Catalogue(entries);
