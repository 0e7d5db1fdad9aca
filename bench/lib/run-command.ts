/**
 * Run Command's delivery (issue 27), two figures:
 *
 * - SendCommand → the agent's AcknowledgeMessage: a replayed SSM Agent (test/support/
 *   run-command-agent.ts: its exact polls, replies and acknowledgement) polls `npm start`'s
 *   message channel over HTTP, as `npm start` is configured by default (a poll held up to 19 s,
 *   woken the moment a message for its node is written); commands are sent one after another
 *   over HTTP, each timed from the moment SendCommand is sent to the moment the agent sends its
 *   acknowledgement (after its InProgress reply, as the agent does), and run to the end before
 *   the next one.
 * - An idle node's poll: GetMessages for a node with nothing queued, through the real handler in
 *   this process (hold 0, as deployed), inside the DynamoDB meter: its DynamoDB calls and the
 *   handler's own time (beyond the time its calls were in flight).
 */
import type { APIGatewayProxyEvent, Context } from "aws-lambda";
import { postTo } from "../../test/support/endpoint.ts";
import { DEFAULT_IDENTITY, type Identity, signedHeaders } from "../../test/support/identity.ts";
import { handlerOf, proxyEvent } from "../../test/support/invoke.ts";
import { ReplayedAgent, shellOutcome } from "../../test/support/run-command-agent.ts";
import { type Environment, registerNode } from "./environment.ts";
import { percentile } from "./load.ts";
import { describeCalls, dynamoTime } from "./meter.ts";

export type RunCommandSettings = { commands: number; idlePolls: number };

export type RunCommandResult = RunCommandSettings & {
  /** SendCommand sent → the agent's AcknowledgeMessage sent, ms. */
  toAcknowledge: { p50: number; p99: number; max: number };
  /** SendCommand sent → the agent's GetMessages answered with the message, ms. */
  toDelivery: { p50: number; p99: number };
  /** An idle poll's DynamoDB calls (e.g. "Query") and the handler's own time, ms. */
  idlePoll: { calls: string; oursP50: number; oursP99: number; dynamoP50: number };
};

/** p50 and p99 of unsorted samples (load.ts `percentile` takes them sorted, p in percent). */
const at = (samples: readonly number[], p: number) =>
  percentile(
    [...samples].sort((a, b) => a - b),
    p,
  );
const summary = (samples: number[]) => ({ p50: at(samples, 50), p99: at(samples, 99), max: Math.max(...samples) });

/** A node's poll of the message channel (GetMessages), signed for ec2messages, as its function receives it. */
export async function messagePollEvent(nodeId: string, identity: Identity): Promise<APIGatewayProxyEvent> {
  const body = JSON.stringify({
    Destination: nodeId,
    MessagesRequestId: crypto.randomUUID(),
    VisibilityTimeoutInSeconds: 10,
  });
  const headers = await signedHeaders("GetMessages", body, identity, {
    service: "ec2messages",
    extraHeaders: { "x-amz-target": "EC2WindowsMessageDeliveryService.GetMessages" },
  });
  return proxyEvent("GetMessages", body, headers);
}

export async function runCommand(env: Environment, settings: RunCommandSettings): Promise<RunCommandResult> {
  const endpoint = { url: env.server.url, host: new URL(env.server.url).host };
  const node = await registerNode(DEFAULT_IDENTITY, [{ Key: "bench", Value: "run-command" }]);
  const agent = new ReplayedAgent(endpoint, node.id, node.identity);

  const toAcknowledge: number[] = [];
  const toDelivery: number[] = [];
  for (let i = 0; i < settings.commands; i++) {
    // The agent's poll is out (and held) before the command is sent, as a polling agent's is.
    const polled = agent.next();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const sent = performance.now();
    const answer = await postTo(
      endpoint,
      "SendCommand",
      JSON.stringify({
        DocumentName: "AWS-RunShellScript",
        InstanceIds: [node.id],
        Parameters: { commands: [`echo ${i}`] },
      }),
    );
    if (answer.status !== 200) throw new Error(`SendCommand: ${answer.status} ${JSON.stringify(answer.body)}`);
    const message = await polled;
    toDelivery.push(performance.now() - sent);
    const payload = await agent.receive(message);
    // receive() replied InProgress, then acknowledged: the acknowledgement was its last call.
    toAcknowledge.push(performance.now() - sent);
    if (payload) await agent.run(message, payload, shellOutcome({ stdout: `${i}\n` }));
  }

  // An idle node's poll, in process (hold 0), metered.
  const handler = await handlerOf("GetMessages");
  const ours: number[] = [];
  const dynamo: number[] = [];
  let calls = "";
  for (let i = 0; i < settings.idlePolls; i++) {
    const event = await messagePollEvent(node.id, node.identity);
    const run = await env.meter.run(() => handler(event, {} as Context));
    if (run.result.statusCode !== 200) throw new Error(`GetMessages: ${run.result.statusCode} ${run.result.body}`);
    // The first poll reads the node's credentials (then cached, as a warm function has them).
    if (i === 0) continue;
    const inDynamo = dynamoTime(run.tally);
    ours.push(run.ms - inDynamo);
    dynamo.push(inDynamo);
    calls = describeCalls(run.tally);
  }
  return {
    ...settings,
    toAcknowledge: summary(toAcknowledge),
    toDelivery: { p50: at(toDelivery, 50), p99: at(toDelivery, 99) },
    idlePoll: { calls, oursP50: at(ours, 50), oursP99: at(ours, 99), dynamoP50: at(dynamo, 50) },
  };
}
