/**
 * The message a node gets for a command, with the JSON types of the agent's Go structs
 * (docs/message-channel.md): `SendCommandPayload` (agent/runcommand/contracts/model.go) for a
 * command, `CancelPayload` for a cancel. Go's encoding/json refuses the whole message when one
 * member has another JSON type than its struct field, so every member here is built as that
 * type, never passed through from a request.
 */
import type { DocumentFormat } from "@aws-sdk/client-ssm";
import { isRecord } from "../documents/analysis.ts";

/** A document's parameter definitions, as its content declares them. */
type Definitions = Record<string, { type?: string } | undefined>;

/**
 * The document's content as the JSON object `DocumentContent` unmarshals from; a YAML document
 * is parsed (content.ts, loaded only for YAML so a JSON document's command needs no YAML parser).
 */
export async function documentContent(content: string, format: DocumentFormat): Promise<Record<string, unknown>> {
  if (format === "JSON") return JSON.parse(content) as Record<string, unknown>;
  const { parseContent } = await import("../documents/content.ts");
  return parseContent(content, format) ?? {};
}

/**
 * The ids the agent reports the document's plugins under, in document order: a 2.x document's
 * step names (`mainSteps[].name`), a 1.x document's plugin names (the keys of `runtimeConfig`),
 * as agent/framework/docparser/docparser.go names each plugin's `Id`.
 */
export function pluginIdsOf(document: Record<string, unknown>): string[] {
  if (Array.isArray(document.mainSteps)) {
    return document.mainSteps.flatMap((step) => (isRecord(step) && typeof step.name === "string" ? [step.name] : []));
  }
  return isRecord(document.runtimeConfig) ? Object.keys(document.runtimeConfig) : [];
}

/**
 * The command's parameters as the agent reads them (`Parameters map[string]interface{}`): by the
 * type the document declares, `String` and `StringMap` as one string and `StringList` as a list
 * (the agent's own rule for parameters it is given as lists, `docparser.ParseParameters`;
 * AWS's sample payloads in agent/runcommand/testdata carry `"workingDirectory": ""` and
 * `"commands": ["echo ship_it"]`), `Integer` as a number, `Boolean` as a boolean, `MapList` as
 * the list it parses to. Only the parameters given: the agent fills in the defaults
 * (`getValidatedParameters`). A `{{ssm:...}}` reference stays a string: the agent resolves it.
 */
export function typedParameters(given: Record<string, string[]>, definitions: Definitions): Record<string, unknown> {
  const typed: Record<string, unknown> = {};
  for (const [name, values] of Object.entries(given)) {
    const first = values[0] ?? "";
    const reference = /^\{\{\s*ssm(-secure)?:/.test(first);
    switch (definitions[name]?.type) {
      case "StringList":
        typed[name] = [...values];
        break;
      case "Integer":
        typed[name] = reference ? first : Number(first);
        break;
      case "Boolean":
        typed[name] = reference ? first : first === "true";
        break;
      case "MapList":
        typed[name] = values.map((value) => parseJson(value));
        break;
      default:
        typed[name] = first;
    }
  }
  return typed;
}

const parseJson = (value: string): unknown => {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
};

export type PayloadInput = {
  commandId: string;
  documentName: string;
  document: Record<string, unknown>;
  parameters: Record<string, unknown>;
  outputS3BucketName: string;
  outputS3KeyPrefix: string;
  cloudWatchLogGroupName: string;
  cloudWatchOutputEnabled: boolean;
};

/** SendCommandPayload's members, in its struct's order, each of its field's JSON type. */
export function sendCommandPayload(input: PayloadInput): string {
  return JSON.stringify({
    Parameters: input.parameters,
    DocumentContent: input.document,
    CommandId: input.commandId,
    DocumentName: input.documentName,
    OutputS3KeyPrefix: input.outputS3KeyPrefix,
    OutputS3BucketName: input.outputS3BucketName,
    CloudWatchLogGroupName: input.cloudWatchLogGroupName,
    // A string: the agent reads it with strconv.ParseBool (messageutil.go).
    CloudWatchOutputEnabled: String(input.cloudWatchOutputEnabled),
  });
}

/** CancelPayload: the id of the message whose run is cancelled. */
export const cancelPayload = (cancelMessageId: string): string => JSON.stringify({ CancelMessageId: cancelMessageId });
