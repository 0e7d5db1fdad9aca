/**
 * The agent's path: a registered node, signing with its own temporary credentials, resolves the
 * `{{ssm:name}}` references of an association it runs with GetParameters, sending what the SSM
 * Agent sends (agent/parameterstore/parameterstore.go resolves with `GetParameters` of the
 * names, `WithDecryption: false`; `{{ssm-secure:name}}` uses GetParameter with `WithDecryption:
 * true`). Its role (AmazonSSMManagedInstanceCore) allows ssm:GetParameter and ssm:GetParameters
 * only: writes and the other reads are refused as IAM refuses them.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { FakeAgent } from "../support/agent.ts";
import type { Identity } from "../support/identity.ts";
import { call, invoke, invokeRaw } from "../support/invoke.ts";
import { freshTable } from "../support/table.ts";

let nodeId: string;
let node: Identity;

beforeAll(async () => {
  await freshTable();
  const { ActivationId, ActivationCode } = await call("CreateActivation", { IamRole: "SSMServiceRole" });
  const agent = new FakeAgent();
  await agent.register(ActivationId, ActivationCode);
  const token = (await agent.roleToken()).body;
  node = {
    accessKeyId: token.AccessKeyId as string,
    secretAccessKey: token.SecretAccessKey as string,
    sessionToken: token.SessionToken as string,
  };
  nodeId = agent.instanceId as string;
  await call(
    "UpdateInstanceInformation",
    { InstanceId: nodeId, PlatformType: "Linux", AgentVersion: "3.3.0.0" },
    {
      identity: node,
    },
  );
  await call("PutParameter", { Name: "/app/greeting", Value: "hello from parameter store", Type: "String" });
  await call("PutParameter", { Name: "/app/db-password", Value: "s3cr3t", Type: "SecureString" });
});

/** The agent's reference pattern (getValidSSMParamRegexCompiler) and name extraction. */
const SSM_REFERENCE = /\{\{ *ssm:[/\w.-]+ *\}\}/g;
const nameOf = (reference: string) => (reference.match(/:([/\w.-]+)*/)?.[0] ?? ":").slice(1);

describe("GetParameter and GetParameters with node credentials (every other parameter action refused)", () => {
  it("resolves an association's {{ssm:...}} reference with the agent's GetParameters", async () => {
    await call("CreateAssociation", {
      Name: "AWS-RunShellScript",
      Targets: [{ Key: "InstanceIds", Values: [nodeId] }],
      Parameters: { commands: ["echo {{ssm:/app/greeting}}"] },
    });
    const listed = await call("ListInstanceAssociations", { InstanceId: nodeId }, { identity: node });
    const commands: string[] = listed.Associations[0].Parameters.commands;
    const references = commands.flatMap((command) => command.match(SSM_REFERENCE) ?? []);
    expect(references).toEqual(["{{ssm:/app/greeting}}"]);
    // The Go SDK's body for ssm.GetParametersInput{Names, WithDecryption: false}.
    const body = JSON.stringify({ Names: references.map(nameOf), WithDecryption: false });
    const answer = await invokeRaw("GetParameters", body, { identity: node });
    expect(answer.status).toBe(200);
    expect(answer.body.InvalidParameters).toEqual([]);
    expect(answer.body.Parameters).toEqual([
      {
        Name: "/app/greeting",
        Type: "String",
        Value: "hello from parameter store",
        Version: 1,
        LastModifiedDate: expect.any(Number),
        ARN: "arn:aws:ssm:us-east-1:000000000000:parameter/app/greeting",
        DataType: "text",
      },
    ]);
    const [greeting] = answer.body.Parameters as { Value: string }[];
    const resolved = commands.map((command) => command.replace("{{ssm:/app/greeting}}", greeting?.Value ?? ""));
    expect(resolved).toEqual(["echo hello from parameter store"]);
  });

  it("a missing reference comes back in InvalidParameters (the agent then fails the run with InvalidAssoc)", async () => {
    const answer = await invokeRaw(
      "GetParameters",
      JSON.stringify({ Names: ["/app/missing"], WithDecryption: false }),
      {
        identity: node,
      },
    );
    expect(answer.body).toEqual({ Parameters: [], InvalidParameters: ["/app/missing"] });
  });

  it("{{ssm-secure:...}}: GetParameter with decryption, as the agent's securestringaccess does", async () => {
    const answer = await invokeRaw("GetParameter", JSON.stringify({ Name: "/app/db-password", WithDecryption: true }), {
      identity: node,
    });
    expect(answer.body.Parameter).toMatchObject({ Type: "SecureString", Value: "s3cr3t" });
  });

  it("writes are refused with AWS's AccessDeniedException", async () => {
    const user = `arn:aws:sts::000000000000:assumed-role/SSMServiceRole/${nodeId}`;
    const arn = "arn:aws:ssm:us-east-1:000000000000:parameter/app/greeting";
    const cases: [string, unknown][] = [
      ["PutParameter", { Name: "/app/greeting", Value: "pwned", Type: "String", Overwrite: true }],
      ["DeleteParameter", { Name: "/app/greeting" }],
      ["DeleteParameters", { Names: ["/app/greeting"] }],
      ["LabelParameterVersion", { Name: "/app/greeting", Labels: ["x"] }],
    ];
    for (const [operation, request] of cases) {
      const answer = await invoke(operation, request, { identity: node });
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual({
        __type: "AccessDeniedException",
        message: `User: ${user} is not authorized to perform: ssm:${operation} on resource: ${arn} because no identity-based policy allows the ssm:${operation} action`,
      });
    }
    expect((await call("GetParameter", { Name: "/app/greeting" })).Parameter).toMatchObject({
      Version: 1,
      Value: "hello from parameter store",
    });
  });

  it("reads outside AmazonSSMManagedInstanceCore are refused too", async () => {
    for (const [operation, request] of [
      ["GetParametersByPath", { Path: "/app" }],
      ["DescribeParameters", {}],
      ["GetParameterHistory", { Name: "/app/greeting" }],
    ] as const) {
      const answer = await invoke(operation, request, { identity: node });
      expect(answer.body.__type).toBe("AccessDeniedException");
    }
  });
});
