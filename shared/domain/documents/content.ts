/**
 * A document's content parsed in its declared format (JSON, YAML; TEXT is opaque) and converted
 * between formats; what is derived from the parsed content is analysis.ts. Only the functions
 * that write documents carry this module's YAML parser at import; GetDocument loads it only to
 * answer in another format than the content's own (registry.ts).
 */
import type { DocumentFormat, DocumentType } from "@aws-sdk/client-ssm";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import { InvalidDocumentContent } from "../../errors.ts";
import { analyzeBody, assertContentSize, isRecord, type ParsedContent } from "./analysis.ts";
import { changesFormat } from "./formats.ts";
import { type NewVersion, type VersionRecord, versionOf } from "./records.ts";

/** Parses content in its declared format; TEXT content is opaque and yields no structure. */
export function parseContent(content: string, format: DocumentFormat): Record<string, unknown> | undefined {
  if (format === "TEXT") return undefined;
  let body: unknown;
  try {
    body = format === "YAML" ? parseYaml(content, { prettyErrors: false }) : JSON.parse(content);
  } catch (error) {
    const { line, column } = format === "YAML" ? yamlErrorPosition(error) : jsonErrorPosition(content, error);
    throw new InvalidDocumentContent(`${format} not well-formed. at Line: ${line}, Column: ${column}`);
  }
  if (!isRecord(body)) {
    throw new InvalidDocumentContent(`${format} not well-formed. at Line: 1, Column: 1`);
  }
  return body;
}

/** Where JSON.parse gave up, 1-based, as AWS's parser reports it. */
function jsonErrorPosition(content: string, error: unknown): { line: number; column: number } {
  const match = String((error as Error).message).match(/position (\d+)/);
  const offset = match ? Number(match[1]) : content.length;
  const before = content.slice(0, offset);
  const line = before.split("\n").length;
  return { line, column: offset - before.lastIndexOf("\n") };
}

function yamlErrorPosition(error: unknown): { line: number; column: number } {
  const position = (error as { linePos?: { line: number; col: number }[] }).linePos?.[0];
  return { line: position?.line ?? 1, column: position?.col ?? 1 };
}

/** The content in the format asked for; unchanged when it already is in that format. */
export function convertContent(content: string, from: DocumentFormat, to: DocumentFormat | undefined): string {
  if (!changesFormat(from, to)) return content;
  const body = parseContent(content, from);
  return to === "YAML" ? stringifyYaml(body) : JSON.stringify(body, null, 2);
}

/**
 * Checks content against the rules of its document type and derives what describe reports. A
 * YAML version also keeps its `parameters` as JSON text, so what reads them later (an
 * association's parameter check, documents/reader.ts) needs no YAML parser.
 */
export function analyzeContent(content: string, format: DocumentFormat, documentType: DocumentType): ParsedContent {
  assertContentSize(content);
  const body = parseContent(content, format);
  const analyzed = analyzeBody(content, body, documentType);
  if (format === "YAML" && body?.parameters !== undefined) {
    analyzed.parameterDefinitions = JSON.stringify(body.parameters);
  }
  return analyzed;
}

/** A version record, its content checked against its document type and analyzed. */
export function versionRecord(input: NewVersion, documentType: DocumentType): VersionRecord {
  return versionOf(input, analyzeContent(input.Content, input.DocumentFormat, documentType));
}
