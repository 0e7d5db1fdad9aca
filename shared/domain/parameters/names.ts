/**
 * Parameter names as AWS accepts them (User Guide, "Requirements and constraints for parameter
 * names"): letters, numbers, `.`, `-`, `_` and `/`; case-sensitive; a name that is a path starts
 * with `/`; at most 15 levels; at most 1,011 characters; never prefixed with `aws` or `ssm` in any
 * case (writes only: AWS serves its public parameters under `/aws/`). A request may name a
 * parameter by ARN and select a version or label with `name:version` / `name:label`.
 */

import type { Scope } from "../../context.ts";
import { ValidationException } from "../../errors.ts";
import { hierarchyLevelLimit, invalidName, reservedName, reservedPath } from "./errors.ts";

export const MAX_NAME_LENGTH = 1011;
export const MAX_HIERARCHY_LEVELS = 15;
const NAME = /^[a-zA-Z0-9_.\-/]+$/;
const RESERVED = /^\/?(aws|ssm)/i;

/** `arn:aws:ssm:<region>:<account>:parameter/<name without its leading slash>` */
export function parameterArn(scope: Scope, name: string): string {
  return `arn:aws:ssm:${scope.region}:${scope.accountId}:parameter/${name.startsWith("/") ? name.slice(1) : name}`;
}

/** Fails unless `name` is a well-formed parameter name. */
export function assertValidName(name: string): void {
  const prefix = /^\/?aws/i.test(name) ? "aws" : "ssm";
  if (!NAME.test(name) || (name.includes("/") && !name.startsWith("/")) || name.includes("//") || name.endsWith("/")) {
    throw invalidName(prefix);
  }
  if (name.length > MAX_NAME_LENGTH) {
    throw new ValidationException(
      `Parameter name must be at most ${MAX_NAME_LENGTH} characters long: the rest of the 2048 characters of the name is reserved for internal use by Systems Manager.`,
    );
  }
  if (name.split("/").filter(Boolean).length > MAX_HIERARCHY_LEVELS) {
    throw hierarchyLevelLimit();
  }
}

/** A name a caller may create or change: well-formed and outside the reserved prefixes. */
export function assertWritableName(name: string): void {
  assertValidName(name);
  if (RESERVED.test(name)) {
    const isPath = name.split("/").length > 2;
    // moto's reading of AWS: a reserved path under /aws is refused as access, the others as input.
    if (isPath && /^\/aws/i.test(name)) throw reservedPath(name);
    throw isPath ? invalidName("ssm") : reservedName();
  }
}

/** What a request names: the parameter (and, for an ARN of one segment, the other spelling). */
export type NameRef = {
  /** As the request wrote it, for InvalidParameters and errors. */
  readonly asGiven: string;
  /** Candidate names, most likely first. */
  readonly names: readonly string[];
  readonly selector?: { kind: "version"; version: number } | { kind: "label"; label: string };
};

/**
 * Reads `name`, `name:selector`, or an ARN (optionally with `:selector`). An ARN's path drops the
 * name's leading slash, so `parameter/db` may be `db` or `/db`: both are candidates. An ARN of
 * another account or region names nothing here (`names` is empty).
 */
export function parseNameRef(scope: Scope, given: string): NameRef {
  // Spaces around a name are removed, as AWS removes them.
  const text = given.trim();
  let body = text;
  let names: string[];
  if (text.startsWith("arn:")) {
    const parts = text.split(":");
    const [, , service, region, account, resource = ""] = parts;
    body = parts.slice(6).join(":");
    if (service !== "ssm" || !resource.startsWith("parameter/")) {
      throw invalidName("ssm");
    }
    const path = resource.slice("parameter/".length);
    const mine = region === scope.region && account === scope.accountId;
    names = !mine ? [] : path.includes("/") ? [`/${path}`] : [path, `/${path}`];
    body = body === "" ? "" : `:${body}`;
    for (const name of names) assertValidName(name);
    return withSelector(text, names, body);
  }
  const colon = text.indexOf(":");
  const name = colon < 0 ? text : text.slice(0, colon);
  assertValidName(name);
  return withSelector(text, [name], colon < 0 ? "" : text.slice(colon));
}

function withSelector(asGiven: string, names: string[], selector: string): NameRef {
  if (selector === "") return { asGiven, names };
  const value = selector.slice(1);
  if (value === "" || value.includes(":")) throw invalidName("ssm");
  if (/^\d+$/.test(value)) return { asGiven, names, selector: { kind: "version", version: Number(value) } };
  return { asGiven, names, selector: { kind: "label", label: value } };
}

/** A name without a selector, for the operations that take no selector (Put, Delete, Label, History). */
export function plainNameRef(scope: Scope, text: string): NameRef {
  const ref = parseNameRef(scope, text);
  if (ref.selector) throw invalidName("ssm");
  return ref;
}
