/**
 * The fuzz run: generated requests for every operation, sent through the real handlers against
 * DynamoDB Local, each checked against the service's promises:
 * - never a 5xx;
 * - a refusal is a 4xx whose `__type` the model lists for the operation, or a protocol or
 *   authentication error any operation can answer;
 * - a refused request writes nothing (the table's digest is the same before and after);
 * - an answer holds only members of the operation's output shape, at every depth;
 * - no stored item grows past DynamoDB's 400 KB (shared/store/item-size.ts: every item that
 *   grows with a request is bounded before it is written).
 *
 * Requests run in epochs: each epoch has a fresh table (freshTable installs a runtime bound to
 * it for the handlers), seeded with a document, a node, an association, an activation and
 * compliance, whose names the generators draw from. A small table keeps the digest cheap, and
 * deletes in one epoch do not starve the next of things to act on.
 */
import { createHash } from "node:crypto";
import { readdirSync } from "node:fs";
import fc from "fast-check";
import { MAX_ITEM_BYTES } from "../../shared/store/item-size.ts";
import { operations } from "../../shared/validation/generated/ssm-model.ts";
import { type OutputShape, outputShapes, outputs } from "../../shared/validation/generated/ssm-output-model.ts";
import { FakeAgent } from "../support/agent.ts";
import { commandContent } from "../support/fixtures.ts";
import { type Answer, call, invokeEvent, invokeRaw } from "../support/invoke.ts";
import { freshTable, type TestTable } from "../support/table.ts";
import { type Pools, requestBodyArb } from "./model-arbitraries.ts";

/** Every operation this service implements (one handler file each). */
export const OPERATIONS = readdirSync(new URL("../../functions/", import.meta.url))
  .filter((file) => file.endsWith(".ts"))
  .map((file) => file.replace(/\.ts$/, ""))
  .sort();

/** Signed with the node's RSA key, not SigV4. */
const NODE_SIGNED = new Set(["RequestManagedInstanceRoleToken", "UpdateManagedInstancePublicKey"]);
const UNSIGNED = new Set(["RegisterManagedInstance"]);

/** Errors of the protocol and of authentication, which any operation may answer. */
export const PROTOCOL_ERRORS = new Set([
  "SerializationException",
  "ValidationException",
  "RequestEntityTooLargeException",
  "MissingAuthenticationTokenException",
  "IncompleteSignatureException",
  "InvalidSignatureException",
  "UnrecognizedClientException",
  "ExpiredTokenException",
  "AccessDeniedException",
  "ThrottlingException",
]);

export type Violation = { operation: string; kind: string; detail: string; body: string };

export type RunStats = {
  requests: number;
  byStatus: Record<string, number>;
  /** Requests sent per operation: every operation gets its share, even in a short slice. */
  byOperation: Record<string, number>;
  violations: Violation[];
  /** Milliseconds spent generating, answering and auditing, to keep the run's cost visible. */
  ms: { generate: number; answer: number; audit: number };
  /** Requests that took over a second to answer. */
  slow: { operation: string; ms: number; bytes: number }[];
};

/** Member paths of `value` that the output shape does not declare. */
export function unknownMembers(shapeName: string, value: unknown, path = ""): string[] {
  const shape: OutputShape | undefined = outputShapes[shapeName];
  if (!shape || value === null || value === undefined) return [];
  if (shape.type === "structure" && typeof value === "object" && !Array.isArray(value)) {
    const found: string[] = [];
    for (const [member, memberValue] of Object.entries(value)) {
      const ref = shape.members?.[member];
      if (!ref) found.push(`${path}.${member}`);
      else found.push(...unknownMembers(ref, memberValue, `${path}.${member}`));
    }
    return found;
  }
  if (shape.type === "list" && Array.isArray(value) && shape.member) {
    const member = shape.member;
    return value.flatMap((item, index) => unknownMembers(member, item, `${path}[${index}]`));
  }
  if (shape.type === "map" && typeof value === "object" && shape.value) {
    const member = shape.value;
    return Object.entries(value).flatMap(([key, item]) => unknownMembers(member, item, `${path}{${key}}`));
  }
  return [];
}

/** The table's digest, and its largest item's size (DynamoDB's count: names and values). */
async function digest(table: TestTable): Promise<{ hash: string; largest: number }> {
  const items = await table.items();
  return {
    hash: createHash("sha256").update(JSON.stringify(items)).digest("hex"),
    largest: Math.max(0, ...items.map(itemBytes)),
  };
}

/** An item's size as DynamoDB counts it, closely enough: attribute names and values, binary by its bytes. */
export function itemBytes(item: Record<string, unknown>): number {
  return Object.entries(item).reduce(
    (sum, [name, value]) =>
      sum +
      Buffer.byteLength(name) +
      (value instanceof Uint8Array ? value.byteLength : Buffer.byteLength(JSON.stringify(value) ?? "")),
    0,
  );
}

type Epoch = { table: TestTable; pools: Pools; agent: FakeAgent; bodies: Map<string, fc.Arbitrary<string>> };

const NODE = "i-0123456789abcdef0";

/** A fresh table with one of each resource, and pools of their names for the generators. */
async function newEpoch(): Promise<Epoch> {
  const table = await freshTable();
  await call("CreateDocument", { Name: "fz-command", Content: commandContent(), DocumentType: "Command" });
  await call("UpdateInstanceInformation", { InstanceId: NODE, PlatformType: "Linux", AgentVersion: "3.3.0.0" });
  const { AssociationDescription: association } = await call("CreateAssociation", {
    Name: "fz-command",
    Targets: [{ Key: "InstanceIds", Values: [NODE] }],
    AssociationName: "fz-association",
  });
  const activation = await call("CreateActivation", { IamRole: "SSMServiceRole", RegistrationLimit: 5 });
  const agent = new FakeAgent();
  const registered = await agent.register(activation.ActivationId, activation.ActivationCode);
  if (registered.status !== 200) throw new Error(`seed registration failed: ${JSON.stringify(registered.body)}`);
  await call("PutComplianceItems", {
    ResourceId: NODE,
    ResourceType: "ManagedInstance",
    ComplianceType: "Custom:fz",
    ExecutionSummary: { ExecutionTime: 1795600000 },
    Items: [{ Id: "item-1", Severity: "HIGH", Status: "COMPLIANT", Title: "t", Details: { k: "v" } }],
  });
  const instanceIds = [NODE, agent.instanceId as string];
  const documents = ["fz-command", "AWS-RunShellScript"];
  const pools: Pools = {
    DocumentName: documents,
    DocumentARN: documents,
    DocumentNameOrARN: documents,
    InstanceId: instanceIds,
    ManagedInstanceId: [agent.instanceId as string],
    AssociationId: [association.AssociationId],
    AssociationName: ["fz-association"],
    ActivationId: [activation.ActivationId],
    ResourceId: [...documents.slice(0, 1), ...instanceIds, association.AssociationId],
    ComplianceResourceId: instanceIds,
    ComplianceResourceType: ["ManagedInstance"],
    ComplianceTypeName: ["Custom:fz", "Association"],
    ParameterName: ["message"],
    ParameterValue: ["hi"],
    TargetKey: ["InstanceIds", "tag:env", "tag:Name"],
    TargetValue: instanceIds,
    DocumentVersion: ["1", "$LATEST", "$DEFAULT"],
    DocumentVersionNumber: ["1"],
    AgentFingerprint: [agent.fingerprint],
    // Sharing (ModifyDocumentPermission, DescribeDocumentPermission): another account, everyone,
    // and the caller's own account.
    AccountId: ["123456789012", "all", "All", "000000000000"],
    SharedDocumentVersion: ["$DEFAULT", "$LATEST", "1"],
    // ListComplianceSummaries' and ListComplianceItems' keys (shared/domain/compliance/compliance.ts).
    ComplianceStringFilterKey: [
      "ComplianceType",
      "ExecutionTime",
      "ExecutionId",
      "AWS:InstanceInformation.PlatformType",
      "PatchGroup",
      "Status",
    ],
    ComplianceFilterValue: ["Custom:fz", "Association", "1795600000", "2019-02-18T16:00:00Z", "Linux", "COMPLIANT"],
  };
  return { table, pools, agent, bodies: new Map() };
}

async function send(epoch: Epoch, operation: string, body: string): Promise<Answer | undefined> {
  if (NODE_SIGNED.has(operation)) {
    let request: unknown;
    try {
      request = JSON.parse(body);
      JSON.stringify(request); // the agent's signer re-serializes; 100,000-deep bodies overflow it
    } catch {
      return undefined; // malformed and extreme bodies are covered by the SigV4-signed operations
    }
    return invokeEvent(operation, epoch.agent.signedEvent(operation, request));
  }
  return invokeRaw(operation, body, UNSIGNED.has(operation) ? { unsigned: true } : {});
}

/** Checks one answer; returns what it broke. */
function check(operation: string, answer: Answer, body: string, wrote: boolean): Violation[] {
  const found: Violation[] = [];
  const excerpt = body.length > 400 ? `${body.slice(0, 400)}... (${body.length} chars)` : body;
  const type = answer.body.__type as string | undefined;
  if (answer.status >= 500) {
    found.push({ operation, kind: "5xx", detail: `${answer.status} ${type}: ${answer.body.message}`, body: excerpt });
  } else if (answer.status !== 200) {
    const listed = operations[operation]?.errors ?? [];
    if (!type || !(listed.includes(type) || PROTOCOL_ERRORS.has(type))) {
      found.push({ operation, kind: "unlisted error", detail: `${answer.status} ${type}`, body: excerpt });
    }
    if (wrote) found.push({ operation, kind: "refused but wrote", detail: `${type}`, body: excerpt });
  } else {
    const output = outputs[operation];
    const extra = output ? unknownMembers(output, answer.body) : [];
    if (extra.length > 0) {
      found.push({ operation, kind: "unknown member in answer", detail: extra.slice(0, 5).join(", "), body: excerpt });
    }
  }
  return found;
}

/**
 * Runs `count` generated requests, `epochSize` per fresh table, deterministically from `seed`.
 * Returns the figures; the caller asserts there are no violations.
 */
export async function fuzz(options: {
  count: number;
  seed: number;
  epochSize: number;
  /** A subset to focus a run on (FUZZ_OPERATIONS); every operation by default. */
  operations?: readonly string[];
}): Promise<RunStats> {
  const all = options.operations ?? OPERATIONS;
  const stats: RunStats = {
    requests: 0,
    byStatus: {},
    byOperation: {},
    violations: [],
    ms: { generate: 0, answer: 0, audit: 0 },
    slow: [],
  };
  let epoch: Epoch | undefined;
  let before = { hash: "", largest: 0 };
  let order: string[] = [];
  for (let i = 0; i < options.count; i++) {
    if (i % options.epochSize === 0) {
      epoch = await newEpoch();
      before = await digest(epoch.table);
    }
    const current = epoch as Epoch;
    const seed = (options.seed * 1_000_003 + i) | 0;
    let started = performance.now();
    // Round-robin over a seeded order of the operations (a new order each round), so that a
    // slice of a few hundred requests still reaches every operation, new ones included.
    const round = Math.floor(i / all.length);
    if (i % all.length === 0)
      order = fc.sample(fc.shuffledSubarray([...all], { minLength: all.length }), {
        seed: options.seed + round,
        numRuns: 1,
      })[0] as string[];
    const operation = order[i % all.length] as string;
    let bodies = current.bodies.get(operation);
    if (!bodies) {
      bodies = requestBodyArb(operation, current.pools);
      current.bodies.set(operation, bodies);
    }
    const [body] = fc.sample(bodies, { seed, numRuns: 1 }) as [string];
    stats.ms.generate += performance.now() - started;
    started = performance.now();
    const answer = await send(current, operation, body);
    const took = performance.now() - started;
    stats.ms.answer += took;
    if (took > 1000) stats.slow.push({ operation, ms: Math.round(took), bytes: body.length });
    if (!answer) continue;
    stats.requests++;
    stats.byStatus[answer.status] = (stats.byStatus[answer.status] ?? 0) + 1;
    stats.byOperation[operation] = (stats.byOperation[operation] ?? 0) + 1;
    started = performance.now();
    const after = await digest(current.table);
    stats.violations.push(...check(operation, answer, body, after.hash !== before.hash));
    if (after.largest > MAX_ITEM_BYTES) {
      stats.violations.push({
        operation,
        kind: "item over 400 KB",
        detail: `${after.largest} bytes`,
        body: body.slice(0, 400),
      });
    }
    before = after;
    stats.ms.audit += performance.now() - started;
  }
  return stats;
}
