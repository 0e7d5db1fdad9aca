/**
 * BENCHMARKS.md's "Cost per node on AWS" (issue 30): the model (cost.ts) over the figures
 * measured per call (cost-measure.ts), kept in bench/results.json as `cost`.
 */
import {
  AGENT,
  ASSUMPTIONS,
  advancedTierPerThousand,
  COST_GOAL_PER_NODE,
  type CostInputs,
  costOf,
  DEPLOYMENTS,
  type FleetFigures,
  PRICES,
  type Price,
  REFERENCE_WORKLOAD,
  RETENTION,
  type Step,
} from "./cost.ts";

export type CostResult = {
  inputs: CostInputs;
  /** The items that named the measured node, by type: count and bytes. */
  storedByType: Record<string, { items: number; bytes: number }>;
  /** `npm run fleet`'s figures per node per hour by operation, when its results file was there. */
  fleet?: FleetFigures;
  measured: { date: string; node: string; loadAverage: { before: number[]; after: number[] } };
};

/** A per-request price as dollars per million (to the cent, or the tenth of a cent where it has one), others as they are. */
function priceText(p: Price): string {
  if (p.usd >= 1e-5 || p.per.includes("GB")) return `$${p.usd}`;
  const perMillion = Math.round(p.usd * 1e9) / 1e3;
  return `$${perMillion.toFixed(Math.round(perMillion * 1000) % 10 === 0 ? 2 : 3)} per million`;
}

const usd = (n: number) => (n >= 100 ? `$${n.toFixed(0)}` : n >= 1 ? `$${n.toFixed(2)}` : `$${n.toFixed(3)}`);

const STEP_NAMES: Record<Step, string> = {
  heartbeat: `UpdateInstanceInformation (heartbeat, every ${AGENT.heartbeatMinutes} min)`,
  roleToken: `RequestManagedInstanceRoleToken (credentials renewed every ${AGENT.credentialRenewalMinutes} min)`,
  poll: `ListInstanceAssociations, nothing to run (every ${AGENT.associationPollMinutes} min)`,
  pollWithRun: "ListInstanceAssociations that tells a run",
  report: `UpdateInstanceAssociationStatus (${AGENT.reportsPerRun} a run)`,
  compliance: "PutComplianceItems (1 a run)",
  inventory: "PutInventory (1 an inventory run, unchanged types as their hash)",
  runStart: "a run's start (the scheduler's share per node)",
  messagePoll: "GetMessages (the message channel)",
};

/** The best deployment: the cheapest; and whether any meets the goal. */
export function costVerdict(result: CostResult) {
  const all = DEPLOYMENTS.map((d) => costOf(result.inputs, d, REFERENCE_WORKLOAD, PRICES, result.fleet));
  const deployed = all[0];
  const cheapest = [...all].sort((a, b) => a.total - b.total)[0];
  if (!deployed || !cheapest) throw new Error("no deployments");
  return { all, deployed, cheapest };
}

/** What the figures say, worked out from the model: the channel, the inventory upload, the floor. */
function summary(result: CostResult, all: ReturnType<typeof costVerdict>["all"], aws: number): string[] {
  const [deployed, channelOff] = all;
  const cheapest = [...all].sort((a, b) => a.total - b.total)[0];
  if (!deployed || !channelOff || !cheapest) return [];
  const steps = result.inputs.steps;
  const loopOnly = costOf(result.inputs, cheapest.deployment, { inventoryRunsPerDay: 0, otherRunsPerDay: 1 });
  const fixed = loopOnly.rows.find((r) => r.component.startsWith("fixed"))?.perThousandNodes ?? 0;
  const channel = deployed.byStep.messagePoll ?? 0;
  const inventory = cheapest.byStep.inventory ?? 0;
  const perNode = (c: typeof cheapest) => (c.total - fixed) / 1000;
  // The fixed part is the same whatever the fleet: per node it shrinks as the fleet grows.
  const goalFrom = (c: typeof cheapest) =>
    perNode(c) < COST_GOAL_PER_NODE ? Math.ceil(fixed / (COST_GOAL_PER_NODE - perNode(c))) : undefined;
  const loopFrom = goalFrom(loopOnly);
  const biggest = (Object.entries(cheapest.byStep) as [Step, number][])
    .sort((a, b) => b[1] - a[1])
    .slice(0, 4)
    .map(([step, cost]) => `${STEP_NAMES[step]} ${usd(cost)}`)
    .join(", ");
  const other = (c: string) => cheapest.rows.find((r) => r.component.startsWith(c))?.perThousandNodes ?? 0;
  return [
    `- **No deployment meets the goal** of $${COST_GOAL_PER_NODE.toFixed(2)} a node a month at the reference node's workload. As deployed (the message channel on, hold 0) a node costs ${usd(deployed.perNode)} a month, ${((deployed.total / aws) * 100).toFixed(0)}% of AWS's advanced tier; the cheapest faithful deployment measured here (${cheapest.deployment.name}) ${usd(cheapest.perNode)}.`,
    `- **The message channel dominates**: the agent polls GetMessages every ~2.3 s (${deployed.perDay.messagePoll.toFixed(0)} requests a node a day, against ${(deployed.requestsPerNodeDay - deployed.perDay.messagePoll).toFixed(0)} for everything else), ${usd(channel / 1000)} a node a month as deployed, mostly per-request charges (API Gateway's REST API alone ${usd((deployed.rows.find((r) => r.component === "API Gateway")?.perThousandNodes ?? 0) / 1000)}). Holding the poll trades requests for busy functions and costs more (a held poll bills its whole hold, and keeps one function busy per node: 1,000 nodes take Lambda's default regional concurrency of 1,000). Only leaving the channel off (Mds.Endpoint unset) brings a node under a dollar; a run then reaches it at its next association poll (≤ 10 minutes) instead of within seconds.`,
    `- **An unchanged inventory upload writes only what changed**: PutInventory with unchanged types (hash only) measured ${steps.inventory.writeUnits.toFixed(0)} write units (504 while a type's head kept up to 300 KB of entries inline: DynamoDB bills an update by the whole item, old or new whichever is larger, and its index copy again). A head now keeps its entries only under 512 bytes, larger ones are in parts that only a change rewrites (shared/store/inventory-store.ts, INLINE_BYTES): the upload updates each type's small head (hash, capture time) in one transaction, 2 units a head and 2 for its GSI1 copy as DynamoDB Local counts them. ${usd(inventory)} per 1,000 nodes a month of the cheapest deployment's ${usd(cheapest.total)}; a read of a type over 512 bytes costs one more round trip (ListInventoryEntries: its parts' query; GetInventory: one batch for a page's parts).`,
    `- **The floor**: the agent's own loop alone (heartbeats, credential renewals, association polls, one run a day, no inventory) on the cheapest deployment costs ${usd(loopOnly.perNode)} a node a month at 1,000 nodes, of which ${usd(fixed / 1000)} is fixed (metrics, dashboard, alarm, secret: ${usd(fixed)} a month whatever the fleet) and ${usd((loopOnly.total - fixed) / 1000)} per node. A heartbeat writes ${steps.heartbeat.writeUnits.toFixed(0)} units: the node item and its GSI1 copy (the listing DescribeInstanceInformation pages, projecting the whole item), 1 each while the item is under 1 KB (a node's tags can take it over: 2 each); only a ping time on an item outside any index would save the copy, at a second read per DescribeInstanceInformation page. A credential renewal writes ${steps.roleToken.writeUnits.toFixed(0)}: the session key (under 1 KB) and its GSI1 copy (the account's key listing), one conditional put (it was 12 in a transaction that billed the key twice and the account's existence check as a write; a node's account is known since it registered); below that only by not listing node session keys (1) or not storing them (a self-contained sealed token: 0, but then no key of a node could be revoked by itself).`,
    `- **Who reaches the goal**: ${loopFrom ? `the agent's own loop (no inventory, one run a day) on the cheapest deployment, from ${loopFrom.toLocaleString("en-US")} nodes on (${usd(perNode(loopOnly))} a node plus the fixed ${usd(fixed)} a month shared out)` : "no workload measured here"}. The reference node (an inventory run every 30 minutes) does not at any fleet size: ${usd(perNode(cheapest))} a node before the fixed part, more than the goal by itself. What stands between (per 1,000 nodes a month, cheapest deployment): ${biggest}; logs ${usd(other("CloudWatch Logs"))} (a request's JSON line with its EMF metrics and Lambda's START/END/REPORT lines, ~1 KB a request), storage ${usd(other("DynamoDB storage"))}. An inventory run costs a poll that tells it, 4 reports, a compliance item, an upload and the run's start: at 48 a day they are most of the node's writes.`,
    `- **A run's four reports**: UpdateInstanceAssociationStatus measured ${steps.report.writeUnits.toFixed(1)} write units a call (12.5 before issue 30's second pass). The two reports of a run that move no count (Pending on a target its poll already made Pending; the second InProgress, with the plugins' summary) write the node's status and the run's target by one conditional put each, not a transaction (3 units: 1 each, and the status's GSI1 copy); the two that move a count (InProgress, the final status) keep their transaction (status, target, the target's counter shard: exact counts, test/executions/report-ordering.test.ts), without the association's existence check, which the target's own condition makes redundant. DynamoDB Local counts a transaction's units by table and index touched, not by item (a 1-item and a 3-item transaction of small items both report 4, an index touched 4 more): its 12 stands for about 9 on DynamoDB (2 a transactional write under 1 KB, times 3 items, and the index copy), so the figures here are an upper bound for transactions. Keeping the node's status out of the transaction too would take a move to 6, at the price of a status that can lag its run's target until the request's retry (not done: the two are shown side by side by DescribeInstanceAssociationsStatus and DescribeAssociationExecutionTargets).`,
    `- **Could the channel be on and still meet the goal? Not on API Gateway with the unmodified agent.** Since 3.3.40.0 the agent stops polling ec2messages once its MGS control channel is up (RELEASENOTES.md 3.3.40.0, "switch off ec2messages when ssmmessages connected successfully"; agent/ssmconnectionchannel/ssmconnectionchannel.go SetConnectionChannel: MGSSuccess sends false to the MDS switch, agent/messageservice/interactor/mdsinteractor/mdsinteractor.go mdsSwitcher stops the GetMessages loop) and takes Run Command documents as AgentJob messages on the control channel (agent/messageservice/interactor/mgsinteractor/mgsinteractor.go processAgentJobMessage, DocumentWorker not in container mode). The channel opens when CreateControlChannel (POST /v1/control-channel/<instance id> on ssmmessages, or on Mgs.Endpoint from the agent's configuration: agent/session/config/config.go GetMgsEndpoint) answers a token and the WebSocket opens (agent/session/controlchannel/controlchannel.go getControlChannelToken, Open). MDS keeps polling while MGS fails (the initial state), comes back on AccessDenied from CreateControlChannel, and is never switched off on Windows Server 2012 and earlier, nor used in container mode; Nano Server has no MGS. Priced on API Gateway WebSocket APIs ($0.25 per million connection minutes, $1.00 per million messages, us-east-1: https://aws.amazon.com/api-gateway/pricing/ as quoted by https://www.repost.aws/pt/questions/QU7IqgooGeQmqudOsmzTw5YQ/how-to-interpret-websocket-api-connection-minutes-pricing, read 2026-12-08), one node connected all month is 43,800 connection minutes, $0.011, and a run's job, acknowledgement and replies a few messages ($0.006 a month at 49 runs a day): the channel would fit in the goal. But the agent sends its replies and acknowledgements as binary WebSocket frames (mgsinteractor.go buildAgentJobAckMessageAndSend and sendreply.go: websocket.BinaryMessage), and API Gateway WebSocket APIs close a connection that sends a binary frame (code 1003: https://docs.aws.amazon.com/apigateway/latest/developerguide/websocket-api-develop-binary-media-types.html); they also end every connection after 2 hours and after 10 idle minutes (the agent pings every 54 s: agent/session/config/config.go WebSocketPingInterval; whether pings count as messages is not published). An MGS endpoint would need a WebSocket server of its own (a container behind a load balancer: a fixed monthly cost shared by the fleet), not Lambda.`,
  ];
}

export function costLines(result: CostResult): string[] {
  const { all, deployed, cheapest } = costVerdict(result);
  const aws = advancedTierPerThousand();
  const steps = result.inputs.steps;
  const lines: string[] = [
    "",
    "## Cost per node on AWS (issue 30)",
    "",
    `Measured ${result.measured.date} on Node.js ${result.measured.node} (load average ${result.measured.loadAverage.before.map((x) => x.toFixed(1)).join(" / ")} before), with \`BENCH_ONLY=cost npm run bench\`: each call a node makes, made once as the agent makes it through the real handlers in process on DynamoDB Local (bench/lib/cost-measure.ts), for its DynamoDB capacity (DynamoDB Local's ReturnConsumedCapacity TOTAL, read or write by the call's kind), the handler's own time, the request log's line (LOG_LEVEL info with the EMF metrics, as deployed) and the answer's bytes; then the items the node keeps, sized as DynamoDB sizes them. The model (bench/lib/cost.ts, tested by test/bench/cost.test.ts) multiplies them by the real agent's default cadence and prices them at the public us-east-1 prices, first tier, free tiers left out, for 1,000 nodes over a 730-hour month.${result.fleet ? " Requests per node per hour and read and write units per request are `npm run fleet`'s (bench/fleet-results.json) where it measured them." : ""}`,
    "",
    "**The reference node**: the agent's defaults (aws/amazon-ssm-agent 3.3.0.0, cited in bench/lib/cost.ts): a heartbeat every 5 minutes, an association poll every 10, credentials renewed at half their hour; an inventory association every 30 minutes (AWS-GatherSoftwareInventory, 400 applications, unchanged ones sent as their hash) and one other run a day, each reported as the agent reports it (4 statuses, then compliance).",
    "",
    "### In short",
    "",
    ...summary(result, all, aws),
    "",
    "### Every deployment, per 1,000 nodes per month",
    "",
    `Goal: ≤ $${COST_GOAL_PER_NODE.toFixed(2)} a node a month, everything included ($${(COST_GOAL_PER_NODE * 1000).toFixed(0)} per 1,000). AWS's advanced tier: $${PRICES.advancedNodeHour.usd} a node-hour, ${usd(aws)} per 1,000 nodes a month (hybrid nodes are free in the standard tier up to 1,000 per account and Region).`,
    "",
    "| deployment | requests a node a day | per 1,000 nodes a month | per node | against AWS's advanced tier | a run reaches a waiting node | goal |",
    "|---|---|---|---|---|---|---|",
    ...all.map(
      (c) =>
        `| ${c.deployment.name} | ${c.requestsPerNodeDay.toFixed(0)} | ${usd(c.total)} | ${usd(c.perNode)} | ${((c.total / aws) * 100).toFixed(1)}% | ${c.deployment.runReaches} | ${c.perNode <= COST_GOAL_PER_NODE ? "met" : "**not met**"} |`,
    ),
    "",
  ];
  for (const c of deployed === cheapest ? [deployed] : [deployed, cheapest]) {
    lines.push(
      `### By component: ${c.deployment.name}`,
      "",
      `One node's day: ${c.perNodeDay.invocations.toFixed(0)} requests and Lambda invocations, ${c.perNodeDay.gbSeconds.toFixed(2)} GB-s, ${c.perNodeDay.readUnits.toFixed(0)} read and ${c.perNodeDay.writeUnits.toFixed(0)} write units, ${(c.perNodeDay.logBytes / 1024).toFixed(0)} KB of logs; ${(c.perNodeDay.storedBytes / 1024).toFixed(0)} KB kept in the table.`,
      "",
      "| component | per 1,000 nodes a month | what |",
      "|---|---|---|",
      ...c.rows.map((row) => `| ${row.component} | ${usd(row.perThousandNodes)} | ${row.note} |`),
      `| **total** | **${usd(c.total)}** (${usd(c.perNode)} a node) | goal ${usd(COST_GOAL_PER_NODE * 1000)}: ${c.perNode <= COST_GOAL_PER_NODE ? "met" : "**not met**"} |`,
      "",
      "| call | a node a day | per 1,000 nodes a month (requests, compute, DynamoDB, logs, transfer) |",
      "|---|---|---|",
      ...(Object.entries(c.byStep) as [Step, number][])
        .filter(([step]) => c.perDay[step] > 0)
        .map(([step, cost]) => `| ${STEP_NAMES[step]} | ${c.perDay[step].toFixed(1)} | ${usd(cost)} |`),
      "",
    );
  }
  lines.push(
    "### What one call was measured to cost",
    "",
    "Own ms: the handler's time beyond its DynamoDB calls on this machine (the billed duration is modelled from it: below). Units: DynamoDB Local's consumed capacity, per call.",
    "",
    "| call | own ms | round trips | read units | write units | log line bytes | answer bytes |",
    "|---|---|---|---|---|---|---|",
    ...(Object.entries(steps) as [Step, CostInputs["steps"][Step]][]).map(
      ([step, f]) =>
        `| ${STEP_NAMES[step]} | ${f.ourMs.toFixed(2)} | ${f.roundTrips.toFixed(1)} | ${f.readUnits.toFixed(1)} | ${f.writeUnits.toFixed(1)} | ${f.logBytes.toFixed(0)} | ${f.responseBytes.toFixed(0)} |`,
    ),
    "",
    `Items that named the measured node (after its registration, ${Object.values(result.storedByType).reduce((a, t) => a + t.items, 0)} items, two runs, 8 credentials issued): ${Object.entries(
      result.storedByType,
    )
      .map(([type, t]) => `${type} ${t.items} (${(t.bytes / 1024).toFixed(1)} KB)`)
      .join(
        ", ",
      )}. In steady state a node keeps its own items (${(result.inputs.stored.nodeBytes / 1024).toFixed(0)} KB), its credentials for ${RETENTION.credentialHours} hours (${(result.inputs.stored.credentialBytes / 1024).toFixed(1)} KB each), its runs' items for ${RETENTION.runDays} days (${(result.inputs.stored.runBytes / 1024).toFixed(1)} KB a run) and the audit trail's count entries of its routine calls for ${RETENTION.auditDays} days (${result.inputs.stored.auditEntryBytes.toFixed(0)} bytes each, its index copy included).`,
    "",
    "### Assumptions",
    "",
    `- Billed duration per invocation: own ms × ${ASSUMPTIONS.fullCpuMb} / memory MB (Lambda gives one full vCPU at ${ASSUMPTIONS.fullCpuMb} MB, proportionally less below), plus ${ASSUMPTIONS.dynamoRoundTripMs} ms per DynamoDB round trip (in-region, not measured here) and ${ASSUMPTIONS.invokeOverheadMs} ms, rounded up to the ms. A held GetMessages is billed for its whole hold. Cold starts (their init is billed too) are left out: a steady fleet keeps functions warm.`,
    `- The agent's GetMessages loop: after an answer under a second it sleeps ${AGENT.messagePauseSeconds} s on average (2 to 2.5 s), after a longer one it polls again at once; ${ASSUMPTIONS.clientRoundTripSeconds * 1000} ms round trip. Hold 0 is the template's default (MessagePollHoldSeconds); the hold is at most 19 s (the agent's HTTP client gives up at 20).`,
    `- Logs: the request's JSON line as measured, plus Lambda's START, END and REPORT lines (about ${ASSUMPTIONS.platformLogBytes} bytes in the text format the template leaves as default), kept 30 days (LogRetentionInDays). Metrics: ${ASSUMPTIONS.customMetrics} custom metrics from the EMF lines (4 per operation the fleet calls, totals, events, errors by code), a fixed cost, with the dashboard, the alarm and the secret.`,
    `- Data transfer: answers plus ${ASSUMPTIONS.responseHeaderBytes} bytes of headers, at CloudFront's first-tier rate; requests in are free.`,
    "- \"One function URL\" is not what the template deploys: the agent sends every call to one endpoint with the operation in X-Amz-Target, which CloudFront's router function turns into API Gateway's paths; without CloudFront, one function (all operations, or the channel's five) must route on the header behind a Lambda function URL, which has no charge of its own. Response streaming changes nothing here: a streamed answer is billed for its duration as a buffered one.",
    "- Per request, nothing else: the credentials key is read from Secrets Manager once per cold start (shared/auth/credentials-key.ts; $0.05 per 10,000 calls), and the table's encryption at rest (SSEEnabled, AWS managed key) adds no per-request KMS charge of ours.",
    "- Volume tiers would lower API Gateway (REST: $2.80 per million past 333 million) and Lambda compute at this size; they are left out, so each figure is an upper bound.",
    "",
    "### Prices (us-east-1)",
    "",
    "| price | per | source |",
    "|---|---|---|",
    ...Object.values(PRICES).map((p) => `| ${priceText(p)} | ${p.per} | ${p.source} |`),
  );
  return lines;
}
