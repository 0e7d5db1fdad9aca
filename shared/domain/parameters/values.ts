/**
 * What PutParameter checks of a value and its attributes, in the order AWS reports them: the
 * type, the key, the data type, the tier and its size limit, the allowed pattern, the policies.
 */
import type { ParameterTier, ParameterType } from "@aws-sdk/client-ssm";
import {
  InvalidPolicyAttributeException,
  InvalidPolicyTypeException,
  PoliciesLimitExceededException,
} from "../../errors.ts";
import {
  advancedValueTooLarge,
  emptyValue,
  imageNeedsString,
  invalidAllowedPattern,
  invalidKeyId,
  keyIdNotSecure,
  noDowngrade,
  notAnImage,
  patternMismatch,
  policiesNeedAdvanced,
  standardValueTooLarge,
  unsupportedDataType,
} from "./errors.ts";
import type { StoredTier } from "./records.ts";

/** "Standard parameters have a content size limit of 4 KB ... Advanced parameters ... 8 KB." */
export const STANDARD_VALUE_LIMIT = 4096;
export const ADVANCED_VALUE_LIMIT = 8192;
/** The AWS managed key Parameter Store uses when a SecureString names none. */
export const DEFAULT_KEY_ID = "alias/aws/ssm";
export const DATA_TYPES = ["text", "aws:ec2:image", "aws:ssm:integration"] as const;
const MAX_POLICIES = 10;
const POLICY_TYPES = new Set(["Expiration", "ExpirationNotification", "NoChangeNotification"]);

/**
 * The key forms KMS accepts for a key: a key id, a key ARN, an alias name or an alias ARN. We
 * can't reach KMS: any well-formed key is accepted and recorded, and the value is sealed with the
 * service's own key either way.
 */
const KEY_FORMS = [
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
  /^mrk-[0-9a-f]{32}$/,
  /^alias\/[a-zA-Z0-9:/_-]+$/,
  /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key\/[a-zA-Z0-9-]+|alias\/[a-zA-Z0-9:/_-]+)$/,
];

export function assertValue(value: string): void {
  if (value === "") throw emptyValue();
}

export function keyIdFor(type: ParameterType, keyId: string | undefined, previous: string | undefined) {
  if (type !== "SecureString") {
    if (keyId !== undefined) throw keyIdNotSecure();
    return undefined;
  }
  const chosen = keyId ?? previous ?? DEFAULT_KEY_ID;
  if (!KEY_FORMS.some((form) => form.test(chosen))) throw invalidKeyId();
  return chosen;
}

/** `aws:ec2:image` values are AMI ids (AWS then checks the image exists; with no EC2 here, we can't). */
export function assertDataType(dataType: string, type: ParameterType, value: string): void {
  if (!(DATA_TYPES as readonly string[]).includes(dataType)) {
    throw unsupportedDataType(dataType);
  }
  if (dataType === "aws:ec2:image") {
    if (type !== "String") throw imageNeedsString();
    if (!/^ami-([0-9a-f]{8}|[0-9a-f]{17})$/.test(value)) throw notAnImage(value);
  }
}

/**
 * The tier the value is stored in. No tier keeps the current one (a new parameter: Standard, the
 * default tier setting); Intelligent-Tiering picks Standard unless the value or policies need
 * Advanced; an Advanced parameter never goes back to Standard.
 */
export function resolveTier(
  requested: ParameterTier | undefined,
  current: StoredTier | undefined,
  value: string,
  hasPolicies: boolean,
): StoredTier {
  let tier: StoredTier;
  if (requested === "Intelligent-Tiering") {
    tier = current === "Advanced" || value.length > STANDARD_VALUE_LIMIT || hasPolicies ? "Advanced" : "Standard";
  } else {
    tier = requested ?? current ?? "Standard";
  }
  if (current === "Advanced" && tier === "Standard") {
    if (requested === undefined) tier = "Advanced";
    else throw noDowngrade();
  }
  if (tier === "Standard" && value.length > STANDARD_VALUE_LIMIT) {
    throw standardValueTooLarge(STANDARD_VALUE_LIMIT);
  }
  if (tier === "Advanced" && value.length > ADVANCED_VALUE_LIMIT) {
    throw advancedValueTooLarge(ADVANCED_VALUE_LIMIT);
  }
  if (tier === "Standard" && hasPolicies) throw policiesNeedAdvanced();
  return tier;
}

/** The allowed pattern (a regular expression) must compile, and the value must match it. */
export function assertMatchesPattern(pattern: string | undefined, value: string): void {
  if (pattern === undefined || pattern === "") return;
  let regex: RegExp;
  try {
    regex = new RegExp(pattern);
  } catch {
    throw invalidAllowedPattern();
  }
  if (!regex.test(value)) throw patternMismatch(pattern);
}

export type PolicyView = { PolicyText: string; PolicyType: string; PolicyStatus: string };

/**
 * Parameter policies: a JSON array of `{Type, Version, Attributes}` of the three documented
 * types, at most 10. They are kept and shown; expiring and notifying are not performed here.
 */
export function parsePolicies(text: string | undefined): PolicyView[] | undefined {
  if (text === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new InvalidPolicyAttributeException("The policies are not valid JSON.");
  }
  if (!Array.isArray(parsed)) throw new InvalidPolicyAttributeException("Policies must be a JSON array of policies.");
  if (parsed.length > MAX_POLICIES) {
    throw new PoliciesLimitExceededException(`A parameter can have at most ${MAX_POLICIES} policies.`);
  }
  return parsed.map((policy: unknown) => {
    const type = (policy as { Type?: unknown } | null)?.Type;
    if (typeof type !== "string" || !POLICY_TYPES.has(type)) {
      throw new InvalidPolicyTypeException(
        `The policy type ${String(type)} is not supported. Supported types: ${[...POLICY_TYPES].join(", ")}.`,
      );
    }
    const attributes = (policy as { Attributes?: unknown }).Attributes;
    if (typeof attributes !== "object" || attributes === null) {
      throw new InvalidPolicyAttributeException(`The ${type} policy has no Attributes.`);
    }
    return { PolicyText: JSON.stringify(policy), PolicyType: type, PolicyStatus: "Pending" };
  });
}
