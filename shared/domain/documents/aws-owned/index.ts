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
 * A map built on its first read. Building the catalogue parses and hashes every document's
 * content (about 100 KB of text); most functions never read it, so their cold start should not.
 */
class LazyMap<K, V> implements ReadonlyMap<K, V> {
  #map: Map<K, V> | undefined;
  constructor(private readonly build: () => Map<K, V>) {}
  get #built(): Map<K, V> {
    this.#map ??= this.build();
    return this.#map;
  }
  get size() {
    return this.#built.size;
  }
  get(key: K) {
    return this.#built.get(key);
  }
  has(key: K) {
    return this.#built.has(key);
  }
  forEach(callback: (value: V, key: K, map: ReadonlyMap<K, V>) => void, thisArg?: unknown) {
    for (const [key, value] of this.#built) callback.call(thisArg, value, key, this);
  }
  entries() {
    return this.#built.entries();
  }
  keys() {
    return this.#built.keys();
  }
  values() {
    return this.#built.values();
  }
  [Symbol.iterator]() {
    return this.#built[Symbol.iterator]();
  }
}

/** AWS-owned documents by name, in name order. */
export const awsOwnedDocuments: ReadonlyMap<string, OwnedDocument> = /* @__PURE__ */ new LazyMap(
  () =>
    new Map(
      entries
        .map(load)
        .sort((a, b) => (a.document.Name < b.document.Name ? -1 : 1))
        .map((owned) => [owned.document.Name, owned]),
    ),
);
