/**
 * The fault run (issue 15): DynamoDB Local on a persistent data folder, the real local server in
 * front of it, a mixed write load from several workers, and DynamoDB Local killed (`kill -9`) and
 * restarted on the same port and data, while the server keeps running. Every answer is checked
 * as it arrives (a 200, a 4xx the operation may answer, or `InternalServerError` JSON, never a
 * hang or anything else); every acknowledged write is remembered, and read back after the load;
 * then the audit (./audit.ts) recounts the table.
 *
 * Each worker owns its names (documents, associations, nodes), so an acknowledged write has one
 * expected outcome. A write that failed leaves its name "unknown" until a read says what it is
 * (an association by its id, see resolveAssoc; a create never answered, which has no id, by its
 * name, and again after the load, since an unanswered write's outcome is unknown to its client).
 */
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type DynamoDbLocal, freePort, startDynamoDbLocal } from "../../infra/local/dynamodb-local.ts";
import { type LocalServer, startLocalServer } from "../../infra/local/server.ts";
import { ensureTable } from "../../infra/table/ensure-table.ts";
import { SecretBox } from "../../shared/auth/secret-box.ts";
import { createRuntime, installRuntime } from "../../shared/runtime.ts";
import { documentClient, dynamoDbClient } from "../../shared/store/dynamodb.ts";
import { FakeAgent } from "../support/agent.ts";
import { commandContent } from "../support/fixtures.ts";
import { DEFAULT_IDENTITY, signedHeaders } from "../support/identity.ts";
import { type AuditResult, audit } from "./audit.ts";

export type FaultRunOptions = {
  /**
   * Acknowledged writes between faults: DynamoDB is killed after `writesBetweenFaults`
   * acknowledged writes, again after as many more, and the load ends after as many more again,
   * so every phase does real work however slow the machine is.
   */
  writesBetweenFaults: number;
  workers: number;
  kills: number;
  /** How long DynamoDB stays down before it is started again. */
  downMs: number;
  seed: number;
};

export type FaultRunReport = {
  requests: number;
  /** Acknowledged (200) writes, by operation. */
  acknowledged: Record<string, number>;
  /** Answers during the outages: InternalServerError JSON, by operation. */
  internalErrors: number;
  /** Errors the handlers logged during the load (each InternalServerError is logged). */
  errorsLogged?: number;
  faultsInjected: number;
  /** Per restart: ms from DynamoDB answering again to the first request the server answered 200. */
  recoveryMs: number[];
  /** Answers that were neither 200, an expected 4xx, nor InternalServerError JSON; hangs. */
  badAnswers: string[];
  /** Requests whose connection to the local server failed before an answer (not a hang). */
  transportErrors: string[];
  /** Acknowledged writes not readable, acknowledged deletes still there. */
  lost: string[];
  /**
   * The same, for a write DynamoDB Local acknowledged at most `KILL_WINDOW_MS` before it was
   * killed: DynamoDB Local itself loses its last acknowledged writes on `kill -9`
   * (./dynamodb-local-durability.test.ts shows it without our server), so these measure the
   * store's durability, not the service's. Counted apart; every other write stays in `lost`.
   */
  lostAtKill: string[];
  /** Association creates never answered 200 that a by-name lookup during the load found absent. */
  unacknowledgedCreates: number;
  /** Of those, the ones found after the load: applied after the lookup (late), not lost. */
  unacknowledgedLanded: string[];
  audit: AuditResult;
};

/** 4xx answers a worker's own sequence can meet (a write retried after an outage, a race with itself). */
/**
 * How long before a kill an acknowledged write may be lost by DynamoDB Local itself: the kill
 * follows the write that sets it off within the harness's 20 ms poll; the probe
 * (./dynamodb-local-durability.test.ts) loses writes acknowledged just before `kill -9`.
 */
const KILL_WINDOW_MS = 100;

const EXPECTED_4XX = new Set([
  "TooManyUpdates",
  "AssociationDoesNotExist",
  "InvalidDocument",
  "DocumentAlreadyExists",
  "AssociationAlreadyExists",
  "DuplicateDocumentContent",
  "InvalidActivation",
  "InvalidActivationId",
  "RegistrationLimitExceeded",
  "AssociatedInstances",
  // UpdateAssociationStatus reporting the status the association already has (listed in the model).
  "StatusUnchanged",
]);

type Answer = { status: number; body: Record<string, unknown> };
type State = "present" | "absent" | "unknown";

const legacyContent = (n: number) =>
  JSON.stringify({
    schemaVersion: "1.2",
    description: `legacy ${n}`,
    runtimeConfig: { "aws:runShellScript": { properties: [{ runCommand: [`echo ${n}`] }] } },
  });

/** A small seeded generator (mulberry32), so a run can be repeated. */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function runFaultLoad(options: FaultRunOptions): Promise<FaultRunReport> {
  const dataDir = mkdtempSync(join(tmpdir(), "osm-faults-"));
  const port = await freePort();
  let dynamodb: DynamoDbLocal = await startDynamoDbLocal({ dataDir, port, startTimeoutMs: 180_000 });
  const tableName = `faults-${randomUUID()}`;
  const db = documentClient(dynamodb.endpoint, "us-east-1");
  await ensureTable(dynamoDbClient(dynamodb.endpoint, "us-east-1"), tableName);
  const services = createRuntime({ db, tableName, secretBox: SecretBox.fromBase64(SecretBox.newKey()) });
  installRuntime(services);
  await (await services.accounts()).ensureDefaults();
  const server: LocalServer = await startLocalServer({ port: 0 });
  const host = new URL(server.url).host;

  const report: FaultRunReport = {
    requests: 0,
    acknowledged: {},
    internalErrors: 0,
    faultsInjected: 0,
    recoveryMs: [],
    badAnswers: [],
    transportErrors: [],
    lost: [],
    lostAtKill: [],
    unacknowledgedCreates: 0,
    unacknowledgedLanded: [],
    audit: { violations: [], unreachable: [], pending: [], items: {} },
  };

  /** One request through the real server; classifies the answer. */
  async function send(operation: string, request: unknown, unsigned = false): Promise<Answer> {
    const body = JSON.stringify(request);
    const headers = unsigned
      ? { "content-type": "application/x-amz-json-1.1", "x-amz-target": `AmazonSSM.${operation}` }
      : await signedHeaders(operation, body, DEFAULT_IDENTITY, { host });
    report.requests++;
    let response: Response;
    let text: string;
    try {
      // Far above any answer's time: a request still open after this is a hang.
      response = await fetch(`${server.url}/`, { method: "POST", headers, body, signal: AbortSignal.timeout(60_000) });
      text = await response.text();
    } catch (error) {
      const { name, message, cause } = error as Error & { cause?: { code?: string; message?: string } };
      if (name === "TimeoutError" || name === "AbortError") {
        report.badAnswers.push(`${operation}: no answer within 60 s (a hang)`);
      } else {
        // The connection to the local server itself failed (a keep-alive socket the server closed
        // as it was reused, on a machine too busy to keep time): the client's transport, which
        // SDKs retry. Counted apart; the write's outcome is unknown, as after a 500.
        report.transportErrors.push(`${operation}: ${message} (${cause?.code ?? cause?.message ?? "no cause"})`);
      }
      return { status: 0, body: {} };
    }
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(text) as Record<string, unknown>;
    } catch {
      report.badAnswers.push(`${operation}: ${response.status} not JSON: ${text.slice(0, 100)}`);
      return { status: response.status, body: {} };
    }
    if (response.status === 200) return { status: 200, body: parsed };
    if (response.status === 500 && parsed.__type === "InternalServerError") {
      report.internalErrors++;
      // DynamoDB is down: a client backs off rather than spin (the SDK's retry would, too).
      await new Promise((resolve) => setTimeout(resolve, 100));
    } else if (response.status !== 400 || !EXPECTED_4XX.has(parsed.__type as string)) {
      report.badAnswers.push(`${operation}: ${response.status} ${JSON.stringify(parsed).slice(0, 200)}`);
    }
    return { status: response.status, body: parsed };
  }
  let writes = 0;
  const acked = (operation: string, answer: Answer, entity?: Acked) => {
    if (answer.status === 200) {
      report.acknowledged[operation] = (report.acknowledged[operation] ?? 0) + 1;
      writes++;
      if (entity) entity.ackedAt = Date.now();
    }
    return answer.status === 200;
  };
  /** Each kill: from just before the signal to DynamoDB Local's exit. */
  const kills: { from: number; to: number }[] = [];
  /** A lost write, in `lostAtKill` when DynamoDB Local acknowledged it just before a kill. */
  const lose = (entity: Acked, message: string) => {
    const at = entity.ackedAt;
    const kill = at === undefined ? undefined : kills.find((k) => at >= k.from - KILL_WINDOW_MS && at <= k.to);
    if (kill && at !== undefined)
      report.lostAtKill.push(`${message} (acknowledged ${kill.from - at} ms before kill -9)`);
    else report.lost.push(message);
  };
  /** Resolves once `count` writes have been acknowledged in all. */
  const afterWrites = async (count: number) => {
    while (writes < count) await new Promise((resolve) => setTimeout(resolve, 20));
  };

  /** A setup step, sent until it is done (before any fault: only a transport error repeats it). */
  async function setup(operation: string, request: unknown): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const answer = await send(operation, request);
      if (answer.status === 200 || answer.body.__type === "DocumentAlreadyExists") return;
      if (attempt === 5) throw new Error(`setup ${operation} failed: ${JSON.stringify(answer.body)}`);
    }
  }

  // ---- What each worker owns, and what it knows of it ----
  /** When the entity's last acknowledged write was answered (ms since the epoch). */
  type Acked = { ackedAt?: number };
  type Doc = Acked & { name: string; state: State; versions: number; round: number };
  /** `phase`: how many faults had been injected when its delete was acknowledged. */
  type Assoc = Acked & {
    name: string;
    id?: string;
    state: State;
    version: number;
    legacyNode?: string;
    phase?: number;
    resolvedBy?: string;
    /** What the worker sent it and heard back, for the report of a lost write. */
    history: string[];
    /** A create that was never answered 200, and was found absent during the load. */
    unacknowledgedCreate?: boolean;
  };
  type Worker = {
    index: number;
    nodes: string[];
    docs: Doc[];
    assocs: Assoc[];
    compliance: Map<string, Acked & { state: State; ids: string[] }>;
    registered: string[];
    agent: FakeAgent;
    next: () => number;
    counter: number;
  };
  const workers: Worker[] = [];
  for (let w = 0; w < options.workers; w++) {
    const nodes = [0, 1].map((n) => `i-0f${String(w).padStart(2, "0")}${String(n).padStart(13, "0")}`);
    for (const node of nodes) {
      await setup("UpdateInstanceInformation", { InstanceId: node, PlatformType: "Linux", AgentVersion: "3.3.0.0" });
    }
    await setup("CreateDocument", { Name: `fw${w}-target`, Content: commandContent(`target ${w}`) });
    await setup("CreateDocument", { Name: `fw${w}-legacy`, Content: legacyContent(w) });
    workers.push({
      index: w,
      nodes,
      docs: [0, 1, 2].map((d) => ({ name: `fw${w}-doc${d}`, state: "absent", versions: 0, round: 0 })),
      assocs: [],
      compliance: new Map(),
      registered: [],
      agent: new FakeAgent(),
      next: random(options.seed * 100 + w),
      counter: 0,
    });
  }

  // ---- The steps a worker takes ----
  async function resolveDoc(doc: Doc): Promise<void> {
    const answer = await send("DescribeDocument", { Name: doc.name });
    if (answer.status === 200) {
      doc.state = "present";
      doc.versions = Number((answer.body.Document as { LatestVersion: string }).LatestVersion);
    } else if (answer.body.__type === "InvalidDocument") doc.state = "absent";
  }

  async function documentStep(worker: Worker): Promise<void> {
    const doc = worker.docs[Math.floor(worker.next() * worker.docs.length)] as Doc;
    if (doc.state === "unknown") return resolveDoc(doc);
    if (doc.state === "absent") {
      doc.round++;
      const answer = await send("CreateDocument", {
        Name: doc.name,
        Content: commandContent(`${doc.name} r${doc.round} v1`),
      });
      if (acked("CreateDocument", answer, doc)) Object.assign(doc, { state: "present", versions: 1 });
      else doc.state = answer.body.__type === "DocumentAlreadyExists" ? "unknown" : "unknown";
      return;
    }
    // Multi-version documents: a few versions, then the whole document goes.
    if (doc.versions < 4) {
      const content = commandContent(`${doc.name} r${doc.round} v${doc.versions + 1}`);
      const answer = await send("UpdateDocument", { Name: doc.name, Content: content, DocumentVersion: "$LATEST" });
      if (acked("UpdateDocument", answer, doc)) doc.versions++;
      else doc.state = "unknown";
      return;
    }
    const answer = await send("DeleteDocument", { Name: doc.name });
    if (acked("DeleteDocument", answer, doc)) Object.assign(doc, { state: "absent", versions: 0 });
    else doc.state = "unknown";
  }

  /**
   * What became of an association after a write to it failed. With its id known (a failed
   * update or delete), DescribeAssociation by id says: a strongly consistent read of its head.
   * It must not be looked up by name: UpdateAssociation clears an AssociationName it is not
   * sent, as AWS documents and our service does (test/associations/UpdateAssociation.test.ts),
   * and this load's updates send none, so an association updated once has no name any more.
   * (Looking every failed write up by name is what made earlier full runs report "deleted,
   * still read" for associations whose update or delete had failed: the name filter rightly
   * found nothing, and the outage only decided when the lookup ran.) Only a create never
   * answered has no id: it is looked up by its name, which no update can have cleared (an
   * update needs the id the create never returned), and a legacy one by its (document, node) pair.
   */
  async function resolveAssoc(assoc: Assoc, worker: Worker): Promise<void> {
    if (assoc.id || assoc.legacyNode) {
      const described = await send(
        "DescribeAssociation",
        assoc.id ? { AssociationId: assoc.id } : { Name: `fw${worker.index}-legacy`, InstanceId: assoc.legacyNode },
      );
      noted(assoc, "resolve", described);
      if (described.body.__type === "AssociationDoesNotExist") {
        Object.assign(assoc, { state: "absent", resolvedBy: `DescribeAssociation at ${report.faultsInjected} faults` });
      }
      if (described.status !== 200) return;
      const description = described.body.AssociationDescription as {
        AssociationId: string;
        AssociationVersion: string;
      };
      Object.assign(assoc, {
        id: description.AssociationId,
        state: "present",
        version: Number(description.AssociationVersion),
      });
      return;
    }
    const found = await findByName(assoc.name);
    assoc.history.push(`resolve by name: ${found ?? "none"} @${report.faultsInjected}/${writes}`);
    if (found === "failed") return;
    if (!found) {
      Object.assign(assoc, {
        state: "absent",
        unacknowledgedCreate: true,
        resolvedBy: `ListAssociations at ${report.faultsInjected} faults, ${writes} writes`,
      });
      return;
    }
    const described = await send("DescribeAssociation", { AssociationId: found });
    if (described.status !== 200) return;
    const description = described.body.AssociationDescription as { AssociationVersion: string };
    Object.assign(assoc, { id: found, state: "present", version: Number(description.AssociationVersion) });
  }

  /** The id of the association named `name`, through every page of a filtered ListAssociations. */
  async function findByName(name: string): Promise<string | undefined | "failed"> {
    // A filtered list may answer pages without a match and a NextToken: follow it to the end.
    let found: { AssociationId: string } | undefined;
    let token: unknown;
    do {
      const answer = await send("ListAssociations", {
        AssociationFilterList: [{ key: "AssociationName", value: name }],
        ...(token ? { NextToken: token } : {}),
      });
      if (answer.status !== 200) return "failed";
      found = (answer.body.Associations as { AssociationId: string }[])[0];
      token = answer.body.NextToken;
    } while (!found && token);
    return found?.AssociationId;
  }

  /** Notes an answer in the association's history: operation, status, fault count, writes. */
  const noted = (assoc: Assoc, operation: string, answer: Answer) => {
    assoc.history.push(
      `${operation} ${answer.status}${answer.status === 200 ? "" : ` ${answer.body.__type ?? ""}`} @${report.faultsInjected}/${writes}`,
    );
    return answer;
  };

  async function associationStep(worker: Worker): Promise<void> {
    const live = worker.assocs.filter((assoc) => assoc.state !== "absent");
    const unknown = live.find((assoc) => assoc.state === "unknown");
    if (unknown) return resolveAssoc(unknown, worker);
    const roll = worker.next();
    if (live.length < 3 || roll < 0.3) {
      const legacy = worker.next() < 0.4;
      const node = worker.nodes[worker.counter % worker.nodes.length] as string;
      // A legacy association's (document, node) pair is unique: only when the worker holds none on that node.
      if (legacy && live.some((assoc) => assoc.legacyNode === node)) return;
      const assoc: Assoc = {
        name: `fw${worker.index}-a${worker.counter++}`,
        state: "unknown",
        version: 0,
        history: [],
      };
      if (legacy) assoc.legacyNode = node;
      worker.assocs.push(assoc);
      const request = legacy
        ? { Name: `fw${worker.index}-legacy`, InstanceId: node }
        : {
            Name: `fw${worker.index}-target`,
            Targets: [{ Key: "InstanceIds", Values: worker.nodes }],
            AssociationName: assoc.name,
            ScheduleExpression: "rate(30 minutes)",
          };
      const answer = noted(assoc, "create", await send("CreateAssociation", request));
      if (acked("CreateAssociation", answer, assoc)) {
        const description = answer.body.AssociationDescription as { AssociationId: string };
        Object.assign(assoc, { id: description.AssociationId, state: "present", version: 1 });
      }
      return;
    }
    const assoc = live[Math.floor(worker.next() * live.length)] as Assoc;
    if (roll < 0.55) {
      const answer = noted(assoc, "delete", await send("DeleteAssociation", { AssociationId: assoc.id }));
      if (acked("DeleteAssociation", answer, assoc))
        Object.assign(assoc, { state: "absent", phase: report.faultsInjected });
      else assoc.state = "unknown";
    } else if (roll < 0.8 || !assoc.legacyNode) {
      const answer = noted(
        assoc,
        "update",
        await send("UpdateAssociation", {
          AssociationId: assoc.id,
          AssociationVersion: String(assoc.version),
          ...(assoc.legacyNode
            ? { ComplianceSeverity: worker.next() < 0.5 ? "HIGH" : "LOW" }
            : {
                ScheduleExpression: `rate(${30 + Math.floor(worker.next() * 30)} minutes)`,
                Parameters: { message: [`run ${worker.counter++}`] },
              }),
        }),
      );
      if (acked("UpdateAssociation", answer, assoc)) assoc.version++;
      else assoc.state = "unknown";
    } else {
      const answer = noted(
        assoc,
        "status",
        await send("UpdateAssociationStatus", {
          Name: `fw${worker.index}-legacy`,
          InstanceId: assoc.legacyNode,
          AssociationStatus: {
            Date: Math.floor(Date.now() / 1000),
            Name: worker.next() < 0.5 ? "Success" : "Failed",
            Message: `report ${worker.counter++}`,
          },
        }),
      );
      acked("UpdateAssociationStatus", answer);
    }
  }

  async function complianceStep(worker: Worker): Promise<void> {
    const node = worker.nodes[Math.floor(worker.next() * worker.nodes.length)] as string;
    const count = 1 + Math.floor(worker.next() * 20);
    const ids = Array.from({ length: count }, (_, i) => `item-${worker.counter}-${i}`);
    worker.counter++;
    const answer = await send("PutComplianceItems", {
      ResourceId: node,
      ResourceType: "ManagedInstance",
      ComplianceType: "Custom:faults",
      ExecutionSummary: { ExecutionTime: Math.floor(Date.now() / 1000) },
      Items: ids.map((Id) => ({ Id, Severity: "HIGH", Status: "COMPLIANT", Title: Id })),
      UploadType: "COMPLETE",
    });
    const entry: Acked & { state: State; ids: string[] } = { state: "unknown", ids };
    if (acked("PutComplianceItems", answer, entry)) entry.state = "present";
    worker.compliance.set(node, entry);
  }

  async function activationStep(worker: Worker): Promise<void> {
    const created = await send("CreateActivation", { IamRole: "SSMServiceRole", RegistrationLimit: 2 });
    if (!acked("CreateActivation", created)) return;
    const register = await send(
      "RegisterManagedInstance",
      {
        ActivationCode: created.body.ActivationCode,
        ActivationId: created.body.ActivationId,
        PublicKey: worker.agent.publicKey,
        PublicKeyType: "Rsa",
        Fingerprint: randomUUID(),
      },
      true,
    );
    if (acked("RegisterManagedInstance", register)) worker.registered.push(register.body.InstanceId as string);
  }

  let stopped = false;
  async function work(worker: Worker): Promise<void> {
    while (!stopped) {
      const roll = worker.next();
      if (roll < 0.4) await documentStep(worker);
      else if (roll < 0.8) await associationStep(worker);
      else if (roll < 0.93) await complianceStep(worker);
      else await activationStep(worker);
    }
  }

  // ---- The load, and the faults ----
  // Each failed DynamoDB call is logged by the handler: counted here instead of flooding the output.
  const log = console.error;
  let logged = 0;
  console.error = () => {
    logged++;
  };
  const load = Promise.all(workers.map((worker) => work(worker)));
  for (let kill = 1; kill <= options.kills; kill++) {
    await afterWrites(options.writesBetweenFaults * kill);
    const from = Date.now();
    await dynamodb.crash();
    kills.push({ from, to: Date.now() });
    report.faultsInjected++;
    await new Promise((resolve) => setTimeout(resolve, options.downMs));
    dynamodb = await startDynamoDbLocal({ dataDir, port, startTimeoutMs: 180_000 });
    const back = Date.now();
    // The server was not restarted: its next request must find DynamoDB again.
    for (;;) {
      const probe = await send("ListDocuments", { MaxResults: 1 });
      if (probe.status === 200) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    report.recoveryMs.push(Date.now() - back);
  }
  await afterWrites(options.writesBetweenFaults * (options.kills + 1));
  stopped = true;
  await load;
  console.error = log;
  report.errorsLogged = logged;

  // ---- Every acknowledged write readable, every acknowledged delete gone ----
  for (const worker of workers) {
    for (const doc of worker.docs) {
      if (doc.state === "unknown") await resolveDoc(doc);
      const described = await send("DescribeDocument", { Name: doc.name });
      if (doc.state === "present") {
        const latest = (described.body.Document as { LatestVersion?: string } | undefined)?.LatestVersion;
        if (described.status !== 200 || Number(latest) !== doc.versions) {
          // (status and latest version printed below)
          lose(doc, `document ${doc.name}: ${doc.versions} versions acknowledged, read ${described.status} ${latest}`);
        }
      } else if (doc.state === "absent") {
        if (described.body.__type !== "InvalidDocument") lose(doc, `document ${doc.name}: deleted, still read`);
        // A document that reads as gone has its name free again (issue 15, item 4).
        const again = await send("CreateDocument", { Name: doc.name, Content: commandContent(`${doc.name} again`) });
        if (again.status !== 200)
          report.lost.push(`document ${doc.name}: reads as gone, create answers ${again.body.__type}`);
      }
    }
    for (const assoc of worker.assocs) {
      if (assoc.state === "unknown") await resolveAssoc(assoc, worker);
      if (assoc.unacknowledgedCreate && !assoc.id) {
        // A create never answered 200 was looked up by name during the load and not found. Its
        // outcome was unknown to the client, so it may still land later (on AWS as here: a
        // request the server gave up on may yet be applied): counted apart from lost
        // acknowledged writes, and, if it landed, it is an association like any other to the audit.
        report.unacknowledgedCreates++;
        const found = await findByName(assoc.name);
        if (found && found !== "failed") report.unacknowledgedLanded.push(`association ${assoc.name} (${found})`);
      }
      if (!assoc.id) continue;
      const described = await send("DescribeAssociation", { AssociationId: assoc.id });
      if (assoc.state === "present") {
        const version = (described.body.AssociationDescription as { AssociationVersion?: string } | undefined)
          ?.AssociationVersion;
        if (described.status !== 200 || Number(version) !== assoc.version) {
          lose(
            assoc,
            `association ${assoc.name}: version ${assoc.version} acknowledged, read ${described.status} ${version}; ${assoc.history.join(", ")}`,
          );
        }
      } else if (assoc.state === "absent" && described.body.__type !== "AssociationDoesNotExist") {
        // Deleted by an acknowledged delete (`phase` set), or read as gone by id after a failed
        // one: either way nothing may bring it back (the load never reuses a name or an id).
        lose(
          assoc,
          `association ${assoc.name} (${assoc.id}${assoc.legacyNode ? `, legacy on ${assoc.legacyNode}` : ""}): ${assoc.phase === undefined ? `read as gone by ${assoc.resolvedBy}` : `deleted (after fault ${assoc.phase})`}, read ${described.status} version ${(described.body.AssociationDescription as { AssociationVersion?: string } | undefined)?.AssociationVersion}; ${assoc.history.join(", ")}`,
        );
      }
    }
    for (const [node, expected] of worker.compliance) {
      if (expected.state !== "present") continue;
      const listed = await send("ListComplianceItems", {
        ResourceIds: [node],
        ResourceTypes: ["ManagedInstance"],
        Filters: [{ Key: "ComplianceType", Values: ["Custom:faults"] }],
        MaxResults: 50,
      });
      const ids = ((listed.body.ComplianceItems ?? []) as { Id: string }[]).map((item) => item.Id).sort();
      if (JSON.stringify(ids) !== JSON.stringify([...expected.ids].sort())) {
        lose(expected, `compliance of ${node}: ${expected.ids.length} items acknowledged, ${ids.length} read`);
      }
    }
    for (const instanceId of worker.registered) {
      const described = await send("DescribeInstanceInformation", {
        InstanceInformationFilterList: [{ key: "InstanceIds", valueSet: [instanceId] }],
      });
      if ((described.body.InstanceInformationList as unknown[] | undefined)?.length !== 1) {
        report.lost.push(`registered node ${instanceId} not found`);
      }
    }
  }
  report.audit = await audit(db, tableName);

  await server.close();
  await dynamodb.stop();
  rmSync(dataDir, { recursive: true, force: true });
  return report;
}
