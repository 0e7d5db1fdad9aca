/**
 * DescribeParameters' and GetParametersByPath's `ParameterFilters`, and DescribeParameters'
 * older `Filters`, as the API reference defines them (ParameterStringFilter): which keys each
 * operation takes, each key's options and values, and how a parameter matches. Messages follow
 * AWS's (as peers reproduce them).
 */
import type { ParameterStringFilter, ParametersFilter } from "@aws-sdk/client-ssm";
import { InvalidFilterKey, InvalidFilterOption, InvalidFilterValue, ValidationException } from "../../errors.ts";
import type { ParameterRecord } from "./records.ts";

type Operation = "DescribeParameters" | "GetParametersByPath";

const KEYS: Record<Operation, string[]> = {
  DescribeParameters: ["Path", "Name", "Type", "KeyId", "Tier", "DataType"],
  GetParametersByPath: ["Type", "KeyId", "Label", "DataType"],
};
const OPTIONS: Record<string, string[]> = {
  Name: ["BeginsWith", "Equals", "Contains"],
  Path: ["Recursive", "OneLevel"],
  Label: ["Equals"],
};
const DEFAULT_OPTIONS = ["BeginsWith", "Equals"];
const VALUES: Record<string, string[]> = {
  Type: ["String", "StringList", "SecureString"],
  Tier: ["Standard", "Advanced", "Intelligent-Tiering"],
  DataType: ["text", "aws:ec2:image", "aws:ssm:integration"],
};

export type ParameterMatcher = (parameter: ParameterRecord) => boolean;

const withSlash = (name: string) => `/${name.replace(/^\/+/, "")}`;

/** Checks the filters; returns one predicate that all of them must satisfy. */
export function parameterFilter(operation: Operation, filters: ParameterStringFilter[] | undefined): ParameterMatcher {
  const seen = new Set<string>();
  const matchers = (filters ?? []).map((filter): ParameterMatcher => {
    const key = filter.Key as string;
    const isTag = key.startsWith("tag:");
    if (!isTag && !KEYS[operation].includes(key)) {
      throw new InvalidFilterKey(
        `The following filter key is not valid: ${key}. Valid filter keys include: [${KEYS[operation].join(", ")}].`,
      );
    }
    if (seen.has(key)) {
      throw new InvalidFilterKey(
        `The following filter is duplicated in the request: ${key}. A request can contain only one occurrence of a specific filter.`,
      );
    }
    seen.add(key);
    const values = filter.Values ?? [];
    if (values.length === 0 && !isTag) {
      throw new InvalidFilterValue(`The following filter values are missing : null for filter key ${key}.`);
    }
    const options = OPTIONS[key] ?? DEFAULT_OPTIONS;
    const option = filter.Option ?? (key === "Path" ? "OneLevel" : "Equals");
    if (!options.includes(option)) {
      throw new InvalidFilterOption(
        `The following filter option is not valid: ${option}. Valid options include: [${options.join(", ")}].`,
      );
    }
    const allowed = VALUES[key];
    for (const value of allowed ? values : []) {
      if (!allowed?.includes(value)) {
        throw new InvalidFilterValue(
          `The following filter value is not valid: ${value}. Valid values include: [${allowed?.join(", ")}].`,
        );
      }
    }
    return matcherFor(key, option, values);
  });
  return (parameter) => matchers.every((matches) => matches(parameter));
}

function compare(option: string, actual: string | undefined, values: string[]): boolean {
  if (actual === undefined) return false;
  if (option === "BeginsWith") return values.some((value) => actual.startsWith(value));
  if (option === "Contains") return values.some((value) => actual.includes(value));
  return values.includes(actual);
}

function matcherFor(key: string, option: string, values: string[]): ParameterMatcher {
  if (key.startsWith("tag:")) {
    const tagKey = key.slice(4);
    return (parameter) => {
      const tag = parameter.Tags.find((candidate) => candidate.Key === tagKey);
      return tag !== undefined && (values.length === 0 || compare(option, tag.Value, values));
    };
  }
  switch (key) {
    case "Name":
      return (parameter) =>
        option === "Contains"
          ? compare(option, parameter.Name, values)
          : compare(option, withSlash(parameter.Name), values.map(withSlash));
    case "Path": {
      const paths = values.map(normalizePath);
      return (parameter) =>
        parameter.Name.startsWith("/") && paths.some((path) => isUnder(parameter.Name, path, option === "Recursive"));
    }
    case "Label":
      return (parameter) => values.some((label) => label in parameter.Labels);
    case "Tier":
      return (parameter) => compare(option, parameter.Tier, values);
    default:
      return (parameter) => compare(option, parameter[key as "Type" | "KeyId" | "DataType"], values);
  }
}

/** A path as a prefix: `/a/b/` and `/a/b` are the same path; `/` is the root. */
export function normalizePath(path: string): string {
  const trimmed = path.replace(/\/+$/, "");
  if (!path.startsWith("/") || !/^[a-zA-Z0-9_.\-/]+$/.test(path) || path.includes("//")) {
    throw new ValidationException(
      'The parameter doesn\'t meet the parameter name requirements. The parameter name must begin with a forward slash "/". ' +
        'It can\'t be prefixed with "aws" or "ssm" (case-insensitive). It must use only letters, numbers, or the following symbols: . (period), - (hyphen), _ (underscore). ' +
        'Special characters are not allowed. All sub-paths, if specified, must use the forward slash symbol "/". Valid example: /get/parameters2-/by1./path0_.',
    );
  }
  return trimmed;
}

/** Whether `name` is below `path` (normalized): directly, or at any depth when recursive. */
export function isUnder(name: string, path: string, recursive: boolean): boolean {
  if (!name.startsWith(`${path}/`)) return false;
  return recursive || !name.slice(path.length + 1).includes("/");
}

/** DescribeParameters' older `Filters`: Name begins with, Type and KeyId equal; all must match. */
export function legacyFilter(filters: ParametersFilter[] | undefined): ParameterMatcher {
  const checks = (filters ?? []).map((filter): ParameterMatcher => {
    const values = filter.Values ?? [];
    if (filter.Key === "Name") return (parameter) => values.some((value) => parameter.Name.startsWith(value));
    if (filter.Key === "Type") return (parameter) => values.includes(parameter.Type);
    return (parameter) => parameter.KeyId !== undefined && values.includes(parameter.KeyId);
  });
  return (parameter) => checks.every((matches) => matches(parameter));
}
