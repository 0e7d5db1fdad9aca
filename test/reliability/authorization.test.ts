/**
 * The authorization matrix (issue 15): every operation in functions/ × every kind of caller,
 * through the real handlers on DynamoDB Local, with the expected outcome of each cell generated
 * from one table (MATRIX below):
 *
 * - `account`: the account's own credentials. Allowed: never an authentication error nor
 *   AccessDeniedException (the request may still be refused for what it asks, e.g. a document
 *   still in use).
 * - `node`: the temporary credentials of a registered node (RequestManagedInstanceRoleToken),
 *   naming its own node and resources. They stand for the activation's IAM role with the AWS
 *   managed policy AmazonSSMManagedInstanceCore, so an operation that policy allows is allowed and
 *   every other one is AccessDeniedException. The policy's actions are written out here again
 *   (NODE_ALLOWED), from AWS's page, not read from the service's own table, so a mistake in either
 *   shows up.
 * - `otherNode`: the same node's credentials, naming another node of the same account (its
 *   InstanceId, its association). Per-node operations refuse (AccessDeniedException) or show
 *   nothing of the other node; account-wide reads the policy allows (documents, parameters) stay
 *   allowed.
 * - `otherAccount`: another account's credentials naming this account's resources: accounts are
 *   isolated, so a not-found error, or an answer that shows nothing of this account; and none of
 *   the account's items changes while that row runs.
 * - `unsigned`: no Authorization header: MissingAuthenticationTokenException, as
 *   test/auth/authenticate.test.ts defines it.
 *
 * The three node-signed operations of registration are their own case: RegisterManagedInstance
 * takes no signature at all (its activation code is the secret); RequestManagedInstanceRoleToken
 * and UpdateManagedInstancePublicKey take only the node's RSA signature, so every SigV4 caller and
 * a node signing as another node is refused as unauthenticated.
 *
 * An "unexpected allow" is a cell expected to be refused (denied, unauthenticated, or isolated)
 * that answered 200 or showed the other party's data; the test reports them and requires none.
 */
import { randomUUID } from "node:crypto";
import { readdirSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { signingServiceOf, targetOf } from "../../shared/protocol/targets.ts";
import { FakeAgent } from "../support/agent.ts";
import { commandContent } from "../support/fixtures.ts";
import { DEFAULT_IDENTITY, type Identity, signedHeaders } from "../support/identity.ts";
import { type Answer, call, invoke, invokeEvent, proxyEvent } from "../support/invoke.ts";
import { freshTable, type TestTable } from "../support/table.ts";

const ACCOUNT = "000000000000";
const OTHER_ACCOUNT = "111111111111";
const REGION = "us-east-1";
/** The activation's role, with a path: the assumed-role ARN names the role without it. */
const NODE_ROLE = "service-role/AuthzNodeRole";
/** An AWS document of schema 1.2, which a legacy (InstanceId) association needs. */
const LEGACY_DOCUMENT = "AWS-UpdateSSMAgent";

/**
 * AmazonSSMManagedInstanceCore, policy version v2, the actions of the operations this service
 * serves (AWS Managed Policy Reference, "AmazonSSMManagedInstanceCore",
 * https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonSSMManagedInstanceCore.html).
 */
const NODE_ALLOWED = new Set([
  "DescribeAssociation",
  "GetDocument",
  "DescribeDocument",
  "GetParameter",
  "GetParameters",
  "ListAssociations",
  "ListInstanceAssociations",
  "PutInventory",
  "PutComplianceItems",
  "UpdateAssociationStatus",
  "UpdateInstanceAssociationStatus",
  "UpdateInstanceInformation",
  // ec2messages:* actions in the same policy
  "AcknowledgeMessage",
  "DeleteMessage",
  "FailMessage",
  "GetMessages",
  "SendReply",
]);

const AUTH_ERRORS = new Set([
  "MissingAuthenticationTokenException",
  "IncompleteSignatureException",
  "InvalidSignatureException",
  "UnrecognizedClientException",
  "ExpiredTokenException",
]);

/** A node of the account and what belongs to it alone. */
type Subject = {
  instanceId: string;
  /** An association that targets this node only. */
  associationId: string;
  /** One more, for DeleteAssociation. */
  spareAssociationId: string;
  /** A run of `associationId` on this node. */
  executionId: string;
  /** A Run Command command sent to this node alone. */
  commandId: string;
};

type Fixture = {
  own: Subject;
  other: Subject;
  spareActivationId: string;
  /** The RSA identity of the `own` node (for the node-signed operations). */
  agent: FakeAgent;
};

/** What a cell must answer. */
type Expect = "allow" | "deny" | "unauthenticated" | "isolated";
type Who = "account" | "node" | "otherNode" | "otherAccount" | "unsigned";
const WHO: Who[] = ["unsigned", "otherAccount", "otherNode", "node", "account"];

type Row = {
  /** The request, naming `subject`'s resources where the operation has any. */
  request: (f: Fixture, subject: Subject, seq: number) => Record<string, unknown>;
  /** Names one node's resources: another node's are refused or not there. */
  perNode?: boolean;
  /** How the caller proves who it is; SigV4 unless said. */
  auth?: "unsigned" | "node-signed";
  /** Destroys what it names: runs after the other operations of its row. */
  destructive?: boolean;
  /** Why a cell's expectation is not what the rules above give. */
  note?: string;
  /** The message channel: only a node's own credentials may call it, never the account's. */
  nodeOnly?: boolean;
};

const tags = [{ Key: "team", Value: "authz" }];
/** Alternates, so that consecutive status reports differ (the same status again is StatusUnchanged). */
const flips = new Map<string, number>();
const flip = (what: string) => {
  flips.set(what, (flips.get(what) ?? 0) + 1);
  return (flips.get(what) as number) % 2 === 1;
};
const mdsMessageId = (s: Subject) => `aws.ssm.${randomUUID()}.${s.instanceId}`;

/** The table: every operation's request and how it is bound. */
const MATRIX: Record<string, Row> = {
  AcknowledgeMessage: {
    request: (_f, s) => ({ MessageId: mdsMessageId(s) }),
    perNode: true,
    nodeOnly: true,
    note: "the node inside the message id must be the caller's; the account's credentials never settle a node's messages",
  },
  AddTagsToResource: {
    request: (_f, s) => ({ ResourceType: "ManagedInstance", ResourceId: s.instanceId, Tags: tags }),
  },
  CreateActivation: { request: () => ({ IamRole: "SSMServiceRole", RegistrationLimit: 1 }) },
  CreateAssociation: {
    request: (_f, s) => ({ Name: "authz-doc", Targets: [{ Key: "InstanceIds", Values: [s.instanceId] }] }),
  },
  CreateAssociationBatch: {
    request: (_f, s) => ({
      Entries: [{ Name: "authz-doc", Targets: [{ Key: "InstanceIds", Values: [s.instanceId] }] }],
    }),
  },
  CreateDocument: {
    request: (_f, _s, seq) => ({ Name: `authz-new-${seq}`, Content: commandContent(`new ${seq}`) }),
  },
  DeleteActivation: { request: (f) => ({ ActivationId: f.spareActivationId }), destructive: true },
  DeleteAssociation: { request: (_f, s) => ({ AssociationId: s.spareAssociationId }), destructive: true },
  DeleteDocument: { request: () => ({ Name: "authz-spare-doc" }), destructive: true },
  DeleteMessage: {
    request: (_f, s) => ({ MessageId: mdsMessageId(s) }),
    perNode: true,
    nodeOnly: true,
    note: "as AcknowledgeMessage",
  },
  DeleteParameter: { request: () => ({ Name: "/authz/spare-1" }), destructive: true },
  DeleteParameters: { request: () => ({ Names: ["/authz/spare-2"] }), destructive: true },
  DeregisterManagedInstance: { request: (_f, s) => ({ InstanceId: s.instanceId }), destructive: true },
  DescribeActivations: { request: () => ({}) },
  DescribeAssociation: { request: (_f, s) => ({ AssociationId: s.associationId }), perNode: true },
  DescribeAssociationExecutionTargets: {
    request: (_f, s) => ({ AssociationId: s.associationId, ExecutionId: s.executionId }),
  },
  DescribeAssociationExecutions: { request: (_f, s) => ({ AssociationId: s.associationId }) },
  DescribeDocument: { request: () => ({ Name: "authz-doc" }) },
  DescribeDocumentPermission: { request: () => ({ Name: "authz-doc", PermissionType: "Share" }) },
  DescribeEffectiveInstanceAssociations: { request: (_f, s) => ({ InstanceId: s.instanceId }) },
  DescribeInstanceAssociationsStatus: { request: (_f, s) => ({ InstanceId: s.instanceId }) },
  DescribeInstanceInformation: { request: () => ({}) },
  DescribeParameters: { request: () => ({}) },
  FailMessage: {
    request: (_f, s) => ({ MessageId: mdsMessageId(s), FailureType: "InternalHandlerException" }),
    perNode: true,
    nodeOnly: true,
    note: "as AcknowledgeMessage",
  },
  GetCalendarState: { request: () => ({ CalendarNames: ["authz-doc"] }) },
  GetDocument: { request: () => ({ Name: "authz-doc" }) },
  GetInventory: { request: () => ({}) },
  GetMessages: {
    request: (_f, s) => ({
      Destination: s.instanceId,
      MessagesRequestId: randomUUID(),
      VisibilityTimeoutInSeconds: 10,
    }),
    perNode: true,
    nodeOnly: true,
  },
  GetParameter: { request: () => ({ Name: "/authz/param", WithDecryption: true }) },
  GetParameterHistory: { request: () => ({ Name: "/authz/param" }) },
  GetParameters: { request: () => ({ Names: ["/authz/param"], WithDecryption: true }) },
  GetParametersByPath: { request: () => ({ Path: "/authz", Recursive: true }) },
  LabelParameterVersion: {
    request: (_f, _s, seq) => ({ Name: "/authz/param", ParameterVersion: 1, Labels: [`l${seq}`] }),
  },
  ListAssociationVersions: { request: (_f, s) => ({ AssociationId: s.associationId }) },
  ListAssociations: {
    request: (_f, s) => ({ AssociationFilterList: [{ key: "InstanceId", value: s.instanceId }] }),
    perNode: true,
  },
  ListComplianceItems: { request: (_f, s) => ({ ResourceIds: [s.instanceId], ResourceTypes: ["ManagedInstance"] }) },
  ListComplianceSummaries: { request: () => ({}) },
  ListDocumentVersions: { request: () => ({ Name: "authz-doc" }) },
  ListDocuments: { request: () => ({ Filters: [{ Key: "Owner", Values: ["Self"] }] }) },
  ListInstanceAssociations: { request: (_f, s) => ({ InstanceId: s.instanceId }), perNode: true },
  ListInventoryEntries: { request: (_f, s) => ({ InstanceId: s.instanceId, TypeName: "Custom:Authz" }) },
  ListResourceComplianceSummaries: { request: () => ({}) },
  ListTagsForResource: { request: (_f, s) => ({ ResourceType: "ManagedInstance", ResourceId: s.instanceId }) },
  ModifyDocumentPermission: {
    request: () => ({ Name: "authz-doc", PermissionType: "Share", AccountIdsToAdd: ["222222222222"] }),
  },
  PutComplianceItems: {
    request: (_f, s, seq) => ({
      ResourceId: s.instanceId,
      ResourceType: "ManagedInstance",
      ComplianceType: "Custom:Authz",
      ExecutionSummary: { ExecutionTime: Date.now() / 1000 },
      Items: [{ Id: `item-${seq}`, Severity: "HIGH", Status: "COMPLIANT" }],
    }),
    perNode: true,
  },
  PutInventory: {
    request: (_f, s, seq) => ({
      InstanceId: s.instanceId,
      Items: [
        {
          TypeName: "Custom:Authz",
          SchemaVersion: "1.0",
          CaptureTime: "2024-01-01T00:00:00Z",
          Content: [{ Run: String(seq) }],
        },
      ],
    }),
    perNode: true,
  },
  PutParameter: { request: (_f, _s, seq) => ({ Name: `/authz/new-${seq}`, Value: "v", Type: "String" }) },
  RegisterManagedInstance: {
    auth: "unsigned",
    request: (f) => ({
      ActivationCode: "0123456789abcdefghij",
      ActivationId: randomUUID(),
      PublicKey: f.agent.publicKey,
      PublicKeyType: "Rsa",
      Fingerprint: randomUUID(),
    }),
    note: "takes no signature: its activation code is the secret, whoever sends it",
  },
  RemoveTagsFromResource: {
    request: (_f, s) => ({ ResourceType: "ManagedInstance", ResourceId: s.instanceId, TagKeys: ["team"] }),
  },
  RequestManagedInstanceRoleToken: { auth: "node-signed", request: (f) => ({ Fingerprint: f.agent.fingerprint }) },
  SendReply: {
    request: (_f, s) => ({ MessageId: mdsMessageId(s), ReplyId: randomUUID(), Payload: "{}" }),
    perNode: true,
    nodeOnly: true,
    note: "as AcknowledgeMessage",
  },
  SendCommand: {
    request: (_f, s) => ({
      DocumentName: "AWS-RunShellScript",
      Parameters: { commands: ["true"] },
      InstanceIds: [s.instanceId],
    }),
  },
  ListCommands: { request: () => ({}) },
  ListCommandInvocations: { request: (_f, s) => ({ InstanceId: s.instanceId, Details: true }) },
  GetCommandInvocation: { request: (_f, s) => ({ CommandId: s.commandId, InstanceId: s.instanceId }) },
  CancelCommand: { request: (_f, s) => ({ CommandId: s.commandId, InstanceIds: [s.instanceId] }) },
  StartAssociationsOnce: { request: (_f, s) => ({ AssociationIds: [s.associationId] }) },
  UpdateAssociation: {
    request: (_f, s, seq) => ({ AssociationId: s.associationId, AssociationName: `authz-${seq}` }),
  },
  UpdateAssociationStatus: {
    request: (_f, s, seq) => ({
      Name: LEGACY_DOCUMENT,
      InstanceId: s.instanceId,
      AssociationStatus: {
        Date: Date.now() / 1000,
        Name: flip("UpdateAssociationStatus") ? "Success" : "Failed",
        Message: `run ${seq}`,
      },
    }),
    perNode: true,
  },
  UpdateDocument: {
    request: (_f, _s, seq) => ({ Name: "authz-doc", Content: commandContent(`v${seq}`), DocumentVersion: "$LATEST" }),
  },
  UpdateDocumentDefaultVersion: { request: () => ({ Name: "authz-doc", DocumentVersion: "1" }) },
  UpdateDocumentMetadata: { request: () => ({ Name: "authz-doc", DocumentReviews: { Action: "SendForReview" } }) },
  UpdateInstanceAssociationStatus: {
    request: (_f, s, seq) => ({
      AssociationId: s.associationId,
      InstanceId: s.instanceId,
      ExecutionResult: {
        Status: flip("UpdateInstanceAssociationStatus") ? "Success" : "Failed",
        ErrorCode: "",
        ExecutionDate: Date.now() / 1000 + seq,
        ExecutionSummary: `run ${seq}`,
      },
    }),
    perNode: true,
  },
  UpdateInstanceInformation: {
    request: (_f, s) => ({ InstanceId: s.instanceId, PlatformType: "Linux", AgentVersion: "3.3.987.0" }),
    perNode: true,
  },
  UpdateManagedInstancePublicKey: {
    auth: "node-signed",
    destructive: true,
    request: () => ({ NewPublicKey: "placeholder", NewPublicKeyType: "Rsa" }),
    note: "the node rotates its own key (adopted when accepted)",
  },
  UpdateManagedInstanceRole: { request: (_f, s) => ({ InstanceId: s.instanceId, IamRole: NODE_ROLE }) },
};

/** The expected outcome of one cell, from the row and the rules in the header. */
function expected(operation: string, row: Row, who: Who): Expect {
  if (row.auth === "unsigned") return "allow";
  if (row.auth === "node-signed") return who === "node" ? "allow" : "unauthenticated";
  switch (who) {
    case "unsigned":
      return "unauthenticated";
    case "account":
      return row.nodeOnly ? "deny" : "allow";
    case "otherAccount":
      return "isolated";
    case "node":
      return NODE_ALLOWED.has(operation) ? "allow" : "deny";
    case "otherNode":
      if (!NODE_ALLOWED.has(operation)) return "deny";
      return row.perNode ? "isolated" : "allow";
  }
}

type Cell = { operation: string; who: Who; expect: Expect; status: number; type?: string; message?: string };
type Outcome = { ok: boolean; unexpectedAllow: boolean; why?: string };

/** Identifiers that must never show up in an answer to a caller isolated from them. */
function secretsOf(f: Fixture, who: Who): string[] {
  if (who === "otherNode") return [f.other.instanceId, f.other.associationId, f.other.spareAssociationId];
  return [
    f.own.instanceId,
    f.other.instanceId,
    f.own.associationId,
    f.other.associationId,
    f.spareActivationId,
    "authz-doc",
    "authz-param-value",
    "authz-executions",
  ];
}

function judge(cell: Cell, answer: Answer, request: string, secrets: string[]): Outcome {
  const type = cell.type;
  const authError = type !== undefined && AUTH_ERRORS.has(type);
  const denied = type === "AccessDeniedException";
  switch (cell.expect) {
    case "allow":
      return authError || denied
        ? { ok: false, unexpectedAllow: false, why: "refused" }
        : { ok: true, unexpectedAllow: false };
    case "deny":
      if (denied) return { ok: true, unexpectedAllow: false };
      return { ok: false, unexpectedAllow: answer.status === 200, why: "not AccessDeniedException" };
    case "unauthenticated":
      // A node-signed operation finds the signer by the instance id in its credential: an access
      // key names no node (InvalidInstanceId, as registration's node-signature check answers it).
      if (authError || type === "InvalidInstanceId") return { ok: true, unexpectedAllow: false };
      return { ok: false, unexpectedAllow: answer.status === 200, why: "not an authentication error" };
    case "isolated": {
      if (authError) return { ok: false, unexpectedAllow: false, why: "unauthenticated" };
      if (answer.status !== 200) return { ok: true, unexpectedAllow: false };
      const body = JSON.stringify(answer.body);
      const leaked = secrets.filter((secret) => body.includes(secret) && !request.includes(secret));
      return leaked.length
        ? { ok: false, unexpectedAllow: true, why: `answer shows ${leaked.join(", ")}` }
        : { ok: true, unexpectedAllow: false };
    }
  }
}

let table: TestTable;
let fixture: Fixture;
let nodeIdentity: Identity;
let otherAccount: Identity;

/** Registers a node with an activation for NODE_ROLE; returns its agent and credentials. */
async function registerNode(): Promise<{ agent: FakeAgent; identity: Identity }> {
  const { ActivationId, ActivationCode } = await call("CreateActivation", { IamRole: NODE_ROLE });
  const agent = new FakeAgent();
  await agent.register(ActivationId, ActivationCode);
  const token = (await agent.roleToken()).body;
  const identity = {
    accessKeyId: token.AccessKeyId as string,
    secretAccessKey: token.SecretAccessKey as string,
    sessionToken: token.SessionToken as string,
  };
  await call(
    "UpdateInstanceInformation",
    { InstanceId: agent.instanceId, PlatformType: "Linux", PlatformName: "Ubuntu", AgentVersion: "3.3.987.0" },
    { identity },
  );
  return { agent, identity };
}

async function subjectOf(instanceId: string): Promise<Subject> {
  const targets = [{ Key: "InstanceIds", Values: [instanceId] }];
  const association = await call("CreateAssociation", { Name: "authz-doc", Targets: targets });
  const spare = await call("CreateAssociation", {
    Name: "AWS-RunShellScript",
    Targets: targets,
    Parameters: { commands: ["true"] },
  });
  // The legacy association UpdateAssociationStatus names by document and node.
  await call("CreateAssociation", { Name: LEGACY_DOCUMENT, InstanceId: instanceId });
  const associationId = association.AssociationDescription.AssociationId as string;
  const { AssociationExecutions } = await call("DescribeAssociationExecutions", { AssociationId: associationId });
  const { Command } = await call("SendCommand", {
    DocumentName: "AWS-RunShellScript",
    Parameters: { commands: ["true"] },
    InstanceIds: [instanceId],
  });
  return {
    instanceId,
    associationId,
    spareAssociationId: spare.AssociationDescription.AssociationId as string,
    executionId: AssociationExecutions[0].ExecutionId as string,
    commandId: Command.CommandId as string,
  };
}

beforeAll(async () => {
  table = await freshTable();
  await table.accounts.createAccount(OTHER_ACCOUNT);
  const key = await table.accounts.createAccessKey(OTHER_ACCOUNT);
  otherAccount = { accessKeyId: key.AccessKeyId, secretAccessKey: key.SecretAccessKey, region: REGION };

  await call("CreateDocument", { Name: "authz-doc", Content: commandContent("authz-executions") });
  await call("CreateDocument", { Name: "authz-spare-doc", Content: commandContent() });
  await call("PutParameter", { Name: "/authz/param", Value: "authz-param-value", Type: "SecureString" });
  for (const name of ["/authz/spare-1", "/authz/spare-2"]) {
    await call("PutParameter", { Name: name, Value: "authz-param-value", Type: "String" });
  }
  const own = await registerNode();
  const other = await registerNode();
  nodeIdentity = own.identity;
  const spareActivation = await call("CreateActivation", { IamRole: NODE_ROLE });
  fixture = {
    own: await subjectOf(own.agent.instanceId as string),
    other: await subjectOf(other.agent.instanceId as string),
    spareActivationId: spareActivation.ActivationId as string,
    agent: own.agent,
  };
  for (const subject of [fixture.own, fixture.other]) {
    await call("AddTagsToResource", { ResourceType: "ManagedInstance", ResourceId: subject.instanceId, Tags: tags });
  }
});

/** Sends one cell's request as `who` would. */
async function send(operation: string, row: Row, who: Who, body: Record<string, unknown>): Promise<Answer> {
  if (row.auth === "node-signed" && (who === "node" || who === "otherNode")) {
    if (operation === "UpdateManagedInstancePublicKey") {
      const pair = fixture.agent.newKeyPair();
      const answer = await invokeEvent(
        operation,
        fixture.agent.signedEvent(
          operation,
          { ...body, NewPublicKey: pair.publicKey },
          who === "otherNode" ? { as: fixture.other.instanceId } : {},
        ),
      );
      if (answer.status === 200) pair.adopt();
      return answer;
    }
    const as = who === "otherNode" ? { as: fixture.other.instanceId } : {};
    return invokeEvent(operation, fixture.agent.signedEvent(operation, body, as));
  }
  if (who === "unsigned") return invoke(operation, body, { unsigned: true });
  const identity = who === "account" ? DEFAULT_IDENTITY : who === "otherAccount" ? otherAccount : nodeIdentity;
  // Signed for the operation's own service: `ec2messages` for the message channel, else `ssm`.
  const text = JSON.stringify(body);
  const headers = await signedHeaders(operation, text, identity, {
    service: signingServiceOf(operation),
    extraHeaders: { "x-amz-target": targetOf(operation) },
  });
  return invokeEvent(operation, proxyEvent(operation, text, headers));
}

/** Every operation in functions/ (a new one without a row fails the test). */
const OPERATIONS = readdirSync(new URL("../../functions/", import.meta.url))
  .filter((file) => file.endsWith(".ts"))
  .map((file) => file.replace(/\.ts$/, ""))
  .sort();

/** AWS's AccessDeniedException for the node's role (shared/auth/node-policy.ts has the sources). */
const refusal = (action: string, resource: string) => ({
  __type: "AccessDeniedException",
  message: `User: arn:aws:sts::${ACCOUNT}:assumed-role/AuthzNodeRole/${fixture.own.instanceId} is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`,
});

/**
 * A node acting for another node in an action its policy allows (`assertMayActFor`): IAM's
 * wording without a policy reason, naming the other node (shared/auth/node-policy.ts
 * notAuthorizedOn). Before: "The credentials of managed node <id> can't be used to act for <id>."
 */
const actingForAnother = (action: string) => ({
  __type: "AccessDeniedException",
  message: `User: arn:aws:sts::${ACCOUNT}:assumed-role/AuthzNodeRole/${fixture.own.instanceId} is not authorized to perform: ${action} on resource: arn:aws:ssm:${REGION}:${ACCOUNT}:managed-instance/${fixture.other.instanceId}`,
});

describe("node credentials are the instance role (AmazonSSMManagedInstanceCore)", () => {
  it("a per-node action for another node: AccessDeniedException in IAM's wording, naming the other node", async () => {
    const other = fixture.other.instanceId;
    const cases: [string, Record<string, unknown>][] = [
      ["UpdateInstanceInformation", { InstanceId: other, AgentVersion: "3.3.0.0" }],
      [
        "PutComplianceItems",
        {
          ResourceId: other,
          ResourceType: "ManagedInstance",
          ComplianceType: "Custom:Authz",
          ExecutionSummary: { ExecutionTime: Date.now() / 1000 },
          Items: [{ Id: "x", Severity: "LOW", Status: "COMPLIANT" }],
        },
      ],
      [
        "PutInventory",
        {
          InstanceId: other,
          Items: [{ TypeName: "AWS:Application", SchemaVersion: "1.1", CaptureTime: "2024-01-01T00:00:00Z" }],
        },
      ],
      ["DescribeAssociation", { Name: LEGACY_DOCUMENT, InstanceId: other }],
    ];
    for (const [operation, request] of cases) {
      const answer = await invoke(operation, request, { identity: nodeIdentity });
      expect(answer.body, operation).toEqual(actingForAnother(`ssm:${operation}`));
    }
  });

  it("CreateActivation: AccessDeniedException naming the activation's role and the node, nothing created", async () => {
    const before = (await call("DescribeActivations", {})).ActivationList.length;
    const answer = await invoke("CreateActivation", { IamRole: "SSMServiceRole" }, { identity: nodeIdentity });
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual(refusal("ssm:CreateActivation", `arn:aws:ssm:${REGION}:${ACCOUNT}:*`));
    expect((await call("DescribeActivations", {})).ActivationList.length).toBe(before);
  });

  it("DeleteAssociation of another node's association: AccessDeniedException naming the association, which stays", async () => {
    const id = fixture.other.spareAssociationId;
    const answer = await invoke("DeleteAssociation", { AssociationId: id }, { identity: nodeIdentity });
    expect(answer.body).toEqual(refusal("ssm:DeleteAssociation", `arn:aws:ssm:${REGION}:${ACCOUNT}:association/${id}`));
    expect((await call("DescribeAssociation", { AssociationId: id })).AssociationDescription.AssociationId).toBe(id);
  });

  it("UpdateAssociationStatus for another node: AccessDeniedException; for its own: allowed", async () => {
    const status = (name: string) => ({ Date: Date.now() / 1000, Name: name, Message: "from the node" });
    const other = { Name: LEGACY_DOCUMENT, InstanceId: fixture.other.instanceId, AssociationStatus: status("Failed") };
    expect((await invoke("UpdateAssociationStatus", other, { identity: nodeIdentity })).body).toEqual(
      actingForAnother("ssm:UpdateAssociationStatus"),
    );
    const own = { Name: LEGACY_DOCUMENT, InstanceId: fixture.own.instanceId, AssociationStatus: status("Failed") };
    const answer = await invoke("UpdateAssociationStatus", own, { identity: nodeIdentity });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  });

  it("another node's association statuses and effective associations: not in the policy, refused even for its own", async () => {
    for (const operation of ["DescribeInstanceAssociationsStatus", "DescribeEffectiveInstanceAssociations"]) {
      for (const subject of [fixture.other, fixture.own]) {
        const answer = await invoke(operation, { InstanceId: subject.instanceId }, { identity: nodeIdentity });
        expect(answer.body).toEqual(
          refusal(`ssm:${operation}`, `arn:aws:ssm:${REGION}:${ACCOUNT}:managed-instance/${subject.instanceId}`),
        );
      }
    }
  });

  it("names a document, a parameter, a tagged resource by their ARNs; a request naming nothing by the Region's", async () => {
    const cases: [string, Record<string, unknown>, string][] = [
      ["UpdateDocument", { Name: "authz-doc", Content: commandContent("x") }, "document/authz-doc"],
      ["DeleteParameter", { Name: "/authz/param" }, "parameter/authz/param"],
      [
        "AddTagsToResource",
        { ResourceType: "ManagedInstance", ResourceId: fixture.own.instanceId, Tags: tags },
        `managed-instance/${fixture.own.instanceId}`,
      ],
      ["DescribeInstanceInformation", {}, "*"],
    ];
    for (const [operation, request, resource] of cases) {
      const arn =
        resource === "*" ? `arn:aws:ssm:${REGION}:${ACCOUNT}:*` : `arn:aws:ssm:${REGION}:${ACCOUNT}:${resource}`;
      expect((await invoke(operation, request, { identity: nodeIdentity })).body).toEqual(
        refusal(`ssm:${operation}`, arn),
      );
    }
  });
});

describe("authorization matrix", () => {
  it("has a row for every operation in functions/", () => {
    expect(OPERATIONS.filter((operation) => !MATRIX[operation])).toEqual([]);
    expect(Object.keys(MATRIX).filter((operation) => !OPERATIONS.includes(operation))).toEqual([]);
  });

  it("every operation × {account, node, other node, other account, unsigned}: 0 unexpected allows", async () => {
    const cells: (Cell & Outcome)[] = [];
    // Destructive operations last, so what they remove is not missed by the others.
    const order = [...OPERATIONS].sort(
      (a, b) => Number(!!MATRIX[a]?.destructive) - Number(!!MATRIX[b]?.destructive) || a.localeCompare(b),
    );
    // DeregisterManagedInstance last of all: the node's credentials end with it.
    order.push(...order.splice(order.indexOf("DeregisterManagedInstance"), 1));
    let seq = 0;
    // One caller at a time, the account last: the rows before it run on an intact fixture.
    for (const who of WHO) {
      const before = who === "otherAccount" ? await table.items() : undefined;
      for (const operation of order) {
        const row = MATRIX[operation] as Row;
        const subject = who === "otherNode" ? fixture.other : fixture.own;
        const body = row.request(fixture, subject, ++seq);
        const answer = await send(operation, row, who, body);
        const cell: Cell = {
          operation,
          who,
          expect: expected(operation, row, who),
          status: answer.status,
          type: answer.body.__type as string | undefined,
          message: answer.body.message as string | undefined,
        };
        cells.push({ ...cell, ...judge(cell, answer, JSON.stringify(body), secretsOf(fixture, who)) });
      }
      if (before) {
        // The other account's row changed nothing of this account's (it may add its own items).
        const after = new Map((await table.items()).map((item) => [`${item.PK}|${item.SK}`, item]));
        const changed = before.filter(
          (item) => JSON.stringify(after.get(`${item.PK}|${item.SK}`)) !== JSON.stringify(item),
        );
        expect(changed.map((item) => `${item.PK}|${item.SK}`)).toEqual([]);
      }
    }
    const wrong = cells.filter((cell) => !cell.ok);
    const unexpectedAllows = cells.filter((cell) => cell.unexpectedAllow);
    const byExpectation = Object.fromEntries(
      (["allow", "deny", "unauthenticated", "isolated"] as Expect[]).map((e) => [
        e,
        cells.filter((c) => c.expect === e).length,
      ]),
    );
    console.log(
      JSON.stringify({
        operations: OPERATIONS.length,
        cells: cells.length,
        byExpectation,
        answered200: cells.filter((c) => c.status === 200).length,
        unexpectedAllows: unexpectedAllows.length,
        mismatches: wrong.length,
      }),
    );
    for (const cell of wrong) console.log(JSON.stringify(cell));
    // Allowed, but refused for what they asked (a document in use, say): listed to keep the requests honest.
    const refusedAllowed = cells.filter((c) => c.expect === "allow" && c.status !== 200);
    console.log(JSON.stringify(refusedAllowed.map((c) => `${c.who} ${c.operation}: ${c.type}`)));
    expect(cells.length).toBe(OPERATIONS.length * WHO.length);
    expect(unexpectedAllows.map((c) => `${c.who} ${c.operation}: ${c.status} ${c.type ?? ""} ${c.why}`)).toEqual([]);
    expect(wrong.map((c) => `${c.who} ${c.operation}: expected ${c.expect}, got ${c.status} ${c.type ?? ""}`)).toEqual(
      [],
    );
  }, 120_000);
});
