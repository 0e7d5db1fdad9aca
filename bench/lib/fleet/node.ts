/**
 * One managed node of a simulated fleet: an SSM Agent replayed call for call over HTTP with its
 * own RSA key and node credentials (test/support: agent.ts, agent-http.ts, managed-node.ts,
 * run-command-agent.ts, agent-inventory.ts), at the agent's intervals (intervals.ts):
 *
 * - enrolment: RegisterManagedInstance (unsigned, its public key), RequestManagedInstanceRoleToken
 *   (RSA-signed), the first heartbeat;
 * - then, each at its own offset: heartbeats, association polls (GetDocument for a changed
 *   Checksum; a `Pending` association run and reported as the agent reports it), credentials
 *   renewed, inventory uploaded (the full items first, then their hashes), and the message
 *   channel polled without pause (a command received, replied to, acknowledged and run).
 */
import type { KeyObject } from "node:crypto";
import { FakeAgent } from "../../../test/support/agent.ts";
import { agentCall, registerOverHttp, roleTokenOverHttp, type WireAnswer } from "../../../test/support/agent-http.ts";
import { agentInventoryBody } from "../../../test/support/agent-inventory.ts";
import type { Identity } from "../../../test/support/identity.ts";
import { agentReport, agentRunReports } from "../../../test/support/managed-node.ts";
import { pollLoop, ReplayedAgent, shellOutcome, type Taken } from "../../../test/support/run-command-agent.ts";
import { withThrottleRetries } from "../../../test/support/sdk-go-retryer.ts";
import type { CallLog } from "./calls.ts";
import type { AgentIntervals } from "./intervals.ts";

export type Endpoint = { url: string; host: string };

/** What the fleet's nodes share: where, how often, and what they record into. */
export type FleetContext = {
  endpoint: Endpoint;
  intervals: AgentIntervals;
  calls: CallLog;
  /** The server's hold of an empty GetMessages, in ms (a held poll's latency past it is what is recorded). */
  holdMs: number;
  /** How long a run takes on a node (the document's own work), in ms. */
  runMs: number;
  /** False once the fleet stops: every loop ends at its next turn. */
  running: () => boolean;
  /** Told of every run a node finished (association or command), with its outcome and when. */
  ran?: (run: FinishedRun) => void;
  /** Told of every run a node starts (a command's message id, or an association's id at the poll), and when. */
  received?: (node: string, id: string, at: number) => void;
};

export type FinishedRun = { node: string; kind: "association" | "command"; id: string; outcome: string; at: number };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The agent's heartbeat body (agent/health/healthcheck.go), the Go SDK's members A-Z. */
const heartbeat = (instanceId: string) => ({
  AgentName: "amazon-ssm-agent",
  AgentStatus: "Active",
  AgentVersion: "3.3.1142.0",
  ComputerName: `${instanceId}.fleet.example`,
  IPAddress: "10.0.0.12",
  InstanceId: instanceId,
  PlatformName: "Ubuntu",
  PlatformType: "Linux",
  PlatformVersion: "22.04",
});

export class FleetNode {
  readonly agent: FakeAgent;
  identity: Identity | undefined;
  /** The association checksums the agent has cached (agent/association/cache/cache.go). */
  readonly #checksums = new Map<string, string>();
  #inventorySent = false;
  #channel: ReplayedAgent | undefined;

  /** `fails`: this node's runs fail (the document exits 1), pushed or polled. */
  constructor(
    private readonly fleet: FleetContext,
    keyPair: { publicKey: KeyObject; privateKey: KeyObject },
    readonly fails = false,
  ) {
    this.agent = new FakeAgent("us-east-1", keyPair);
  }

  get id(): string {
    return this.agent.instanceId ?? "";
  }

  /** Registration, credentials and first heartbeat; false when any of them was refused. */
  async enroll(activation: { ActivationId: string; ActivationCode: string }): Promise<boolean> {
    const registered = await this.timed("RegisterManagedInstance", () =>
      registerOverHttp(this.fleet.endpoint, this.agent, activation),
    );
    if (registered?.status !== 200) return false;
    if (!(await this.renewCredentials())) return false;
    this.#channel = new ReplayedAgent(
      this.fleet.endpoint,
      this.id,
      this.identity as Identity,
      (operation, answer, ms) => this.observeChannel(operation, answer, ms),
      (operation) => this.fleet.calls.throttled(operation),
    );
    return (await this.ssm("UpdateInstanceInformation", heartbeat(this.id)))?.status === 200;
  }

  /** Every loop of a running agent, each at its own offset, until the fleet stops. */
  live(
    options: { associations?: boolean; inventory?: boolean; messages?: boolean; spreadMs?: number } = {},
  ): Promise<unknown> {
    const { intervals } = this.fleet;
    const loops: Promise<void>[] = [
      this.every(intervals.heartbeatMs, () => this.ssm("UpdateInstanceInformation", heartbeat(this.id))),
      this.every(intervals.roleTokenMs, () => this.renewCredentials()),
    ];
    if (options.associations !== false)
      loops.push(this.every(intervals.associationPollMs, () => this.pollAssociations()));
    if (options.inventory !== false) loops.push(this.every(intervals.inventoryMs, () => this.putInventory()));
    if (options.messages !== false) loops.push(this.pollMessages(options.spreadMs ?? 0));
    return Promise.all(loops);
  }

  /** `work` every `ms` (±10%), first at a random point of the first interval, as a fleet's agents spread out. */
  private async every(ms: number, work: () => Promise<unknown>): Promise<void> {
    await sleep(Math.random() * ms);
    while (this.fleet.running()) {
      await work();
      await sleep(ms * (0.9 + Math.random() * 0.2));
    }
  }

  private async renewCredentials(): Promise<boolean> {
    const renewed = await this.timed("RequestManagedInstanceRoleToken", async () => {
      const { answer, identity } = await roleTokenOverHttp(this.fleet.endpoint, this.agent);
      if (identity) {
        this.identity = identity;
        // The channel's calls sign with the node's newest credentials, as the agent's do.
        if (this.#channel) Object.assign(this.#channel.identity, identity);
      }
      return answer;
    });
    return renewed?.status === 200;
  }

  /** ProcessAssociation (agent/association/processor/processor.go): list, load changed documents, run what is due. */
  async pollAssociations(): Promise<void> {
    const answer = await this.ssm("ListInstanceAssociations", { InstanceId: this.id, MaxResults: 20 });
    if (answer?.status !== 200) return;
    const { Associations = [] } = JSON.parse(answer.body) as {
      Associations?: {
        AssociationId: string;
        Name: string;
        DocumentVersion?: string;
        Checksum?: string;
        DetailedStatus?: string;
      }[];
    };
    for (const association of Associations) {
      if (this.#checksums.get(association.AssociationId) !== association.Checksum) {
        const document = await this.ssm("GetDocument", {
          DocumentVersion: association.DocumentVersion,
          Name: association.Name,
        });
        if (document?.status === 200) this.#checksums.set(association.AssociationId, association.Checksum ?? "");
      }
    }
    for (const association of Associations.filter((a) => a.DetailedStatus === "Pending")) {
      await this.runAssociation(association.AssociationId);
    }
  }

  /** A run at the association poll (the path of a run no channel poll took, and of inventory). */
  private async runAssociation(associationId: string): Promise<void> {
    this.fleet.received?.(this.id, associationId, Date.now());
    const outcome = this.fails ? "Failed" : "Success";
    const reports = agentRunReports(outcome);
    let last: WireAnswer | undefined;
    for (const [i, report] of reports.entries()) {
      if (i === 2) await sleep(this.fleet.runMs);
      last = await this.ssm("UpdateInstanceAssociationStatus", agentReport(associationId, this.id, report, new Date()));
    }
    if (last?.status === 200)
      this.fleet.ran?.({ node: this.id, kind: "association", id: associationId, outcome, at: Date.now() });
  }

  private putInventory(): Promise<unknown> {
    const body = agentInventoryBody(this.id, new Date().toISOString().replace(/\.\d{3}Z$/, "Z"), this.#inventorySent);
    return this.ssmRaw("PutInventory", body).then((answer) => {
      if (answer?.status === 200) this.#inventorySent = true;
    });
  }

  /** The agent's message poll loop (run-command-agent.ts pollLoop), its pace compressed with the fleet's. */
  private async pollMessages(spreadMs: number): Promise<void> {
    const { intervals } = this.fleet;
    // A real agent opens its channel once it has registered: a fleet that registered over
    // `spreadMs` starts polling over as long, not all at once when the last one has registered.
    await sleep(Math.random() * Math.max(spreadMs, intervals.shortPollSleepMs()));
    await pollLoop(
      this.#channel as ReplayedAgent,
      (taken) => void this.runCommand(taken),
      this.fleet.running,
      undefined,
      { quickMs: intervals.shortPollMs, pauseMs: intervals.shortPollSleepMs },
    );
  }

  /** A command the loop took (parsed, InProgress replied, acknowledged), run by the agent's processor meanwhile. */
  private async runCommand({ message, payload, deliveredAt }: Taken): Promise<void> {
    if (payload.DocumentName === "AWS-RefreshAssociation") {
      // The inventory's runs come as a refresh (AWS-RefreshAssociation): its aws:refreshAssociation
      // step succeeds and the agent lists its associations at once, running the one answered
      // Pending (agent/association/processor/refreshassociation.go). The Pending report the step
      // itself sends is left to the run's own reports here (test/support/association-agent.ts
      // ports the whole of it: a fleet node driving that port is still to do).
      try {
        await (this.#channel as ReplayedAgent).run(message, payload);
        await this.pollAssociations();
      } catch {
        // Counted by observeChannel and timed.
      }
      return;
    }
    // When its poll was answered, on the wall clock the rollout compares with.
    this.fleet.received?.(this.id, message.MessageId, Date.now() - (performance.now() - deliveredAt));
    await sleep(this.fleet.runMs);
    const outcome = this.fails ? "Failed" : "Success";
    try {
      await (this.#channel as ReplayedAgent).run(
        message,
        payload,
        shellOutcome(this.fails ? { status: "Failed", code: 1, stderr: "exit 1" } : { stdout: "ok" }),
      );
      this.fleet.ran?.({ node: this.id, kind: "command", id: message.MessageId, outcome, at: Date.now() });
    } catch {
      // Counted by observeChannel.
    }
  }

  private observeChannel(operation: string, answer: WireAnswer, ms: number): void {
    const error = answer.status === 200 ? undefined : errorCode(answer);
    if (operation !== "GetMessages") {
      this.fleet.calls.record(operation, ms, error);
      return;
    }
    const delivered = answer.status === 200 && answer.body.includes('"MessageId"');
    // An empty poll is held by design: what counts is how long past the hold it took.
    if (delivered) this.fleet.calls.record("GetMessages (delivered)", ms, error);
    else this.fleet.calls.record("GetMessages", Math.max(0, ms - this.fleet.holdMs), error);
  }

  private ssm(operation: string, members: Record<string, unknown>): Promise<WireAnswer | undefined> {
    return this.ssmRaw(operation, JSON.stringify(members));
  }

  private ssmRaw(operation: string, body: string): Promise<WireAnswer | undefined> {
    return this.timed(operation, () =>
      agentCall(this.fleet.endpoint, { target: `AmazonSSM.${operation}`, body, identity: this.identity as Identity }),
    );
  }

  /** A call timed and recorded under its operation; undefined when the connection failed. */
  private async timed(operation: string, send: () => Promise<WireAnswer>): Promise<WireAnswer | undefined> {
    const started = performance.now();
    try {
      // Throttled calls are sent again as the agent's SDK sends them (test/support/sdk-go-retryer.ts).
      const answer = await withThrottleRetries(send, () => this.fleet.calls.throttled(operation));
      this.fleet.calls.record(
        operation,
        performance.now() - started,
        answer.status === 200 ? undefined : errorCode(answer),
      );
      return answer;
    } catch (error) {
      this.fleet.calls.record(
        operation,
        performance.now() - started,
        (error as { code?: string }).code ?? (error as Error).name,
      );
      return undefined;
    }
  }
}

/** The AWS error code of an answer (its `__type`, without a namespace), else its HTTP status. */
function errorCode(answer: WireAnswer): string {
  try {
    const type = (JSON.parse(answer.body) as { __type?: string }).__type;
    if (type) return type.slice(type.lastIndexOf("#") + 1);
  } catch {
    // not JSON
  }
  return `HTTP ${answer.status}`;
}
