/**
 * The cost per managed node on AWS (issue 30): pure arithmetic from what one node's calls were
 * measured to cost (bench/lib/cost-measure.ts: DynamoDB capacity, the handler's own time, the log
 * line, the answer's bytes, the items a node keeps), the real agent's default cadence of each call,
 * the deployment's shape (template.yaml) and the public us-east-1 prices, into dollars per 1,000
 * nodes per 730-hour month (AWS's own month for hourly prices), next to AWS's advanced tier.
 *
 * Volume tiers and free tiers are left out: every price is the first tier's, so the figures are
 * an upper bound at 1,000 nodes (API Gateway's and Lambda's later tiers are cheaper).
 */

/** A price, where it was read and when (or that it is from memory and unverified). */
export type Price = { usd: number; per: string; source: string };

const READ = "read 2026-12-07";
const MEMORY = "from memory, not found by `search` on 2026-12-07: unverified";

/** The us-east-1 prices the model uses. */
export const PRICES = {
  lambdaRequest: {
    usd: 0.2 / 1e6,
    per: "request",
    source: `https://docs.aws.amazon.com/whitepapers/latest/how-aws-pricing-works/lambda.html ($0.20 per 1M requests; ${READ})`,
  },
  lambdaArmGbSecond: {
    usd: 0.0000133334,
    per: "GB-second (arm64, first 7.5 billion)",
    source: `https://cloudchipr.com/blog/aws-lambda-pricing (us-east-1 Arm tiers; the AWS page https://aws.amazon.com/lambda/pricing/ renders its table dynamically; ${READ})`,
  },
  apiGatewayRest: {
    usd: 3.5 / 1e6,
    per: "REST API request (first 333 million)",
    source: `https://docs.aws.amazon.com/whitepapers/latest/best-practices-api-gateway-private-apis-integration/cost-optimization.html (${READ})`,
  },
  apiGatewayHttp: {
    usd: 1.0 / 1e6,
    per: "HTTP API request (first 300 million)",
    source: `https://docs.aws.amazon.com/whitepapers/latest/best-practices-api-gateway-private-apis-integration/cost-optimization.html (${READ})`,
  },
  cloudFrontRequest: {
    usd: 0.01 / 1e4,
    per: "HTTPS request (United States)",
    source: `$0.0100 per 10,000 HTTPS requests, ${MEMORY} (https://aws.amazon.com/cloudfront/pricing/ was found, its request table was not in the excerpt)`,
  },
  cloudFrontFunction: {
    usd: 0.1 / 1e6,
    per: "CloudFront Functions invocation",
    source: `https://cur.vantage.sh/aws/amazoncloudfront/ ($0.10 per 1M invocations; ${READ})`,
  },
  cloudFrontOutGb: {
    usd: 0.085,
    per: "GB out to the internet (United States, first 10 TB)",
    source: `https://aws.amazon.com/cloudfront/pricing/ (${READ})`,
  },
  dynamoReadUnit: {
    usd: 0.125 / 1e6,
    per: "on-demand read request unit",
    source: `https://airbyte.com/data-engineering-resources/dynamodb-pricing (after AWS's November 2024 cut; https://aws.amazon.com/dynamodb/pricing/on-demand/ was found without its figures; ${READ})`,
  },
  dynamoWriteUnit: {
    usd: 0.625 / 1e6,
    per: "on-demand write request unit",
    source: `https://airbyte.com/data-engineering-resources/dynamodb-pricing (${READ})`,
  },
  dynamoStorageGbMonth: {
    usd: 0.25,
    per: "GB-month stored (first 25 GB free, left out)",
    source: `https://aws.amazon.com/dynamodb/pricing/ (${READ})`,
  },
  dynamoPitrGbMonth: {
    usd: 0.2,
    per: "GB-month of point-in-time recovery (the template turns it on)",
    source: `$0.20 per GB-month, ${MEMORY}`,
  },
  logsIngestGb: {
    usd: 0.5,
    per: "GB ingested (CloudWatch Logs, Standard class)",
    source: `https://c3x.dev/blog/cloudwatch-logs-cost-optimization (us-east-1; ${READ})`,
  },
  logsStoredGbMonth: {
    usd: 0.03,
    per: "GB-month stored (CloudWatch Logs)",
    source: `https://c3x.dev/blog/cloudwatch-logs-cost-optimization (${READ})`,
  },
  customMetricMonth: {
    usd: 0.3,
    per: "custom metric-month (first 10,000)",
    source: `$0.30, ${MEMORY}`,
  },
  dashboardMonth: { usd: 3, per: "dashboard-month", source: `$3, ${MEMORY}` },
  alarmMonth: { usd: 0.1, per: "standard alarm-month", source: `$0.10, ${MEMORY}` },
  secretMonth: { usd: 0.4, per: "secret-month (Secrets Manager)", source: `$0.40, ${MEMORY}` },
  advancedNodeHour: {
    usd: 0.00695,
    per: "advanced-tier managed node-hour (AWS Systems Manager)",
    source: `$0.00695 per hour, ${MEMORY} (https://docs.aws.amazon.com/systems-manager/latest/userguide/fleet-manager-configure-instance-tiers.html, read 2026-12-07, says the tier is charged per node-hour and links the pricing page)`,
  },
} satisfies Record<string, Price>;

export type Prices = { [K in keyof typeof PRICES]: Price };

/** Hours in AWS's month for hourly prices (8,760 / 12). */
export const MONTH_HOURS = 730;
const MONTH_DAYS = MONTH_HOURS / 24;

/** What one request of a step was measured to cost (bench/lib/cost-measure.ts). */
export type StepFigures = {
  /** The operation, or "scheduler" for the service's own share of starting a run. */
  operation: string;
  /** The handler's own time (beyond its DynamoDB calls), ms, on this machine. */
  ourMs: number;
  /** DynamoDB round trips (calls in flight together count once). */
  roundTrips: number;
  readUnits: number;
  writeUnits: number;
  /** Bytes the request log writes for it (its JSON line with the EMF metrics). */
  logBytes: number;
  responseBytes: number;
};

/** What a node makes, by step, and when. */
export type Step =
  | "heartbeat"
  | "roleToken"
  | "poll"
  | "pollWithRun"
  | "report"
  | "compliance"
  | "inventory"
  | "runStart"
  | "messagePoll";

/**
 * DynamoDB bytes a node keeps (items with their 100-byte overhead and their index copies), by
 * what makes them: once per node, per credentials issued, per run, per routine call audited.
 */
export type StoredFigures = {
  /** The node, its identity, its status per association, its compliance, its inventory. */
  nodeBytes: number;
  /** One issue of node credentials (kept until an hour after they expire: shared/domain/accounts/accounts.ts). */
  credentialBytes: number;
  /** One run's items that name the node (its target). */
  runBytes: number;
  /** One entry of a routine call's count in the audit trail (shared/domain/audit/audit.ts), with its index copy. */
  auditEntryBytes: number;
};

export type CostInputs = {
  steps: Record<Step, StepFigures>;
  stored: StoredFigures;
  /** Where the figures came from (measured in process on DynamoDB Local, or read from `npm run fleet`). */
  measuredWith: string;
};

/**
 * The real agent's default cadence (aws/amazon-ssm-agent at 1c217c89, 3.3.0.0):
 * - heartbeat: UpdateInstanceInformation every HealthFrequencyMinutes, 5 (agent/appconfig/constants.go
 *   DefaultSsmHealthFrequencyMinutes; agent/health/healthcheck.go scheduleUpdateHealth);
 * - association poll: ListInstanceAssociations every AssociationFrequencyMinutes, 10
 *   (DefaultSsmAssociationFrequencyMinutes; agent/association/processor/processor.go ModuleExecute);
 * - credentials: this service's node credentials last an hour (shared/domain/nodes/nodes.ts
 *   NODE_CREDENTIALS_LIFETIME_SECONDS) and the agent renews them at half their life
 *   (core/app/credentialrefresher/credentialrefresher.go: credentialsDuration / 2);
 * - message channel: after a GetMessages answered in under a second the agent sleeps 2 to 2.5 s
 *   (agent/messageservice/interactor/mdsinteractor/mdsinteractor.go, 2000 + rand.Intn(500) ms),
 *   after a longer one it polls again at once;
 * - a run: Pending, InProgress, InProgress with the plugin summary and the final status
 *   (UpdateInstanceAssociationStatus ×4, test/support/managed-node.ts), then one PutComplianceItems
 *   with the association's compliance (agent/association/compliance/uploader/uploader.go: only on
 *   Success, Failed or TimedOut); an inventory run also one PutInventory (unchanged types sent as
 *   their hash alone: agent/plugins/inventory/datauploader/uploader.go).
 */
export const AGENT = {
  heartbeatMinutes: 5,
  associationPollMinutes: 10,
  credentialRenewalMinutes: 30,
  messagePauseSeconds: 2.25,
  reportsPerRun: 4,
};

/**
 * The workload of the reference node beyond the agent's own loop: the associations it runs. The
 * default is an inventory association every 30 minutes (AWS-GatherSoftwareInventory, the
 * interval Quick Setup's host management proposes: from memory, unverified) and one other run a day.
 */
export type Workload = { inventoryRunsPerDay: number; otherRunsPerDay: number };
export const REFERENCE_WORKLOAD: Workload = { inventoryRunsPerDay: 48, otherRunsPerDay: 1 };

/** How long the table keeps what a node's calls leave behind. */
export const RETENTION = {
  /** Node credentials: their hour, then a day until the TTL removes them (accounts.ts: expiration + 86,400 s). */
  credentialHours: 25,
  /** Runs (their targets): 30 days (RUN_RETENTION_SECONDS, issue 28's branch; without it, kept for ever). */
  runDays: 30,
  /** The audit trail: 90 days (RETENTION_DAYS in shared/domain/audit/audit.ts, CloudTrail's event history). */
  auditDays: 90,
};

/**
 * Routine calls a node makes per day that each become an entry of the audit trail's counts: one
 * per call of its own minute (heartbeats and renewals are minutes apart), and per run one for its
 * reports, one for its compliance and one for its inventory (each run's calls fall in one minute).
 */
export function auditEntriesPerDay(perDay: Record<Step, number>): number {
  return perDay.heartbeat + perDay.roleToken + perDay.pollWithRun + perDay.compliance + perDay.inventory;
}

/** The bytes one node keeps in steady state. */
export function storedBytesPerNode(stored: StoredFigures, perDay: Record<Step, number>): number {
  return (
    stored.nodeBytes +
    stored.credentialBytes * perDay.roleToken * (RETENTION.credentialHours / 24) +
    stored.runBytes * perDay.runStart * RETENTION.runDays +
    stored.auditEntryBytes * auditEntriesPerDay(perDay) * RETENTION.auditDays
  );
}

/** How the endpoint is deployed. */
export type Deployment = {
  name: string;
  /** CloudFront in front (with the two CloudFront Functions on each request: router and CORS). */
  cloudFront: boolean;
  api: "rest" | "http" | "function-url";
  memoryMb: number;
  /** The message channel: off (Mds.Endpoint unset), or GetMessages's hold in seconds. */
  channel: "off" | { holdSeconds: number };
  /** How long a run takes to reach a node that waits (the trade). */
  runReaches: string;
};

/** The assumptions that are not measured here, each stated where it is used. */
export const ASSUMPTIONS = {
  /** A DynamoDB round trip from a Lambda function in the same region, ms (typical single-digit; not measured here). */
  dynamoRoundTripMs: 5,
  /** Lambda's own time around the handler per invocation, ms. */
  invokeOverheadMs: 1,
  /** Memory at which a Lambda function has one full vCPU (AWS's Lambda documentation: 1,769 MB). */
  fullCpuMb: 1769,
  /** The agent's HTTPS round trip to the endpoint, s (added to each poll's cycle). */
  clientRoundTripSeconds: 0.05,
  /** Lambda's START, END and REPORT lines per invocation (text format, the template's default), bytes. */
  platformLogBytes: 260,
  /** Response headers per answer, bytes (data transfer out). */
  responseHeaderBytes: 300,
  /** Custom metrics the EMF lines make in a month: 4 per operation a fleet calls (about 12) and totals, events, errors by code. */
  customMetrics: 70,
};

/** The deployments compared: the template's, and what else it could be. */
export const DEPLOYMENTS: Deployment[] = [
  {
    name: "as deployed: CloudFront + REST API, channel on, hold 0 (template.yaml)",
    cloudFront: true,
    api: "rest",
    memoryMb: 512,
    channel: { holdSeconds: 0 },
    runReaches: "≤ 2.5 s (the agent's pause between polls)",
  },
  {
    name: "as deployed, channel off (Mds.Endpoint unset)",
    cloudFront: true,
    api: "rest",
    memoryMb: 512,
    channel: "off",
    runReaches: "at the next association poll: ≤ 10 min, 5 on average",
  },
  {
    name: "CloudFront + HTTP API, channel off",
    cloudFront: true,
    api: "http",
    memoryMb: 512,
    channel: "off",
    runReaches: "≤ 10 min",
  },
  {
    name: "one function URL (no CloudFront, no API Gateway), channel on, hold 0",
    cloudFront: false,
    api: "function-url",
    memoryMb: 512,
    channel: { holdSeconds: 0 },
    runReaches: "≤ 2.5 s",
  },
  {
    name: "one function URL, channel on, hold 19 s",
    cloudFront: false,
    api: "function-url",
    memoryMb: 512,
    channel: { holdSeconds: 19 },
    runReaches: "≤ 1 s (the held poll reads the queue every second)",
  },
  {
    name: "one function URL at 128 MB, channel on, hold 19 s",
    cloudFront: false,
    api: "function-url",
    memoryMb: 128,
    channel: { holdSeconds: 19 },
    runReaches: "≤ 1 s",
  },
  {
    name: "one function URL, channel off",
    cloudFront: false,
    api: "function-url",
    memoryMb: 512,
    channel: "off",
    runReaches: "≤ 10 min",
  },
  {
    name: "one function URL at 128 MB, channel off",
    cloudFront: false,
    api: "function-url",
    memoryMb: 128,
    channel: "off",
    runReaches: "≤ 10 min",
  },
];

/**
 * GetMessages polls per node per day and the seconds each keeps a function busy, at a hold: a
 * poll held a second or more is answered empty after the hold and the agent polls again at once;
 * a shorter one is followed by the agent's own pause.
 */
export function messagePolling(holdSeconds: number, workSeconds: number): { perDay: number; busySeconds: number } {
  const cycle =
    holdSeconds >= 1
      ? holdSeconds + ASSUMPTIONS.clientRoundTripSeconds
      : holdSeconds + workSeconds + ASSUMPTIONS.clientRoundTripSeconds + AGENT.messagePauseSeconds;
  return { perDay: 86_400 / cycle, busySeconds: holdSeconds + workSeconds };
}

/**
 * `npm run fleet`'s figures per node per hour by operation (issue 30; its results file's
 * `perNodeHour.byOperation`), when given: its requests replace the cadence's counts of the steps
 * they name (a poll that told a run stays counted per run; the channel's polls follow the
 * deployment's hold), and its read and write units per request replace the ones measured here.
 */
export type FleetFigures = Record<string, { requests: number; readUnits?: number; writeUnits?: number }>;

const FLEET_STEPS: Partial<Record<Step, string>> = {
  heartbeat: "UpdateInstanceInformation",
  roleToken: "RequestManagedInstanceRoleToken",
  poll: "ListInstanceAssociations",
  report: "UpdateInstanceAssociationStatus",
  compliance: "PutComplianceItems",
  inventory: "PutInventory",
};

/** Steps whose per-request units `npm run fleet` measures (the channel's idle poll included). */
const FLEET_UNITS: Partial<Record<Step, string>> = {
  ...FLEET_STEPS,
  pollWithRun: "ListInstanceAssociations",
  messagePoll: "GetMessages",
};

/** The inputs with `npm run fleet`'s units per request where it measured them. */
export function withFleetUnits(inputs: CostInputs, fleet: FleetFigures | undefined): CostInputs {
  if (!fleet) return inputs;
  const steps = { ...inputs.steps };
  for (const [step, operation] of Object.entries(FLEET_UNITS) as [Step, string][]) {
    const figures = fleet[operation];
    if (!figures || figures.requests <= 0) continue;
    steps[step] = {
      ...steps[step],
      ...(figures.readUnits === undefined ? {} : { readUnits: figures.readUnits / figures.requests }),
      ...(figures.writeUnits === undefined ? {} : { writeUnits: figures.writeUnits / figures.requests }),
    };
  }
  return { ...inputs, steps };
}

/** How many of each step one node makes per day. */
export function stepsPerDay(
  workload: Workload,
  deployment: Deployment,
  messagePollSeconds: number,
  fleet?: FleetFigures,
) {
  const runs = workload.inventoryRunsPerDay + workload.otherRunsPerDay;
  const counts: Record<Step, number> = {
    heartbeat: (24 * 60) / AGENT.heartbeatMinutes,
    roleToken: (24 * 60) / AGENT.credentialRenewalMinutes,
    // A run is told at one of the polls: that poll costs what a poll with a run to tell costs.
    poll: Math.max(0, (24 * 60) / AGENT.associationPollMinutes - runs),
    pollWithRun: runs,
    report: runs * AGENT.reportsPerRun,
    compliance: runs,
    inventory: workload.inventoryRunsPerDay,
    runStart: runs,
    messagePoll:
      deployment.channel === "off" ? 0 : messagePolling(deployment.channel.holdSeconds, messagePollSeconds).perDay,
  };
  for (const [step, operation] of Object.entries(FLEET_STEPS) as [Step, string][]) {
    const perHour = fleet?.[operation]?.requests;
    if (perHour === undefined) continue;
    counts[step] = step === "poll" ? Math.max(0, perHour * 24 - counts.pollWithRun) : perHour * 24;
  }
  return counts;
}

/** The billed seconds of one invocation of a step at a memory size. */
export function billedSeconds(step: StepFigures, memoryMb: number): number {
  const cpu = Math.max(1, ASSUMPTIONS.fullCpuMb / memoryMb);
  const ms = step.ourMs * cpu + step.roundTrips * ASSUMPTIONS.dynamoRoundTripMs + ASSUMPTIONS.invokeOverheadMs;
  return Math.ceil(ms) / 1000;
}

export type CostRow = { component: string; perThousandNodes: number; note: string };

const COMPONENTS = [
  "CloudFront requests",
  "CloudFront Functions",
  "API Gateway",
  "Lambda requests",
  "Lambda compute",
  "DynamoDB requests",
  "CloudWatch Logs",
  "data transfer out",
] as const;
type Component = (typeof COMPONENTS)[number];

/** Dollars per 1,000 nodes per month, by component and by step, for one deployment. */
export function costOf(
  inputs: CostInputs,
  deployment: Deployment,
  workload: Workload,
  prices: Prices = PRICES,
  fleet?: FleetFigures,
) {
  const steps = withFleetUnits(inputs, fleet).steps;
  const messageWork = billedSeconds(steps.messagePoll, deployment.memoryMb);
  const perDay = stepsPerDay(workload, deployment, messageWork, fleet);
  const nodes = 1000;
  const GB = 1e9;
  const totals = Object.fromEntries(COMPONENTS.map((c) => [c, 0])) as Record<Component, number>;
  const byStep: Partial<Record<Step, number>> = {};
  let requests = 0;
  let gbSeconds = 0;
  let readUnits = 0;
  let writeUnits = 0;
  let logBytes = 0;
  let outBytes = 0;
  for (const [name, count] of Object.entries(perDay) as [Step, number][]) {
    const step = steps[name];
    const n = count * MONTH_DAYS * nodes;
    // The scheduler's run start is one invocation for many nodes: no request of a node's own.
    const fromNode = name !== "runStart";
    const front = fromNode ? n : 0;
    const busy =
      name === "messagePoll" && deployment.channel !== "off"
        ? messagePolling(deployment.channel.holdSeconds, messageWork).busySeconds
        : billedSeconds(step, deployment.memoryMb);
    const gbs = n * busy * (deployment.memoryMb / 1024);
    const lines = n * (step.logBytes + (fromNode ? ASSUMPTIONS.platformLogBytes : 0));
    const out = front * (step.responseBytes + ASSUMPTIONS.responseHeaderBytes);
    const api = deployment.api === "rest" ? prices.apiGatewayRest : prices.apiGatewayHttp;
    const cost: Record<Component, number> = {
      "CloudFront requests": deployment.cloudFront ? front * prices.cloudFrontRequest.usd : 0,
      "CloudFront Functions": deployment.cloudFront ? 2 * front * prices.cloudFrontFunction.usd : 0,
      "API Gateway": deployment.api === "function-url" ? 0 : front * api.usd,
      "Lambda requests": front * prices.lambdaRequest.usd,
      "Lambda compute": gbs * prices.lambdaArmGbSecond.usd,
      "DynamoDB requests":
        n * (step.readUnits * prices.dynamoReadUnit.usd + step.writeUnits * prices.dynamoWriteUnit.usd),
      "CloudWatch Logs": (lines / GB) * (prices.logsIngestGb.usd + prices.logsStoredGbMonth.usd),
      "data transfer out": (out / GB) * prices.cloudFrontOutGb.usd,
    };
    for (const c of COMPONENTS) totals[c] += cost[c];
    byStep[name] = Object.values(cost).reduce((a, b) => a + b, 0);
    requests += front;
    gbSeconds += gbs;
    readUnits += n * step.readUnits;
    writeUnits += n * step.writeUnits;
    logBytes += lines;
    outBytes += out;
  }
  const millions = (n: number) => `${(n / 1e6).toFixed(1)} M`;
  const notes: Record<Component, string> = {
    "CloudFront requests": `${millions(requests)} HTTPS requests`,
    "CloudFront Functions": `${millions(2 * requests)} invocations (router and CORS on each request)`,
    "API Gateway": `${millions(requests)} ${deployment.api === "rest" ? "REST" : "HTTP"} API requests`,
    "Lambda requests": `${millions(requests)} invocations`,
    "Lambda compute": `${(gbSeconds / 1e3).toFixed(1)} thousand GB-s at ${deployment.memoryMb} MB arm64`,
    "DynamoDB requests": `${millions(readUnits)} read units, ${millions(writeUnits)} write units`,
    "CloudWatch Logs": `${(logBytes / GB).toFixed(1)} GB ingested (request line + Lambda's START/END/REPORT), kept a month`,
    "data transfer out": `${(outBytes / GB).toFixed(2)} GB of answers`,
  };
  const rows: CostRow[] = COMPONENTS.filter(
    (c) =>
      (c !== "API Gateway" || deployment.api !== "function-url") &&
      (!c.startsWith("CloudFront") || deployment.cloudFront),
  ).map((c) => ({ component: c, perThousandNodes: totals[c], note: notes[c] }));
  // The audit trail's routine counts: written once a minute per function instance, a node's share
  // is its entries' bytes (1 write unit per KB, the index copy included in the entry's bytes).
  const auditUnits = (auditEntriesPerDay(perDay) * MONTH_DAYS * nodes * inputs.stored.auditEntryBytes) / 1024;
  rows.push({
    component: "DynamoDB: audit trail's routine counts",
    perThousandNodes: auditUnits * prices.dynamoWriteUnit.usd,
    note: `${millions(auditUnits)} write units (${auditEntriesPerDay(perDay).toFixed(0)} entries a node a day)`,
  });
  const nodeBytes = storedBytesPerNode(inputs.stored, perDay);
  const stored = (nodeBytes * nodes) / GB;
  rows.push({
    component: "DynamoDB storage and PITR",
    perThousandNodes: stored * (prices.dynamoStorageGbMonth.usd + prices.dynamoPitrGbMonth.usd),
    note: `${stored.toFixed(2)} GB (${(nodeBytes / 1024).toFixed(0)} KB a node: audit ${RETENTION.auditDays} days, runs ${RETENTION.runDays} days)`,
  });
  rows.push({
    component: "fixed: metrics, dashboard, alarm, secret",
    perThousandNodes:
      ASSUMPTIONS.customMetrics * prices.customMetricMonth.usd +
      prices.dashboardMonth.usd +
      prices.alarmMonth.usd +
      prices.secretMonth.usd,
    note: `${ASSUMPTIONS.customMetrics} EMF metrics, 1 dashboard, 1 alarm, 1 secret, whatever the fleet's size`,
  });
  const total = rows.reduce((sum, row) => sum + row.perThousandNodes, 0);
  return {
    deployment,
    rows,
    byStep,
    perDay,
    total,
    perNode: total / nodes,
    requestsPerNodeDay: requests / MONTH_DAYS / nodes,
    /** One node's day, as the issue asks for it: invocations, GB-seconds, DynamoDB units, log bytes. */
    perNodeDay: {
      invocations: requests / MONTH_DAYS / nodes,
      gbSeconds: gbSeconds / MONTH_DAYS / nodes,
      readUnits: readUnits / MONTH_DAYS / nodes,
      writeUnits: (writeUnits + auditUnits) / MONTH_DAYS / nodes,
      logBytes: logBytes / MONTH_DAYS / nodes,
      storedBytes: nodeBytes,
    },
  };
}

/** AWS's own price for 1,000 advanced-tier nodes for a month. */
export const advancedTierPerThousand = (prices: Prices = PRICES) => prices.advancedNodeHour.usd * MONTH_HOURS * 1000;

/** The goal: everything included, per node per month. */
export const COST_GOAL_PER_NODE = 0.05;
