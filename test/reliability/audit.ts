/**
 * The audit (issue 15): reads every item of the table (a consistent Scan) and recounts every
 * counter and reference count from the stored items, and looks for half-written things: a head
 * without its versions or versions without their head, unique items pointing nowhere, a legacy
 * pair without its association, a document left Deleting, a run whose counters disagree with its
 * targets. Run it when no request is in flight (after a load, a race or a fault run); it returns
 * one line per violation, empty when the table is consistent.
 *
 * What is deliberately not a violation: an interrupted delete in the state its design leaves for
 * a later request to finish (`pending`: a Deleting document head whose slot was given back, an
 * association's tombstone); the early-written targets of a run whose publishing
 * transaction failed (shared/store/execution-items.ts: unreachable without their execution item,
 * reported as `unreachable` instead), and an activation's RegistrationsCount above the nodes still
 * registered with it (a deregistered node keeps its registration counted, as on AWS).
 */
import { type DynamoDBDocumentClient, ScanCommand } from "@aws-sdk/lib-dynamodb";
import type { ExecutionRecord } from "../../shared/domain/executions/records.ts";
import { associationLookupKeys } from "../../shared/domain/targets.ts";
import { sameValue } from "../../shared/lib/same-value.ts";
import { withShards } from "../../shared/store/execution-items.ts";
import { keys } from "../../shared/store/keys.ts";

type Item = Record<string, unknown>;
export type AuditResult = {
  violations: string[];
  /** Items no read can reach and no counter counts (garbage, not inconsistency). */
  unreachable: string[];
  /**
   * Deletes a crash interrupted, in the state their design leaves for a later request to finish:
   * a document head Deleting (finished by the next DeleteDocument or CreateDocument of the name),
   * an association's tombstone (finished by the scheduler's next tick).
   */
  pending: string[];
  /** How many items of each type were read. */
  items: Record<string, number>;
};

export async function scanAll(db: DynamoDBDocumentClient, table: string): Promise<Item[]> {
  const all: Item[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start, ConsistentRead: true }));
    all.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return all;
}

export async function audit(db: DynamoDBDocumentClient, table: string): Promise<AuditResult> {
  return auditItems(await scanAll(db, table));
}

const same = sameValue;
/** The attributes a legacy pair's copy and its head disagree on (keys and index keys aside). */
function copyDifferences(head: Item, pair: Item): string[] {
  const own = new Set(["PK", "SK", "Type", "GSI1PK", "GSI1SK", "GSI2PK", "GSI2SK"]);
  const names = new Set([...Object.keys(head), ...Object.keys(pair)].filter((name) => !own.has(name)));
  return [...names].filter((name) => !same(head[name], pair[name]));
}
const count = <K>(map: Map<K, number>, key: K, by = 1) => map.set(key, (map.get(key) ?? 0) + by);
const str = (value: unknown) => value as string;
const num = (value: unknown) => (value as number | undefined) ?? 0;
/** `DOC#<account>#<region>#<name>` → scope `<account>#<region>`, the rest after it. */
function split(pk: string, prefix: string): { scope: string; rest: string } {
  const body = pk.slice(prefix.length);
  const [account = "", region = "", ...rest] = body.split("#");
  return { scope: `${account}#${region}`, rest: rest.join("#") };
}

export function auditItems(items: Item[]): AuditResult {
  const violations: string[] = [];
  const unreachable: string[] = [];
  const pending: string[] = [];
  const fail = (message: string) => violations.push(message);
  const byType = new Map<string, Item[]>();
  const byPk = new Map<string, Item[]>();
  const byKey = new Map<string, Item>();
  for (const item of items) {
    const type = str(item.Type ?? "(none)");
    (byType.get(type) ?? byType.set(type, []).get(type))?.push(item);
    (byPk.get(str(item.PK)) ?? byPk.set(str(item.PK), []).get(str(item.PK)))?.push(item);
    byKey.set(`${item.PK}|${item.SK}`, item);
  }
  const of = (type: string) => byType.get(type) ?? [];
  const at = (pk: string, sk: string) => byKey.get(`${pk}|${sk}`);
  const pad = (n: number) => String(n).padStart(6, "0");

  // ---- Counters, recounted per scope ----
  const counted = new Map<string, number>(); // `${scope}|${what}` -> stored items
  const docScope = (item: Item) => split(str(item.PK), "DOC#").scope;
  // A head marked Deleting gives its slot back in the same write (SlotReturned).
  for (const doc of of("Document")) if (!doc.SlotReturned) count(counted, `${docScope(doc)}|Documents`);
  for (const doc of of("Document")) if (doc.SharedPublicly) count(counted, `${docScope(doc)}|PublicShares`);
  for (const assoc of of("Association")) count(counted, `${split(str(assoc.PK), "ASSOC#").scope}|Associations`);
  for (const param of of("Parameter")) {
    const tier = param.Tier === "Advanced" ? "AdvancedParameters" : "StandardParameters";
    count(counted, `${split(str(param.PK), "PARAM#").scope}|${tier}`);
  }
  for (const custom of of("CustomInventoryType")) {
    count(counted, `${split(str(custom.PK), "INVSCHEMA#").scope}|CustomInventoryTypes`);
  }
  const counters = new Map<string, number>();
  for (const counter of of("Counter")) {
    const { scope } = split(str(counter.PK), "ACCOUNT#");
    counters.set(`${scope}|${str(counter.SK).slice("COUNTER#".length)}`, num(counter.Count));
  }
  for (const key of new Set([...counted.keys(), ...counters.keys()])) {
    const stored = counters.get(key) ?? 0;
    const real = counted.get(key) ?? 0;
    if (stored !== real) fail(`counter ${key} is ${stored}, ${real} counted`);
  }

  // ---- Documents: versions, unique items, references, shares ----
  const references = new Map<string, number>(); // document head PK -> associations referencing it
  for (const assoc of of("Association")) {
    if (assoc.DocumentOwner === "Amazon") continue;
    const { scope } = split(str(assoc.PK), "ASSOC#");
    const [, region] = scope.split("#");
    const owner = assoc.DocumentOwner === "Shared" ? `${assoc.DocumentAccount}#${region}` : scope;
    const pk = `DOC#${owner}#${assoc.DocumentName}`;
    count(references, pk);
    if (!at(pk, "DOCUMENT")) fail(`association ${assoc.AssociationId} references missing document ${pk}`);
  }
  for (const [pk, partition] of byPk) {
    if (!pk.startsWith("DOC#")) continue;
    const head = at(pk, "DOCUMENT");
    const versions = partition.filter((item) => item.Type === "DocumentVersion");
    if (!head) {
      fail(`document ${pk}: ${partition.length} items without a head (${[...new Set(partition.map((i) => i.Type))]})`);
      continue;
    }
    if (head.Status === "Deleting") {
      pending.push(`document ${pk} Deleting (${partition.length - 1} items left)`);
      if (num(head.AssociationCount) !== 0)
        fail(`document ${pk} Deleting with AssociationCount ${head.AssociationCount}`);
      continue;
    }
    if (head.Status !== "Active") fail(`document ${pk} left ${head.Status}`);
    if (num(head.AssociationCount) !== (references.get(pk) ?? 0)) {
      fail(`document ${pk} AssociationCount ${num(head.AssociationCount)}, ${references.get(pk) ?? 0} associations`);
    }
    if (num(head.VersionCount) !== versions.length) {
      fail(`document ${pk} VersionCount ${num(head.VersionCount)}, ${versions.length} versions stored`);
    }
    for (const which of ["LatestVersion", "DefaultVersion"]) {
      if (!at(pk, `VERSION#${pad(num(head[which]))}`)) fail(`document ${pk} ${which} ${head[which]} is missing`);
    }
    const hashes = new Set<string>();
    const names = new Set<string>();
    for (const version of versions) {
      hashes.add(`HASH#${version.Hash}`);
      const hash = at(pk, `HASH#${version.Hash}`);
      if (hash?.DocumentVersion !== version.DocumentVersion) {
        fail(`document ${pk} version ${version.DocumentVersion} without its content hash item`);
      }
      if (version.VersionName) {
        names.add(`VERSIONNAME#${version.VersionName}`);
        const name = at(pk, `VERSIONNAME#${version.VersionName}`);
        if (name?.DocumentVersion !== version.DocumentVersion) {
          fail(`document ${pk} version ${version.DocumentVersion} without its version-name item`);
        }
      }
    }
    for (const unique of partition.filter(
      (i) => i.Type === "DocumentContentHash" || i.Type === "DocumentVersionName",
    )) {
      if (!hashes.has(str(unique.SK)) && !names.has(str(unique.SK))) fail(`document ${pk} ${unique.SK} points nowhere`);
    }
    const shares = partition.filter((item) => item.Type === "DocumentShare");
    const accountShares = shares.filter((share) => !str(share.SK).endsWith("#all")).length;
    if (num(head.ShareCount) !== accountShares) {
      fail(`document ${pk} ShareCount ${num(head.ShareCount)}, ${accountShares} shares stored`);
    }
    if (Boolean(head.SharedPublicly) !== shares.some((share) => str(share.SK).endsWith("#all"))) {
      fail(`document ${pk} SharedPublicly ${Boolean(head.SharedPublicly)} disagrees with its share items`);
    }
  }

  // ---- Associations: versions, legacy pairs, runs, rollups ----
  const executions = new Map<string, Item>(); // `${scope}#${executionId}` -> execution item
  /** A run summed with the counter shards beside its targets (shared/store/execution-items.ts withShards). */
  const summed = (execution: Item): Item => {
    const scope = split(str(execution.PK), "ASSOC#").scope;
    const shards = (byPk.get(`EXEC#${scope}#${execution.ExecutionId}`) ?? []).filter(
      (item) => item.Type === "CounterShard",
    );
    return withShards(execution as unknown as ExecutionRecord, shards) as unknown as Item;
  };
  const tombstoned = new Set<string>(); // runs of a deleted association whose items are still going
  for (const [pk, partition] of byPk) {
    if (!pk.startsWith("ASSOC#")) continue;
    const { scope } = split(pk, "ASSOC#");
    const head = at(pk, "ASSOCIATION");
    const tombstone = at(pk, "DELETED");
    if (!head && tombstone) {
      pending.push(`association ${pk} deleted, ${partition.length - 1} items left`);
      for (const execution of partition.filter((item) => item.Type === "AssociationExecution")) {
        tombstoned.add(`${scope}#${execution.ExecutionId}`);
      }
      continue;
    }
    if (!head) {
      fail(
        `association ${pk}: ${partition.length} items without a head (${[...new Set(partition.map((i) => i.Type))]})`,
      );
      continue;
    }
    if (tombstone) fail(`association ${pk} has a head and a tombstone`);
    const versions = partition.filter((item) => item.Type === "AssociationVersion");
    if (num(head.VersionCount) !== versions.length) {
      fail(`association ${pk} VersionCount ${num(head.VersionCount)}, ${versions.length} versions stored`);
    }
    if (!at(pk, `VERSION#${pad(num(head.AssociationVersion))}`)) {
      fail(`association ${pk} version ${head.AssociationVersion} is missing`);
    }
    if (head.InstanceId) {
      const legacy = at(`LEGACY#${scope}#${head.DocumentName}#${head.InstanceId}`, "LEGACY");
      if (legacy?.AssociationId !== head.AssociationId) fail(`association ${pk} without its legacy pair item`);
      // The pair is a copy of the head, to the attribute (shared/store/legacy-copy.ts).
      else if (legacy) {
        const differs = copyDifferences(head, legacy);
        if (differs.length > 0) fail(`association ${pk}: its legacy pair's copy differs in ${differs.join(", ")}`);
      }
      // The head's RunTarget is the node's target in the current run, but for a release since
      // (records.ts RunTarget: Released may lag, false while the target says true).
      const target = head.CurrentExecutionId
        ? at(`EXEC#${scope}#${head.CurrentExecutionId}`, `TARGET#${head.InstanceId}`)
        : undefined;
      // Compared as records: the item's expiry (its TTL) and when it was told to run (which may lag
      // as Released does) are the target's bookkeeping, not the copy's.
      const { ExpiresAt: _copyExpiry, ReleasedAt: _copyReleased, ...copied } = (head.RunTarget ?? {}) as Item;
      const { PK: _pk, SK: _sk, Type: _type, ExpiresAt: _expiry, ReleasedAt: _released, ...actual } = target ?? {};
      if (
        target
          ? !head.RunTarget ||
            !same({ ...copied, Released: actual.Released }, actual) ||
            (copied.Released && !actual.Released)
          : head.CurrentExecutionId && head.RunTarget && copied.ExecutionId === head.CurrentExecutionId
      ) {
        fail(
          `association ${pk}: RunTarget ${JSON.stringify(head.RunTarget)} is not its run's target ${JSON.stringify(actual)}`,
        );
      }
    }
    for (const execution of partition.filter((item) => item.Type === "AssociationExecution")) {
      executions.set(`${scope}#${execution.ExecutionId}`, execution);
    }
    if (head.CurrentExecutionId) {
      const current = at(pk, `EXECUTION#${head.CurrentExecutionId}`);
      if (!current) fail(`association ${pk} current run ${head.CurrentExecutionId} is missing`);
      const rollup = Object.values((head.StatusCounts ?? {}) as Record<string, number>).reduce((a, b) => a + b, 0);
      if (current && (!current.Shards || head.InstanceId) && rollup !== num(summed(current).TargetCount)) {
        fail(`association ${pk} StatusCounts sum ${rollup}, its run has ${num(current.TargetCount)} targets`);
      }
      // A sharded run's rollup is summed from its shards when read, except a legacy head's
      // (issue 26): only a head that keeps the rollup must agree with its run.
      if (current && (!current.Shards || head.InstanceId) && num(current.Errors) <= num(current.MaxErrors)) {
        // Until MaxErrors stops a run, the rollup is the run's own counts (a stop moves Pending to Skipped).
        const runCounts = (summed(current).Counts ?? {}) as Record<string, number>;
        const rollupCounts = (head.StatusCounts ?? {}) as Record<string, number>;
        for (const status of new Set([...Object.keys(runCounts), ...Object.keys(rollupCounts)])) {
          if (num(runCounts[status]) !== num(rollupCounts[status])) {
            fail(
              `association ${pk} StatusCounts.${status} ${num(rollupCounts[status])}, run ${num(runCounts[status])}`,
            );
          }
        }
      }
    }
    for (const target of partition.filter((item) => item.Type === "AssociationTarget")) {
      if (target.AssociationId !== head.AssociationId) fail(`association ${pk} holds another's target ${target.SK}`);
    }
  }
  // The association index (shared/store/association-index.ts): a missing hint would hide an
  // association from a node, so each head's lookup keys must each have their item; a hint left
  // by a crash between a head's write and a late delete is harmless (readers check the head).
  for (const head of of("Association")) {
    const [accountId = "", region = ""] = split(str(head.PK), "ASSOC#").scope.split("#");
    for (const lookupKey of associationLookupKeys(head as Parameters<typeof associationLookupKeys>[0])) {
      const key = keys.associationLookup({ accountId, region }, lookupKey, str(head.AssociationId));
      if (!at(key.PK, key.SK)) fail(`association ${head.AssociationId} missing from the index under ${lookupKey}`);
    }
  }
  for (const hint of of("AssociationLookup")) {
    const scope = str(hint.PK).split("#").slice(1, 3).join("#");
    const head = at(`ASSOC#${scope}#${hint.AssociationId}`, "ASSOCIATION");
    if (!head) {
      unreachable.push(`index hint ${hint.PK} names gone association ${hint.AssociationId}`);
      continue;
    }
    // A hint under a key its association no longer has (a late delete lost to a crash): stale.
    const [accountId = "", region = ""] = scope.split("#");
    const current = associationLookupKeys(head as Parameters<typeof associationLookupKeys>[0]).map(
      (lookupKey) => keys.associationLookup({ accountId, region }, lookupKey, str(head.AssociationId)).PK,
    );
    if (!current.includes(str(hint.PK))) {
      unreachable.push(`index hint ${hint.PK} of association ${hint.AssociationId}, which no longer has that key`);
    }
  }
  // The node tag index (issue 30): written in the transactions that write a node's tags, so it is
  // exactly the nodes' tags; a missing item would leave a node out of a run's tag targets.
  const nodeTagKeys = new Set<string>();
  for (const node of of("Node")) {
    const [accountId = "", region = ""] = split(str(node.PK), "NODE#").scope.split("#");
    const scope = { accountId, region };
    for (const tag of (node.Tags ?? []) as { Key: string; Value: string }[]) {
      const key = keys.nodeTag(scope, tag.Key, str(node.InstanceId));
      const item = at(key.PK, key.SK);
      nodeTagKeys.add(`${key.PK}|${key.SK}`);
      const listing = keys.nodeTagListing(scope, tag.Key, tag.Value, str(node.InstanceId));
      if (!item || item.TagValue !== tag.Value || item.GSI1PK !== listing.GSI1PK) {
        fail(`node ${node.InstanceId}'s tag ${tag.Key}=${tag.Value} is not in the node tag index as it is`);
      }
    }
  }
  for (const item of of("NodeTag")) {
    if (!nodeTagKeys.has(`${item.PK}|${item.SK}`)) {
      fail(`node tag index item ${item.PK} ${item.SK} names no tag of a node`);
    }
  }
  for (const legacy of of("LegacyAssociation")) {
    const { scope } = split(str(legacy.PK), "LEGACY#");
    if (!at(`ASSOC#${scope}#${legacy.AssociationId}`, "ASSOCIATION")) {
      fail(`legacy pair ${legacy.PK} names missing association ${legacy.AssociationId}`);
    }
  }
  const FINAL = new Set(["Success", "Failed", "TimedOut", "Skipped"]);
  const ERRORS = new Set(["Failed", "TimedOut"]);
  for (const [pk, partition] of byPk) {
    if (!pk.startsWith("EXEC#")) continue;
    const { scope, rest: executionId } = split(pk, "EXEC#");
    let execution = executions.get(`${scope}#${executionId}`);
    if (tombstoned.has(`${scope}#${executionId}`)) continue;
    if (!execution) {
      unreachable.push(`${partition.length} targets of unpublished run ${pk}`);
      continue;
    }
    const statuses = new Map<string, number>();
    let waiting = 0;
    let active = 0;
    let errors = 0;
    const activeInShard = new Map<string, number>();
    const targets = partition.filter((item) => item.Type === "ExecutionTarget");
    for (const target of targets) {
      count(statuses, str(target.Status));
      if (!target.Released) waiting++;
      if (target.Released && !FINAL.has(str(target.Status))) {
        active++;
        count(activeInShard, String(num(target.Shard)));
      }
      if (ERRORS.has(str(target.Status))) errors++;
    }
    const label = `run ${executionId}`;
    // Each shard's running count is its own targets' (what its share of MaxConcurrency bounds).
    for (const shard of partition.filter((item) => item.Type === "CounterShard")) {
      const index = String(Number(str(shard.SK).slice("SHARD#".length)));
      if (num(shard.n_Active) !== (activeInShard.get(index) ?? 0)) {
        fail(`${label} shard ${index} Active ${num(shard.n_Active)}, ${activeInShard.get(index) ?? 0} targets`);
      }
    }
    execution = summed(execution);
    if (num(execution.TargetCount) !== targets.length) {
      fail(`${label} TargetCount ${num(execution.TargetCount)}, ${targets.length} targets stored`);
    }
    const counts = (execution.Counts ?? {}) as Record<string, number>;
    for (const status of new Set([...Object.keys(counts), ...statuses.keys()])) {
      if (num(counts[status]) !== (statuses.get(status) ?? 0)) {
        fail(`${label} Counts.${status} ${num(counts[status])}, ${statuses.get(status) ?? 0} targets`);
      }
    }
    if (num(execution.Waiting) !== waiting) fail(`${label} Waiting ${num(execution.Waiting)}, ${waiting} targets`);
    if (num(execution.Active) !== active) fail(`${label} Active ${num(execution.Active)}, ${active} targets`);
    if (num(execution.Errors) !== errors) fail(`${label} Errors ${num(execution.Errors)}, ${errors} targets`);
  }

  // ---- Activations and nodes ----
  const registered = new Map<string, number>();
  for (const node of of("Node")) if (node.ActivationId) count(registered, str(node.ActivationId));
  for (const activation of of("Activation")) {
    const nodes = registered.get(str(activation.ActivationId)) ?? 0;
    const stored = num(activation.RegistrationsCount);
    if (stored < nodes) fail(`activation ${activation.ActivationId} RegistrationsCount ${stored}, ${nodes} nodes`);
    if (stored > num(activation.RegistrationLimit)) {
      fail(`activation ${activation.ActivationId} RegistrationsCount ${stored} over its limit`);
    }
  }
  const nodeIds = new Set(of("Node").map((node) => str(node.InstanceId)));
  for (const identity of of("NodeIdentity")) {
    if (!nodeIds.has(str(identity.InstanceId))) fail(`node identity ${identity.PK} without its node`);
  }
  const identities = new Set(of("NodeIdentity").map((identity) => str(identity.InstanceId)));
  for (const node of of("Node")) {
    if (node.ActivationId && !identities.has(str(node.InstanceId))) fail(`node ${node.PK} without its identity`);
  }

  // ---- Parameters: versions of the head's generation, labels both ways ----
  for (const [pk, partition] of byPk) {
    if (!pk.startsWith("PARAM#")) continue;
    const head = at(pk, "PARAMETER");
    const versions = partition.filter((item) => item.Type === "ParameterVersion");
    if (!head) {
      fail(`parameter ${pk}: ${versions.length} versions without a head`);
      continue;
    }
    for (let v = num(head.OldestVersion); v <= num(head.Version); v++) {
      const version = at(pk, `VERSION#${pad(v)}`);
      if (version?.Generation !== head.Generation) fail(`parameter ${pk} version ${v} is missing`);
    }
    for (const version of versions) {
      const v = num(version.Version);
      if (version.Generation !== head.Generation) fail(`parameter ${pk} version ${v} of another generation`);
      else if (v < num(head.OldestVersion) || v > num(head.Version)) fail(`parameter ${pk} version ${v} out of range`);
      for (const label of (version.Labels ?? []) as string[]) {
        if ((head.Labels as Record<string, number>)?.[label] !== v) fail(`parameter ${pk} label ${label} disagrees`);
      }
    }
    for (const [label, v] of Object.entries((head.Labels ?? {}) as Record<string, number>)) {
      const version = at(pk, `VERSION#${pad(v)}`);
      if (!((version?.Labels ?? []) as string[]).includes(label)) fail(`parameter ${pk} label ${label} not on ${v}`);
    }
    if (num(head.Version) - num(head.OldestVersion) + 1 > 100) fail(`parameter ${pk} keeps over 100 versions`);
  }

  // ---- Compliance: a head's chunks of its generation ----
  for (const [pk, partition] of byPk) {
    if (!pk.startsWith("COMPLIANCE#")) continue;
    for (const head of partition.filter((item) => item.Type === "Compliance")) {
      const chunks = num(head.Chunks);
      const type = str(head.SK).slice("TYPE#".length);
      for (let chunk = 1; chunk <= chunks; chunk++) {
        const stored = partition.find(
          (item) =>
            item.Type === "ComplianceChunk" &&
            item.ComplianceType === type &&
            item.Generation === head.Generation &&
            item.Chunk === chunk,
        );
        if (!stored) fail(`compliance ${pk} ${type} chunk ${chunk} of generation ${head.Generation} is missing`);
      }
    }
    for (const chunk of partition.filter((item) => item.Type === "ComplianceChunk")) {
      const head = at(pk, `TYPE#${chunk.ComplianceType}`);
      if (head?.Generation !== chunk.Generation)
        unreachable.push(`compliance chunk ${pk} ${chunk.SK} of an old generation`);
    }
  }

  // ---- Inventory: a head's parts ----
  for (const head of of("InventoryType")) {
    for (let part = 1; part <= num(head.Parts); part++) {
      const sk = `PART#${head.TypeName}#${String(part).padStart(4, "0")}`;
      if (!at(str(head.PK), sk)) fail(`inventory ${head.PK} ${head.TypeName} part ${part} is missing`);
    }
  }

  const counts: Record<string, number> = {};
  for (const [type, list] of byType) counts[type] = list.length;
  return { violations, unreachable, pending, items: counts };
}

/** Fails the test with every violation listed, when the table is not consistent. */
export async function assertAuditClean(table: { db: DynamoDBDocumentClient; name: string }): Promise<AuditResult> {
  const result = await audit(table.db, table.name);
  if (result.violations.length > 0) {
    throw new Error(`audit: ${result.violations.length} violations\n${result.violations.slice(0, 50).join("\n")}`);
  }
  return result;
}
