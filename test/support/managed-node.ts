/**
 * A registered managed node and its SSM Agent's association calls, with the bodies the agent
 * sends (agent/association/service/service.go): ListInstanceAssociations with its InstanceId, and
 * UpdateInstanceAssociationStatus with `ExecutionResult {Status, ErrorCode, ExecutionDate,
 * ExecutionSummary}` (no DetailedStatus), signed with the node's own credentials.
 */
import { FakeAgent } from "./agent.ts";
import { postTo } from "./endpoint.ts";
import type { Identity } from "./identity.ts";
import { type Answer, call, invoke } from "./invoke.ts";

/** The agent's messages for each step of a run (agent/contracts/model.go, processor.go). */
export const AGENT_SUMMARY = "1 out of 1 plugin processed, 1 success, 0 failed, 0 timedout, 0 skipped. ";
export const AGENT_FAILED_SUMMARY = "1 out of 1 plugin processed, 0 success, 1 failed, 0 timedout, 0 skipped. ";

/**
 * The reports of one run as the agent sends them, `[Status, ExecutionSummary, ErrorCode]` each:
 * Pending ("Association is pending"), InProgress ("Executing association"), InProgress again with
 * the plugin summary, then the final status. Every report carries ErrorCode "" (AssociationErrorCodeNoError)
 * but a failure's, which carries "ExecutionError" (AssociationErrorCodeExecutionError:
 * associationExecutionReport for a failed document in agent/association/executer/executer.go).
 */
export function agentRunReports(outcome: "Success" | "Failed"): [string, string, string][] {
  const summary = outcome === "Success" ? AGENT_SUMMARY : AGENT_FAILED_SUMMARY;
  return [
    ["Pending", "Association is pending", ""],
    ["InProgress", "Executing association", ""],
    ["InProgress", summary, ""],
    [outcome, summary, outcome === "Failed" ? "ExecutionError" : ""],
  ];
}

/** UpdateInstanceAssociationStatus's body as the agent sends it (agent/association/service/service.go). */
export function agentReport(associationId: string, instanceId: string, report: [string, string, string], at: Date) {
  const [status, summary, errorCode] = report;
  return {
    AssociationId: associationId,
    ExecutionResult: {
      ErrorCode: errorCode,
      ExecutionDate: at.getTime() / 1000,
      ExecutionSummary: summary,
      Status: status,
    },
    InstanceId: instanceId,
  };
}

export class ManagedNode {
  /** Through the real handlers, or over HTTP to a local endpoint once `via` names one. */
  endpoint: { url: string; host: string } | undefined;

  constructor(
    readonly id: string,
    readonly identity: Identity,
  ) {}

  via(endpoint: { url: string; host: string }): this {
    this.endpoint = endpoint;
    return this;
  }

  private async send(operation: string, body: unknown): Promise<Answer> {
    if (!this.endpoint) return invoke(operation, body, { identity: this.identity });
    const answer = await postTo(this.endpoint, operation, JSON.stringify(body), { identity: this.identity });
    return { status: answer.status, body: answer.body, headers: {} };
  }

  static async register(tags: { Key: string; Value: string }[] = []): Promise<ManagedNode> {
    const activation = await call<{ ActivationId: string; ActivationCode: string }>("CreateActivation", {
      IamRole: "SSMServiceRole",
    });
    return ManagedNode.enroll(activation, tags);
  }

  /**
   * A fleet of `count` nodes registered with one activation (as a fleet rollout registers them),
   * each with its own key pair and credentials, `inFlight` registrations at a time.
   */
  static async registerFleet(
    count: number,
    tags: { Key: string; Value: string }[] = [],
    inFlight = 8,
  ): Promise<ManagedNode[]> {
    const activation = await call<{ ActivationId: string; ActivationCode: string }>("CreateActivation", {
      IamRole: "SSMServiceRole",
      RegistrationLimit: count,
    });
    return inBatches(
      Array.from({ length: count }, (_, i) => i),
      inFlight,
      () => ManagedNode.enroll(activation, tags),
    );
  }

  /**
   * One node as the agent enrolls it: registration with the activation (its RSA key), its role
   * token (the node's credentials), its first heartbeat; then tagged by the account (`account`,
   * the default identity unless given).
   */
  static async enroll(
    activation: { ActivationId: string; ActivationCode: string },
    tags: { Key: string; Value: string }[] = [],
    options: { agent?: FakeAgent; account?: Identity } = {},
  ): Promise<ManagedNode> {
    const agent = options.agent ?? new FakeAgent();
    await agent.register(activation.ActivationId, activation.ActivationCode);
    const token = (await agent.roleToken()).body;
    const identity: Identity = {
      accessKeyId: token.AccessKeyId as string,
      secretAccessKey: token.SecretAccessKey as string,
      sessionToken: token.SessionToken as string,
      region: agent.region,
    };
    const node = new ManagedNode(agent.instanceId as string, identity);
    await call(
      "UpdateInstanceInformation",
      { InstanceId: node.id, PlatformType: "Linux", PlatformName: "Ubuntu", AgentVersion: "3.3.987.0" },
      { identity },
    );
    if (tags.length > 0) {
      await call(
        "AddTagsToResource",
        { ResourceType: "ManagedInstance", ResourceId: node.id, Tags: tags },
        options.account ? { identity: options.account } : {},
      );
    }
    return node;
  }

  // biome-ignore lint/suspicious/noExplicitAny: tests read response members freely
  async associations(): Promise<any[]> {
    const answer = await this.send("ListInstanceAssociations", { InstanceId: this.id });
    if (answer.status !== 200) throw new Error(`ListInstanceAssociations failed: ${JSON.stringify(answer.body)}`);
    return answer.body.Associations as unknown[];
  }

  /** The associations the agent would run now: those answered with DetailedStatus Pending. */
  async due(): Promise<string[]> {
    return (await this.associations())
      .filter((a: { DetailedStatus: string }) => a.DetailedStatus === "Pending")
      .map((a: { AssociationId: string }) => a.AssociationId);
  }

  report(associationId: string, status: string, summary: string, errorCode = "", at = new Date()) {
    return this.send(
      "UpdateInstanceAssociationStatus",
      agentReport(associationId, this.id, [status, summary, errorCode], at),
    );
  }

  /** One run as the agent reports it (agentRunReports); each report's HTTP status. */
  async run(associationId: string, outcome: "Success" | "Failed", at = new Date()): Promise<number[]> {
    const statuses: number[] = [];
    for (const [status, message, errorCode] of agentRunReports(outcome)) {
      statuses.push((await this.report(associationId, status, message, errorCode, at)).status);
    }
    return statuses;
  }
}

/** `work` over `items`, at most `inFlight` at a time; the results in the items' order. */
export async function inBatches<T, R>(
  items: readonly T[],
  inFlight: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(inFlight, items.length) }, worker));
  return results;
}
