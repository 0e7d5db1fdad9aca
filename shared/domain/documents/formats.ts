/**
 * Which formats a document's content converts between, without a parser (content.ts converts):
 * so that what only asks whether to convert (GetDocument, registry.ts) loads no YAML parser.
 */
import type { DocumentFormat } from "@aws-sdk/client-ssm";

/** Whether content written in `from` reads differently in `to`: JSON and YAML convert into each other; TEXT never. */
export function changesFormat(from: DocumentFormat, to: DocumentFormat | undefined): boolean {
  return to !== undefined && to !== from && from !== "TEXT" && to !== "TEXT";
}
