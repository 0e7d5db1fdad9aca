/**
 * What one managed node's calls cost, measured through the real handlers in this process on
 * DynamoDB Local (the cost model's inputs: bench/lib/cost.ts). A fleet of nodes is registered as
 * the agent registers, an inventory association every 30 minutes targets it by tag, and one node
 * makes each of the agent's calls as the agent makes them; each call is measured alone: its
 * DynamoDB calls and the capacity DynamoDB Local reports (ReturnConsumedCapacity TOTAL, split into
 * read and write units by the call's kind), the handler's time beyond its DynamoDB calls, the
 * request log's line (LOG_LEVEL info, with the EMF metrics as deployed), and the bytes in and out.
 * Then the items the node keeps are read back and sized as DynamoDB sizes them.
 *
 * `npm run fleet` (issue 30) measures the same per node and hour over HTTP; when its results file
 * is there (FLEET_RESULTS, default bench/fleet-results.json) the model says so (cost.ts reads
 * only this file's figures: the two are kept apart until that one's shape is settled).
 */
import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import { ScanCommand } from "@aws-sdk/client-dynamodb";
import { marshall } from "@aws-sdk/util-dynamodb";
import type { Context } from "aws-lambda";
import { startDynamoDbLocal } from "../../infra/local/dynamodb-local.ts";
import { ensureTable } from "../../infra/table/ensure-table.ts";
import { SecretBox } from "../../shared/auth/secret-box.ts";
import { createRuntime, installRuntime } from "../../shared/runtime.ts";
import { documentClient, dynamoDbClient } from "../../shared/store/dynamodb.ts";
import { FakeAgent } from "../../test/support/agent.ts";
import { AgentComplianceUploader } from "../../test/support/agent-compliance.ts";
import { type Answer, call, handlerOf, invoke } from "../../test/support/invoke.ts";
import { AGENT_SUMMARY, ManagedNode } from "../../test/support/managed-node.ts";
import type { CostInputs, Step, StepFigures } from "./cost.ts";
import { median } from "./load.ts";
import { DynamoMeter, dynamoTime, type Tally } from "./meter.ts";
import { roundTrips } from "./overhead.ts";
import { messagePollEvent } from "./run-command.ts";

const TABLE = "cost";
const REGION = "us-east-1";
/** Nodes the inventory association targets (a run's start is shared among them). */
const FLEET = 10;
/** Each step is measured this many times; the handler's time is their median. */
const REPEATS = 7;

const READS = new Set(["GetItem", "BatchGetItem", "Query", "Scan", "TransactGetItems"]);

/**
 * The request log's lines (shared/lib/request-log.ts writes them to stdout): kept while a step is
 * measured, dropped otherwise (the set-up's requests write theirs too).
 */
class LogTap {
  private kept: string[] | undefined;
  private readonly write = process.stdout.write.bind(process.stdout);

  install(): void {
    process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      const text = typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
      if (!(text.startsWith("{") && text.includes('"requestId"'))) return this.write(chunk, ...(rest as []));
      this.kept?.push(text);
      return true;
    }) as typeof process.stdout.write;
  }

  uninstall(): void {
    process.stdout.write = this.write;
  }

  async during<T>(work: () => Promise<T>): Promise<{ result: T; lines: string[] }> {
    const lines: string[] = [];
    this.kept = lines;
    try {
      return { result: await work(), lines };
    } finally {
      this.kept = undefined;
    }
  }
}

/**
 * Read and write units of one request's calls, by the kind of each call. DynamoDB charges every
 * item a call reads or writes at least its smallest unit (an eventually consistent read of nothing
 * is still half a read unit, a strongly consistent one a whole unit; a transactional write two units), where DynamoDB Local reports 0 for
 * a read that finds nothing: the larger of the two is counted.
 */
function units(tally: Tally): { readUnits: number; writeUnits: number } {
  let readUnits = 0;
  let writeUnits = 0;
  for (const c of tally.calls) {
    if (READS.has(c.command)) readUnits += Math.max(c.capacity ?? 0, (c.input.ConsistentRead ? 1 : 0.5) * c.items);
    else writeUnits += Math.max(c.capacity ?? 0, (c.command === "TransactWriteItems" ? 2 : 1) * c.items);
  }
  return { readUnits, writeUnits };
}

/** DynamoDB's size of an attribute value (names and values in UTF-8, numbers about a byte per two digits). */
function valueBytes(value: AttributeValue): number {
  if (value.S !== undefined) return Buffer.byteLength(value.S);
  if (value.N !== undefined) return Math.ceil(value.N.replace(/^-|\.|e.*$/gi, "").length / 2) + 1;
  if (value.B !== undefined) return value.B.byteLength;
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1;
  if (value.SS) return value.SS.reduce((sum, s) => sum + Buffer.byteLength(s), 0);
  if (value.NS) return value.NS.reduce((sum, n) => sum + Math.ceil(n.length / 2) + 1, 0);
  if (value.L) return 3 + value.L.reduce((sum, v) => sum + 1 + valueBytes(v), 0);
  if (value.M)
    return 3 + Object.entries(value.M).reduce((sum, [k, v]) => sum + 1 + Buffer.byteLength(k) + valueBytes(v), 0);
  return 0;
}

/** An item's stored bytes: its attributes, DynamoDB's 100 bytes per item, and a copy per index it is in (both indexes project ALL). */
export function storedBytes(item: Record<string, AttributeValue>): number {
  const bytes = Object.entries(item).reduce((sum, [name, v]) => sum + Buffer.byteLength(name) + valueBytes(v), 0) + 100;
  const copies = (item.GSI1PK ? 1 : 0) + (item.GSI2PK ? 1 : 0);
  return bytes * (1 + copies);
}

export type StoredType = { items: number; bytes: number };

export async function measureCostInputs(): Promise<CostInputs & { storedByType: Record<string, StoredType> }> {
  const dynamodb = await startDynamoDbLocal();
  const log = new LogTap();
  log.install();
  try {
    const raw = dynamoDbClient(dynamodb.endpoint, REGION);
    await ensureTable(raw, TABLE);
    const db = documentClient(dynamodb.endpoint, REGION);
    const meter = new DynamoMeter();
    meter.attach(db);
    const services = createRuntime({
      db,
      tableName: TABLE,
      secretBox: SecretBox.fromBase64(SecretBox.newKey()),
      // As deployed (template.yaml): the request's line, with its metrics in EMF.
      logLevel: "info",
      metricsNamespace: "OpenStateManager/open-state-manager",
    });
    installRuntime(services);
    await (await services.accounts()).ensureDefaults();

    const tags = [{ Key: "fleet", Value: "cost" }];
    const activation = await call<{ ActivationId: string; ActivationCode: string }>("CreateActivation", {
      IamRole: "SSMServiceRole",
      RegistrationLimit: FLEET,
    });
    const agent = new FakeAgent();
    const node = await ManagedNode.enroll(activation, tags, { agent });
    for (let i = 1; i < FLEET; i++) await ManagedNode.enroll(activation, tags);
    const { AssociationDescription: inventory } = await call("CreateAssociation", {
      Name: "AWS-GatherSoftwareInventory",
      Targets: [{ Key: "tag:fleet", Values: ["cost"] }],
      Parameters: { applications: ["Enabled"], awsComponents: ["Enabled"] },
      ScheduleExpression: "rate(30 minutes)",
    });
    const associationId = inventory.AssociationId as string;

    const figures: Partial<Record<Step, StepFigures>> = {};
    /** Measures `send` REPEATS times (a run's steps once); the capacity and log of the last. */
    const measure = async (step: Step, operation: string, send: () => Promise<Answer | Answer[]>, share = 1) => {
      const ours: number[] = [];
      let last: { tally: Tally; lines: string[]; answers: Answer[] } | undefined;
      // A run's poll and reports happen once a run: a repeat would report on a run already ended.
      const repeats = step === "pollWithRun" || step === "report" ? 1 : REPEATS;
      for (let i = 0; i < repeats; i++) {
        const { result, lines } = await log.during(() => meter.run(send));
        const answers = ([] as Answer[]).concat(result.result);
        for (const a of answers)
          if (a.status !== 200) throw new Error(`${operation}: ${a.status} ${JSON.stringify(a.body)}`);
        ours.push((result.ms - dynamoTime(result.tally)) / answers.length);
        last = { tally: result.tally, lines, answers };
      }
      if (!last) throw new Error(`${step}: not measured`);
      const n = last.answers.length * share;
      const { readUnits, writeUnits } = units(last.tally);
      const logBytes = last.lines.reduce((sum, line) => sum + Buffer.byteLength(line), 0);
      if (step !== "runStart" && last.lines.length === 0) {
        throw new Error(`${operation}: no request log line `);
      }
      figures[step] = {
        operation,
        ourMs: median(ours) / share,
        roundTrips: roundTrips(last.tally) / n,
        readUnits: readUnits / n,
        writeUnits: writeUnits / n,
        logBytes: logBytes / n,
        responseBytes: last.answers.reduce((sum, a) => sum + Buffer.byteLength(JSON.stringify(a.body)), 0) / n,
      };
    };
    const asNode = (operation: string, body: unknown) => invoke(operation, body, { identity: node.identity });

    // A node in steady state has reported on the association before (48 runs a day): its first
    // run is done, untimed, and the next one started, as the scheduler starts it.
    const reports: [string, string][] = [
      ["Pending", "Association is pending"],
      ["InProgress", "Executing association"],
      ["InProgress", AGENT_SUMMARY],
      ["Success", AGENT_SUMMARY],
    ];
    await asNode("ListInstanceAssociations", { InstanceId: node.id, MaxResults: 20 });
    for (const [status, summary] of reports) await node.report(associationId, status, summary);
    await call("StartAssociationsOnce", { AssociationIds: [associationId] });

    // The node's first poll after the run started: the poll that tells it to run.
    await measure("pollWithRun", "ListInstanceAssociations", () =>
      asNode("ListInstanceAssociations", { InstanceId: node.id, MaxResults: 20 }),
    );
    await measure("report", "UpdateInstanceAssociationStatus", async () => {
      const answers: Answer[] = [];
      for (const [status, summary] of reports) answers.push(await node.report(associationId, status, summary));
      return answers;
    });
    // Each run's compliance as the agent uploads it: its hash covers the run's execution time, so
    // every run sends a new hash and the full items (test/support/agent-compliance.ts); a repeated
    // hash would be ignored and write nothing, which no run of the agent's does.
    const complianceUploader = new AgentComplianceUploader(node);
    let runTime = Date.now();
    await measure("compliance", "PutComplianceItems", () => {
      runTime += 1000;
      return complianceUploader.upload(associationId, "AWS-GatherSoftwareInventory", "1", "Success", new Date(runTime));
    });
    const inventoryItem = (content: unknown[] | undefined, typeName: string, hash: string) => ({
      CaptureTime: new Date().toISOString().replace(/\.\d{3}/, ""),
      ...(content ? { Content: content } : {}),
      ContentHash: hash,
      SchemaVersion: typeName === "AWS:Application" ? "1.1" : "1.0",
      TypeName: typeName,
    });
    const information = [
      {
        AgentStatus: "Active",
        AgentVersion: "3.3.1142.0",
        ComputerName: "node.example",
        InstanceId: node.id,
        IpAddress: "10.0.0.12",
        PlatformName: "Ubuntu",
        PlatformType: "Linux",
        PlatformVersion: "22.04",
      },
    ];
    // A typical server's packages: 400 applications of about 200 bytes each.
    const applications = Array.from({ length: 400 }, (_, i) => ({
      Name: `package-${i}`,
      Publisher: "Ubuntu Developers",
      Version: `1.${i}.0-1ubuntu1`,
      ApplicationType: "utils",
      Architecture: "x86_64",
      PackageId: `package-${i}_1.${i}.0-1ubuntu1_amd64.deb`,
    }));
    // The first upload carries the content; every later one of unchanged types only its hash.
    const full = await asNode("PutInventory", {
      InstanceId: node.id,
      Items: [
        inventoryItem(information, "AWS:InstanceInformation", "aW5mb3JtYXRpb24="),
        inventoryItem(applications, "AWS:Application", "YXBwbGljYXRpb25z"),
      ],
    });
    if (full.status !== 200) throw new Error(`PutInventory: ${full.status} ${JSON.stringify(full.body)}`);
    await measure("inventory", "PutInventory", () =>
      asNode("PutInventory", {
        InstanceId: node.id,
        Items: [
          inventoryItem(undefined, "AWS:InstanceInformation", "aW5mb3JtYXRpb24="),
          inventoryItem(undefined, "AWS:Application", "YXBwbGljYXRpb25z"),
        ],
      }),
    );
    await measure("poll", "ListInstanceAssociations", () =>
      asNode("ListInstanceAssociations", { InstanceId: node.id, MaxResults: 20 }),
    );
    await measure("heartbeat", "UpdateInstanceInformation", () =>
      asNode("UpdateInstanceInformation", {
        AgentName: "amazon-ssm-agent",
        AgentStatus: "Active",
        AgentVersion: "3.3.1142.0",
        ComputerName: "node.example",
        IPAddress: "10.0.0.12",
        InstanceId: node.id,
        PlatformName: "Ubuntu",
        PlatformType: "Linux",
        PlatformVersion: "22.04",
      }),
    );
    await measure("roleToken", "RequestManagedInstanceRoleToken", () => agent.roleToken());
    const getMessages = await handlerOf("GetMessages");
    await measure("messagePoll", "GetMessages", async () => {
      const result = await getMessages(await messagePollEvent(node.id, node.identity), {} as Context);
      return { status: result.statusCode, body: JSON.parse(result.body), headers: {} };
    });
    // A run's start (the scheduler's, as StartAssociationsOnce starts one): shared by the FLEET nodes.
    await measure(
      "runStart",
      "StartAssociationsOnce (a run of FLEET nodes)",
      () => invoke("StartAssociationsOnce", { AssociationIds: [associationId] }),
      FLEET,
    );

    // What the node keeps: every item that names it, sized as DynamoDB sizes them.
    const storedByType: Record<string, StoredType> = {};
    let key: Record<string, AttributeValue> | undefined;
    do {
      const page = await raw.send(new ScanCommand({ TableName: TABLE, ExclusiveStartKey: key }));
      for (const item of page.Items ?? []) {
        if (!JSON.stringify(item).includes(node.id)) continue;
        const type = item.Type?.S ?? item.SK?.S?.split("#")[0] ?? "?";
        const entry = storedByType[type] ?? { items: 0, bytes: 0 };
        storedByType[type] = { items: entry.items + 1, bytes: entry.bytes + storedBytes(item) };
      }
      key = page.LastEvaluatedKey;
    } while (key);

    const bytesOf = (type: string) => storedByType[type]?.bytes ?? 0;
    const itemsOf = (type: string) => storedByType[type]?.items ?? 0;
    const perRun = new Set(["ExecutionTarget", "ExecutionShard"]);
    const perIssue = new Set(["AccessKey"]);
    // Three runs named the node (CreateAssociation's, the one measured, StartAssociationsOnce's).
    const runs = 3;
    const nodeBytes = Object.entries(storedByType)
      .filter(([type]) => !perRun.has(type) && !perIssue.has(type))
      .reduce((sum, [, t]) => sum + t.bytes, 0);
    // A routine count's entry as the audit trail writes it (a member of the record's Counts list), and its index copy.
    const entry = marshall({ NodeId: node.id, Operation: "UpdateInstanceAssociationStatus", Calls: 4, Refused: 0 });
    const auditEntryBytes = 2 * (1 + valueBytes({ M: entry }));
    return {
      steps: figures as Record<Step, StepFigures>,
      stored: {
        nodeBytes,
        credentialBytes: bytesOf("AccessKey") / Math.max(1, itemsOf("AccessKey")),
        runBytes: [...perRun].reduce((sum, type) => sum + bytesOf(type), 0) / runs,
        auditEntryBytes,
      },
      storedByType,
      measuredWith: `the real handlers in process on DynamoDB Local (bench/lib/cost-measure.ts), ${new Date().toISOString()}, Node.js ${process.version}`,
    };
  } finally {
    log.uninstall();
    await dynamodb.stop();
  }
}
