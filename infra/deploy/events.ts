/**
 * Writes events/<Operation>.json: one API Gateway proxy event per operation, as the deployed edge
 * delivers it (path /<Operation>, the client's host and path in x-ssm-viewer-*), for
 * `sam local invoke <Operation>Function -e events/<Operation>.json`. Requests must be signed
 * within 15 minutes, so the Authorization in these files is a placeholder: sign them afresh, or
 * invoke with the tests' signer (test/infra/deployment.test.ts feeds them to the handlers so).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { signingServiceOf, targetOf } from "../../shared/protocol/targets.ts";
import { operationNames } from "../local/operations.ts";

const EVENTS = new URL("../../events/", import.meta.url);

/** A request body each operation accepts (validation-wise); `{}` for the others. */
export const SAMPLE_BODIES: Record<string, unknown> = {
  AddTagsToResource: { ResourceType: "Document", ResourceId: "my-doc", Tags: [{ Key: "team", Value: "platform" }] },
  CreateActivation: { IamRole: "SSMServiceRole", RegistrationLimit: 1 },
  CreateAssociation: { Name: "AWS-UpdateSSMAgent", InstanceId: "i-02573cafcfEXAMPLE" },
  CreateAssociationBatch: { Entries: [{ Name: "AWS-UpdateSSMAgent", InstanceId: "i-0471e04240EXAMPLE" }] },
  CreateDocument: {
    Name: "my-doc",
    DocumentType: "Command",
    Content: JSON.stringify({
      schemaVersion: "2.2",
      mainSteps: [{ action: "aws:runShellScript", name: "run", inputs: { runCommand: ["uptime"] } }],
    }),
  },
  DeleteActivation: { ActivationId: "00000000-0000-4000-8000-000000000000" },
  DeleteAssociation: { AssociationId: "00000000-0000-4000-8000-000000000000" },
  DeleteDocument: { Name: "my-doc" },
  DeregisterManagedInstance: { InstanceId: "mi-0123456789abcdef0" },
  DescribeAssociation: { AssociationId: "00000000-0000-4000-8000-000000000000" },
  DescribeDocument: { Name: "AWS-RunShellScript" },
  DescribeEffectiveInstanceAssociations: { InstanceId: "i-02573cafcfEXAMPLE" },
  DescribeInstanceAssociationsStatus: { InstanceId: "i-02573cafcfEXAMPLE" },
  GetDocument: { Name: "AWS-RunShellScript" },
  ListAssociationVersions: { AssociationId: "00000000-0000-4000-8000-000000000000" },
  ListDocumentVersions: { Name: "AWS-RunShellScript" },
  ListInstanceAssociations: { InstanceId: "i-02573cafcfEXAMPLE" },
  ListTagsForResource: { ResourceType: "Document", ResourceId: "my-doc" },
  PutComplianceItems: {
    ResourceId: "i-02573cafcfEXAMPLE",
    ResourceType: "ManagedInstance",
    ComplianceType: "Custom:Example",
    ExecutionSummary: { ExecutionTime: 1795600000 },
    Items: [{ Id: "item-1", Severity: "LOW", Status: "COMPLIANT" }],
  },
  RegisterManagedInstance: {
    ActivationId: "00000000-0000-4000-8000-000000000000",
    ActivationCode: "AbCdEfGhIjKlMnOpQrSt",
    PublicKey: "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA",
    PublicKeyType: "Rsa",
    Fingerprint: "machine-fingerprint",
  },
  RemoveTagsFromResource: { ResourceType: "Document", ResourceId: "my-doc", TagKeys: ["team"] },
  RequestManagedInstanceRoleToken: { Fingerprint: "machine-fingerprint" },
  UpdateAssociation: { AssociationId: "00000000-0000-4000-8000-000000000000" },
  UpdateAssociationStatus: {
    Name: "AWS-UpdateSSMAgent",
    InstanceId: "i-02573cafcfEXAMPLE",
    AssociationStatus: { Date: 1424421071.939, Name: "Pending", Message: "temp_status_change" },
  },
  UpdateDocument: {
    Name: "my-doc",
    Content: JSON.stringify({ schemaVersion: "2.2", mainSteps: [{ action: "aws:runShellScript", name: "run" }] }),
  },
  UpdateDocumentDefaultVersion: { Name: "my-doc", DocumentVersion: "1" },
  UpdateInstanceAssociationStatus: {
    AssociationId: "00000000-0000-4000-8000-000000000000",
    InstanceId: "i-02573cafcfEXAMPLE",
    ExecutionResult: { Status: "Success", ExecutionDate: 1795600000 },
  },
  UpdateInstanceInformation: { InstanceId: "i-02573cafcfEXAMPLE", PlatformType: "Linux", AgentVersion: "3.3.0.0" },
  UpdateManagedInstancePublicKey: {
    NewPublicKey: "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA",
    NewPublicKeyType: "Rsa",
  },
  UpdateManagedInstanceRole: { InstanceId: "mi-0123456789abcdef0", IamRole: "SSMServiceRole" },
  PutInventory: {
    InstanceId: "i-02573cafcfEXAMPLE",
    Items: [
      {
        CaptureTime: "2026-11-25T12:00:00Z",
        Content: [{ Name: "bash", Publisher: "Ubuntu Developers", Version: "5.1-6ubuntu1", Architecture: "x86_64" }],
        ContentHash: "rBcYMKcDlTzyK7s1l6O9oQ==",
        SchemaVersion: "1.1",
        TypeName: "AWS:Application",
      },
    ],
  },
  ListInventoryEntries: { InstanceId: "i-02573cafcfEXAMPLE", TypeName: "AWS:Application" },
  GetInventory: {
    Filters: [{ Key: "AWS:InstanceInformation.InstanceId", Values: ["i-02573cafcfEXAMPLE"], Type: "Equal" }],
  },
  // ec2messages, as the agent sends them (agent/runcommand/mds/service.go in amazon-ssm-agent)
  GetMessages: {
    Destination: "i-02573cafcfEXAMPLE",
    MessagesRequestId: "4a5b6c7d-0000-4000-8000-00000000abcd",
    VisibilityTimeoutInSeconds: 10,
  },
  AcknowledgeMessage: { MessageId: "aws.ssm.2b196342-d7d4-436e-8f09-3883a1116ac3.i-02573cafcfEXAMPLE" },
  DeleteMessage: { MessageId: "aws.ssm.2b196342-d7d4-436e-8f09-3883a1116ac3.i-02573cafcfEXAMPLE" },
  FailMessage: {
    FailureType: "InternalHandlerException",
    MessageId: "aws.ssm.2b196342-d7d4-436e-8f09-3883a1116ac3.i-02573cafcfEXAMPLE",
  },
  SendReply: {
    MessageId: "aws.ssm.2b196342-d7d4-436e-8f09-3883a1116ac3.i-02573cafcfEXAMPLE",
    Payload: "{}",
    ReplyId: "0c9b5a1e-7f3d-4a6e-9b2c-1d2e3f4a5b6c",
  },
};

export const EVENT_HOST = "d111111abcdef8.cloudfront.net";

export function sampleEvent(operation: string): Record<string, unknown> {
  return {
    resource: `/${operation}`,
    path: `/${operation}`,
    httpMethod: "POST",
    headers: {
      "Content-Type": "application/x-amz-json-1.1",
      Host: "abcdef1234.execute-api.us-east-1.amazonaws.com",
      "X-Amz-Target": targetOf(operation),
      "X-Amz-Date": "20261125T120000Z",
      Authorization: `AWS4-HMAC-SHA256 Credential=test/20261125/us-east-1/${signingServiceOf(operation)}/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=sign-me-afresh`,
      "x-ssm-viewer-host": EVENT_HOST,
      "x-ssm-viewer-path": "/",
    },
    multiValueHeaders: {},
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    requestContext: {
      requestId: "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
      resourcePath: `/${operation}`,
      httpMethod: "POST",
      path: `/v1/${operation}`,
      stage: "v1",
      accountId: "123456789012",
      apiId: "abcdef1234",
      protocol: "HTTP/1.1",
      identity: { sourceIp: "203.0.113.10" },
    },
    body: JSON.stringify(SAMPLE_BODIES[operation] ?? {}),
    isBase64Encoded: false,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  mkdirSync(EVENTS, { recursive: true });
  for (const operation of operationNames()) {
    writeFileSync(new URL(`${operation}.json`, EVENTS), `${JSON.stringify(sampleEvent(operation), null, 2)}\n`);
  }
  console.log(`wrote ${operationNames().length} events into events/`);
}
