/**
 * What SSM derives from a document's parsed content, whatever its format: it must declare a
 * schema version its document type supports and have steps; from it come the hash, the
 * parameters and the platform types a describe call reports. No parser here (content.ts parses
 * JSON and YAML): the AWS-owned catalogue, all JSON, is analyzed from `JSON.parse` alone.
 */
import { createHash } from "node:crypto";
import type { DocumentParameter, DocumentType, PlatformType } from "@aws-sdk/client-ssm";
import { InvalidDocumentContent, InvalidDocumentSchemaVersion, MaxDocumentSizeExceeded } from "../../errors.ts";

/** 64 KB, the quota on a document's content. */
export const MAX_CONTENT_BYTES = 64 * 1024;

export type ParsedContent = {
  hash: string;
  schemaVersion: string | undefined;
  description: string | undefined;
  parameters: DocumentParameter[];
  platformTypes: PlatformType[];
  /** A YAML version's `parameters` as JSON text (records.ts `ParameterDefinitions`). */
  parameterDefinitions?: string;
};

/** Schema versions each document type accepts; types not listed accept any schema version. */
const SCHEMA_VERSIONS: Partial<Record<DocumentType, readonly string[]>> = {
  Command: ["1.2", "2.0", "2.2"],
  Policy: ["2.0"],
  Automation: ["0.3"],
  "Automation.ChangeTemplate": ["0.3"],
  Session: ["1.0"],
  Package: ["2.0"],
  ChangeCalendar: ["2.0"],
};

const ALL_PLATFORMS: PlatformType[] = ["Windows", "Linux", "MacOS"];
const PLATFORM_ORDER: readonly PlatformType[] = ALL_PLATFORMS;

/** Platforms each plugin runs on; a plugin not listed runs everywhere. */
const PLUGIN_PLATFORMS: Record<string, PlatformType[]> = {
  "aws:runShellScript": ["Linux", "MacOS"],
  "aws:runPowerShellScript": ["Windows", "Linux"],
  "aws:psModule": ["Windows"],
  "aws:applications": ["Windows"],
  "aws:cloudWatch": ["Windows"],
  "aws:updateAgent": ["Windows"],
  "aws:configureDocker": ["Windows", "Linux"],
  "aws:runDockerAction": ["Windows", "Linux"],
  "aws:domainJoin": ["Windows", "Linux"],
};

export function sha256(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

export function assertContentSize(content: string): void {
  if (Buffer.byteLength(content, "utf8") > MAX_CONTENT_BYTES) {
    throw new MaxDocumentSizeExceeded("The content of the document exceeds the maximum size of 64 KB.");
  }
}

/**
 * Checks parsed content (`undefined`: TEXT) against the rules of its document type and derives
 * what describe reports; `content` is hashed as given.
 */
export function analyzeBody(
  content: string,
  body: Record<string, unknown> | undefined,
  documentType: DocumentType,
): ParsedContent {
  const hash = sha256(content);
  if (!body) return { hash, schemaVersion: undefined, description: undefined, parameters: [], platformTypes: [] };

  const schemaVersion = body.schemaVersion;
  if (typeof schemaVersion !== "string" || schemaVersion.trim() === "") {
    throw new InvalidDocumentContent(
      '[message: "object has missing required properties ([\\"schemaVersion\\"])" - parent node: /]',
    );
  }
  const supported = SCHEMA_VERSIONS[documentType];
  if (supported && !supported.includes(schemaVersion)) {
    throw new InvalidDocumentSchemaVersion(
      `${schemaVersion} is not a valid schema version for ${documentType} document type`,
    );
  }
  const steps = stepsOf(body, documentType, schemaVersion);
  return {
    hash,
    schemaVersion,
    description: typeof body.description === "string" ? body.description : undefined,
    parameters: parametersOf(body.parameters),
    platformTypes: platformTypesOf(steps, documentType),
  };
}

type Step = { action: string; platform?: PlatformType };

/** The steps of documents that run something; other document types have none to check. */
function stepsOf(body: Record<string, unknown>, documentType: DocumentType, schemaVersion: string): Step[] {
  if (documentType !== "Command" && documentType !== "Automation" && documentType !== "Policy") return [];
  if (documentType === "Command" && schemaVersion === "1.2") {
    const runtimeConfig = body.runtimeConfig;
    if (!isRecord(runtimeConfig) || Object.keys(runtimeConfig).length === 0) {
      throw new InvalidDocumentContent(
        '[message: "object has missing required properties ([\\"runtimeConfig\\"])" - parent node: /]',
      );
    }
    return Object.keys(runtimeConfig).map((action) => ({ action }));
  }
  const mainSteps = body.mainSteps;
  if (!Array.isArray(mainSteps) || mainSteps.length === 0) {
    throw new InvalidDocumentContent(
      '[message: "array is too short: must have at least 1 elements" - parent node: /mainSteps]',
    );
  }
  return mainSteps.map((step, index) => {
    if (!isRecord(step) || typeof step.action !== "string" || typeof step.name !== "string") {
      throw new InvalidDocumentContent(`Step ${index + 1} of mainSteps must specify a name and an action.`);
    }
    return { action: step.action, platform: preconditionPlatform(step.precondition) };
  });
}

/** `precondition: {StringEquals: [platformType, Linux]}` limits a step to one platform. */
function preconditionPlatform(precondition: unknown): PlatformType | undefined {
  if (!isRecord(precondition)) return undefined;
  const equals = precondition.StringEquals;
  if (Array.isArray(equals) && equals[0] === "platformType" && PLATFORM_ORDER.includes(equals[1] as PlatformType)) {
    return equals[1] as PlatformType;
  }
  return undefined;
}

function platformTypesOf(steps: Step[], documentType: DocumentType): PlatformType[] {
  if (documentType === "Automation" || documentType === "Session" || documentType === "Package") return ALL_PLATFORMS;
  const found = new Set<PlatformType>();
  for (const step of steps) {
    const platforms = step.platform ? [step.platform] : (PLUGIN_PLATFORMS[step.action] ?? ALL_PLATFORMS);
    for (const platform of platforms) found.add(platform);
  }
  return PLATFORM_ORDER.filter((platform) => found.has(platform));
}

/** Document parameters as describe reports them: defaults rendered as strings. */
function parametersOf(parameters: unknown): DocumentParameter[] {
  if (!isRecord(parameters)) return [];
  return Object.entries(parameters).map(([name, definition]) => {
    const spec = isRecord(definition) ? definition : {};
    const parameter: DocumentParameter = { Name: name };
    if (typeof spec.type === "string") parameter.Type = spec.type as DocumentParameter["Type"];
    if (typeof spec.description === "string") parameter.Description = spec.description;
    if (spec.default !== undefined) {
      parameter.DefaultValue = typeof spec.default === "string" ? spec.default : JSON.stringify(spec.default);
    }
    return parameter;
  });
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
