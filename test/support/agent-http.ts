/**
 * The SSM Agent on the wire, for end-to-end tests against the local endpoint: requests signed as
 * the agent's Go SDK signs them (SigV4 over every header but Authorization and User-Agent), with
 * its User-Agent, and optionally with the body sent `Transfer-Encoding: chunked` and no
 * `Content-Length`, as the agent sends some of its calls.
 */
import { request as httpRequest } from "node:http";
import { FakeAgent } from "./agent.ts";
import { type Identity, signedHeaders } from "./identity.ts";
import { call } from "./invoke.ts";

/** What amazon-ssm-agent 3.3 puts in User-Agent (aws-sdk-go v1 plus the agent's own suffix). */
export const AGENT_USER_AGENT = "aws-sdk-go/1.55.5 (go1.22.5; linux; amd64) amazon-ssm-agent/3.3.1142.0";

export type WireAnswer = { status: number; headers: Record<string, string | string[] | undefined>; body: string };

/** Sends raw bytes to the endpoint with exactly these headers; chunked when asked. */
export function sendRaw(
  url: string,
  headers: Record<string, string>,
  body: string,
  options: { chunked?: boolean } = {},
): Promise<WireAnswer> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const sent: Record<string, string> = { ...headers };
    for (const name of Object.keys(sent)) if (name.toLowerCase() === "content-length") delete sent[name];
    if (options.chunked) sent["transfer-encoding"] = "chunked";
    else sent["content-length"] = String(Buffer.byteLength(body));
    const req = httpRequest(
      { host: target.hostname, port: target.port, path: "/", method: "POST", headers: sent },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks).toString("utf8"),
          }),
        );
      },
    );
    req.on("error", reject);
    if (options.chunked) {
      // Several chunks, as a streaming writer produces them.
      const bytes = Buffer.from(body);
      const step = Math.max(1, Math.ceil(bytes.length / 3));
      for (let at = 0; at < bytes.length; at += step) req.write(bytes.subarray(at, at + step));
    } else {
      req.write(body);
    }
    req.end();
  });
}

export type AgentCall = {
  /** `AmazonSSM.<Op>` or `EC2WindowsMessageDeliveryService.<Op>` */
  target: string;
  /** SigV4 service the agent signs for: `ssm` or `ec2messages`. */
  service?: string;
  body: string;
  identity: Identity;
  chunked?: boolean;
};

/** One call as the agent makes it, signed with its node credentials. */
export async function agentCall(endpoint: Endpoint, call: AgentCall): Promise<WireAnswer> {
  const operation = call.target.slice(call.target.indexOf(".") + 1);
  const headers = await signedHeaders(operation, call.body, call.identity, {
    host: endpoint.host,
    service: call.service ?? "ssm",
    extraHeaders: { "x-amz-target": call.target },
  });
  return sendRaw(endpoint.url, { ...headers, "user-agent": AGENT_USER_AGENT }, call.body, { chunked: call.chunked });
}

type Endpoint = { url: string; host: string };

/** An answer's JSON body, or `{}` when it has none. */
const jsonOf = (answer: WireAnswer): Record<string, unknown> =>
  answer.body ? (JSON.parse(answer.body) as Record<string, unknown>) : {};

/** RegisterManagedInstance over HTTP, unsigned, as the agent sends it (its key, its fingerprint). */
export async function registerOverHttp(
  endpoint: Endpoint,
  agent: FakeAgent,
  activation: { ActivationId: string; ActivationCode: string },
): Promise<WireAnswer> {
  const body = JSON.stringify(agent.registration(activation.ActivationId, activation.ActivationCode));
  const answer = await sendRaw(
    endpoint.url,
    {
      host: endpoint.host,
      "content-type": "application/x-amz-json-1.1",
      "x-amz-target": "AmazonSSM.RegisterManagedInstance",
      "user-agent": AGENT_USER_AGENT,
    },
    body,
  );
  agent.registered({ status: answer.status, body: jsonOf(answer) });
  return answer;
}

/** RequestManagedInstanceRoleToken over HTTP, signed with the node's RSA key; the node credentials it answers. */
export async function roleTokenOverHttp(
  endpoint: Endpoint,
  agent: FakeAgent,
): Promise<{ answer: WireAnswer; identity?: Identity }> {
  const body = JSON.stringify({ Fingerprint: agent.fingerprint });
  const headers = agent.signedHeaders("RequestManagedInstanceRoleToken", body, { host: endpoint.host });
  const answer = await sendRaw(endpoint.url, { ...headers, "user-agent": AGENT_USER_AGENT }, body);
  if (answer.status !== 200) return { answer };
  const token = jsonOf(answer);
  return {
    answer,
    identity: {
      accessKeyId: token.AccessKeyId as string,
      secretAccessKey: token.SecretAccessKey as string,
      sessionToken: token.SessionToken as string,
      region: agent.region,
    },
  };
}

/** A node registered with a hybrid activation, holding its node credentials, as the agent does. */
export async function registeredAgent(): Promise<{ agent: FakeAgent; instanceId: string; identity: Identity }> {
  const { ActivationId, ActivationCode } = await call("CreateActivation", { IamRole: "SSMServiceRole" });
  const agent = new FakeAgent();
  await agent.register(ActivationId, ActivationCode);
  const token = (await agent.roleToken()).body;
  const identity: Identity = {
    accessKeyId: token.AccessKeyId as string,
    secretAccessKey: token.SecretAccessKey as string,
    sessionToken: token.SessionToken as string,
  };
  const instanceId = agent.instanceId as string;
  await call(
    "UpdateInstanceInformation",
    { InstanceId: instanceId, PlatformType: "Linux", AgentVersion: "3.3.1142.0" },
    { identity },
  );
  return { agent, instanceId, identity };
}
