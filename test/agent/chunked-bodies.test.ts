/**
 * Issue 14, bug 3: the SSM Agent sends some bodies with `Transfer-Encoding: chunked` and no
 * `Content-Length`. A refusal of RequestManagedInstanceRoleToken sends it into hibernation (5
 * minutes, doubling up to an hour), so no agent call may be refused for how its body was framed.
 * Through the local endpoint, on the wire.
 */
import { describe, expect, it } from "vitest";
import { AGENT_USER_AGENT, agentCall, registeredAgent, sendRaw } from "../support/agent-http.ts";
import { useLocalEndpoint } from "../support/endpoint.ts";

const server = useLocalEndpoint();

describe("chunked agent bodies through the local endpoint", () => {
  it("RequestManagedInstanceRoleToken, RSA-signed, chunked with no Content-Length: credentials", async () => {
    const { agent } = await registeredAgent();
    const event = agent.signedEvent(
      "RequestManagedInstanceRoleToken",
      { Fingerprint: agent.fingerprint },
      { host: server.host },
    );
    const headers = { ...(event.headers as Record<string, string>), "user-agent": AGENT_USER_AGENT };
    const answer = await sendRaw(server.url, headers, event.body as string, { chunked: true });
    expect(answer.status, answer.body).toBe(200);
    const token = JSON.parse(answer.body);
    expect(token).toMatchObject({ AccessKeyId: expect.any(String), SecretAccessKey: expect.any(String) });
    expect(token.TokenExpirationDate).toEqual(expect.any(Number));
  });

  it("every node-credential agent call is answered the same chunked as with Content-Length", async () => {
    const { instanceId, identity } = await registeredAgent();
    const calls = [
      {
        target: "AmazonSSM.UpdateInstanceInformation",
        body: JSON.stringify({
          AgentName: "amazon-ssm-agent",
          AgentStatus: "Active",
          AgentVersion: "3.3.1142.0",
          ComputerName: "node-1",
          IPAddress: "10.0.0.12",
          InstanceId: instanceId,
          PlatformName: "Ubuntu",
          PlatformType: "Linux",
          PlatformVersion: "22.04",
        }),
      },
      {
        target: "AmazonSSM.ListInstanceAssociations",
        body: JSON.stringify({ InstanceId: instanceId, MaxResults: 20 }),
      },
    ];
    for (const call of calls) {
      for (const chunked of [false, true]) {
        const answer = await agentCall(server, { ...call, identity, chunked });
        expect(answer.status, `${call.target} chunked=${chunked}: ${answer.body}`).toBe(200);
      }
    }
  });
});
