/**
 * A rollout to a fleet (issue 26): one association targeting N replayed nodes by tag, with
 * MaxConcurrency 10% and MaxErrors 1%, and 2% of the nodes failing. Each node is a replayed SSM
 * Agent with its own node credentials, over HTTP to `npm start`: it polls
 * ListInstanceAssociations (every `pollSeconds`, time-compressed from the agent's 5 to 10 minutes,
 * each node at its own offset), and once told to run (DetailedStatus Pending) it reports as the
 * agent does (managed-node.ts: Pending, InProgress, then after `runSeconds` InProgress with the
 * plugin summary and the final status).
 *
 * It measures what issue 26 asks: that the rollout finishes (the run reaches its final status),
 * its wall time against the ideal wave time (the waves the nodes that ran needed at
 * MaxConcurrency, each `runSeconds` long), every report's latency and answer (0 refused), the
 * counts the run shows against what the nodes did, and that no node was told to run after the
 * error that stopped the run (MaxErrors + 1) was answered.
 */
import { generateKeyPair } from "node:crypto";
import { promisify } from "node:util";
import { FakeAgent } from "../../test/support/agent.ts";
import { postTo } from "../../test/support/endpoint.ts";
import type { Identity } from "../../test/support/identity.ts";
import { call } from "../../test/support/invoke.ts";
import { AGENT_FAILED_SUMMARY, AGENT_SUMMARY, inBatches, ManagedNode } from "../../test/support/managed-node.ts";
import { type Environment, newAccount, REGION } from "./environment.ts";

export type RolloutSettings = { nodes: number; pollSeconds: number; runSeconds: number; timeoutSeconds: number };

export type Latencies = { count: number; p50: number; p99: number; max: number; errors: Record<string, number> };

export type RolloutResult = RolloutSettings & {
  maxConcurrency: number;
  maxErrors: number;
  failing: number;
  finished: boolean;
  status: string;
  ran: number;
  succeeded: number;
  failed: number;
  skipped: number;
  resourceCountByStatus: string;
  /** The counts the run shows equal what the nodes did (Success, Failed, Skipped). */
  countsExact: boolean;
  /** Nodes told to run by a poll that started after the stopping error was answered. */
  releasedAfterStop: number;
  waves: number;
  wallSeconds: number;
  idealSeconds: number;
  reports: Latencies;
  polls: Latencies;
  registrationSeconds: number;
  /** When and how it was measured (a full run's rollout, or BENCH_ONLY=rollout apart). */
  measured?: { date: string; node: string; loadAverage: { before: number[]; after: number[] } };
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const generate = promisify(generateKeyPair);

export function latencies(samples: number[], errors: Record<string, number>): Latencies {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
  return { count: sorted.length, p50: at(0.5), p99: at(0.99), max: sorted.at(-1) ?? Number.NaN, errors };
}

/** A run's ResourceCountByStatus ("{Success=2,Failed=1}") as numbers by status. */
export function countsOf(resourceCountByStatus: string): Record<string, number> {
  return Object.fromEntries(
    resourceCountByStatus
      .replace(/[{}]/g, "")
      .split(",")
      .filter(Boolean)
      .map((pair) => pair.split("=") as [string, string])
      .map(([key, value]) => [key, Number(value)]),
  );
}

/** N nodes registered as the agent registers (one activation, a key pair each), tagged `tag` (rollout=bench). */
export async function registerFleet(
  identity: Identity,
  nodes: number,
  tag = { Key: "rollout", Value: "bench" },
): Promise<ManagedNode[]> {
  const activation = await call<{ ActivationId: string; ActivationCode: string }>(
    "CreateActivation",
    { IamRole: "SSMServiceRole", RegistrationLimit: nodes },
    { identity },
  );
  return inBatches(
    Array.from({ length: nodes }, (_, i) => i),
    16,
    async () => {
      // 1,024-bit keys: registration is not what is measured, and a 2,048-bit key pair costs ~50 ms.
      const agent = new FakeAgent(REGION, await generate("rsa", { modulusLength: 1024 }));
      return ManagedNode.enroll(activation, [tag], { agent, account: identity });
    },
  );
}

export async function rollout(env: Environment, settings: RolloutSettings): Promise<RolloutResult> {
  const account = await newAccount(env, "bench-rollout");
  const registrationStarted = Date.now();
  const fleet = await registerFleet(account, settings.nodes);
  const registrationSeconds = (Date.now() - registrationStarted) / 1000;
  const endpoint = { url: env.server.url, host: new URL(env.server.url).host };
  const failing = new Set(fleet.filter((_, i) => i % 50 === 25).map((node) => node.id));

  const reportTimes: number[] = [];
  const reportErrors: Record<string, number> = {};
  const pollTimes: number[] = [];
  const pollErrors: Record<string, number> = {};
  const released: { id: string; pollStarted: number }[] = [];
  const errorAnswered: number[] = [];
  let succeeded = 0;
  let failed = 0;
  let stop = false;

  const send = async (
    node: { identity: Identity },
    operation: string,
    body: unknown,
    into: number[],
    errors: Record<string, number>,
  ) => {
    const started = performance.now();
    try {
      const answer = await postTo(endpoint, operation, JSON.stringify(body), { identity: node.identity });
      into.push(performance.now() - started);
      if (answer.status !== 200) {
        const code = String(answer.body.__type ?? answer.status);
        errors[code] = (errors[code] ?? 0) + 1;
      }
      return answer;
    } catch (error) {
      errors[(error as Error).name] = (errors[(error as Error).name] ?? 0) + 1;
      return undefined;
    }
  };

  const created = await call(
    "CreateAssociation",
    {
      Name: "AWS-RunShellScript",
      Parameters: { commands: ["true"] },
      Targets: [{ Key: "tag:rollout", Values: ["bench"] }],
      MaxConcurrency: "10%",
      MaxErrors: "1%",
    },
    { identity: account },
  );
  const associationId = created.AssociationDescription.AssociationId as string;
  const started = Date.now();

  const agent = async (node: ManagedNode) => {
    // Each node polls at its own offset, as a fleet's agents do.
    await sleep(Math.random() * settings.pollSeconds * 1000);
    while (!stop) {
      const pollStarted = Date.now();
      const answer = await send(node, "ListInstanceAssociations", { InstanceId: node.id }, pollTimes, pollErrors);
      const associations = (answer?.body.Associations ?? []) as { AssociationId: string; DetailedStatus?: string }[];
      if (associations.some((a) => a.AssociationId === associationId && a.DetailedStatus === "Pending")) {
        released.push({ id: node.id, pollStarted });
        const outcome = failing.has(node.id) ? "Failed" : "Success";
        const summary = outcome === "Success" ? AGENT_SUMMARY : AGENT_FAILED_SUMMARY;
        const report = (status: string, message: string) =>
          send(
            node,
            "UpdateInstanceAssociationStatus",
            {
              AssociationId: associationId,
              ExecutionResult: {
                ErrorCode: status === "Failed" ? "ExecutionError" : "",
                ExecutionDate: Date.now() / 1000,
                ExecutionSummary: message,
                Status: status,
              },
              InstanceId: node.id,
            },
            reportTimes,
            reportErrors,
          );
        await report("Pending", "Association is pending");
        await report("InProgress", "Executing association");
        await sleep(settings.runSeconds * 1000);
        await report("InProgress", summary);
        const final = await report(outcome, summary);
        if (final?.status === 200) {
          if (outcome === "Failed") {
            failed++;
            errorAnswered.push(Date.now());
          } else succeeded++;
        }
        return;
      }
      await sleep(settings.pollSeconds * 1000 * (0.9 + Math.random() * 0.2));
    }
  };

  let status = "Pending";
  let resourceCountByStatus = "";
  const monitor = (async () => {
    while (!stop) {
      await sleep(500);
      const { AssociationExecutions } = await call(
        "DescribeAssociationExecutions",
        { AssociationId: associationId },
        { identity: account },
      );
      status = AssociationExecutions[0]?.Status ?? status;
      resourceCountByStatus = AssociationExecutions[0]?.ResourceCountByStatus ?? resourceCountByStatus;
      if (status !== "Pending" && status !== "InProgress") stop = true;
      if (Date.now() - started > settings.timeoutSeconds * 1000) stop = true;
    }
  })();
  await Promise.all([...fleet.map(agent), monitor]);
  const wallSeconds = (Date.now() - started) / 1000;

  const maxConcurrency = Math.max(1, Math.floor(settings.nodes / 10));
  const maxErrors = Math.floor(settings.nodes / 100);
  const stopAt = [...errorAnswered].sort((a, b) => a - b)[maxErrors];
  const ran = released.length;
  const waves = Math.ceil(ran / maxConcurrency);
  const counts = countsOf(resourceCountByStatus);
  const skipped = settings.nodes - ran;
  return {
    ...settings,
    maxConcurrency,
    maxErrors,
    failing: failing.size,
    finished: status !== "Pending" && status !== "InProgress",
    status,
    ran,
    succeeded,
    failed,
    skipped,
    resourceCountByStatus,
    countsExact:
      (counts.Success ?? 0) === succeeded && (counts.Failed ?? 0) === failed && (counts.Skipped ?? 0) === skipped,
    releasedAfterStop: stopAt === undefined ? 0 : released.filter((r) => r.pollStarted > stopAt).length,
    waves,
    wallSeconds,
    idealSeconds: waves * settings.runSeconds,
    reports: latencies(reportTimes, reportErrors),
    polls: latencies(pollTimes, pollErrors),
    registrationSeconds,
  };
}
