/**
 * The DynamoDB calls of every operation, counted at the wire (a middleware on the service's own
 * DynamoDB client records each command), in one scenario that runs each operation once in a
 * typical case. docs/dynamodb-calls.md ("DynamoDB calls per operation") is this table; a change in any
 * operation's calls fails here until both agree.
 *
 * Every request also authenticates: one read per access key (or node session) per cold cache,
 * which a warm-up request with the same identity takes before each counted step.
 */
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { FakeAgent } from "../support/agent.ts";
import { type CallMeter, meterCalls, withoutAuditRecord } from "../support/call-meter.ts";
import { commandContent } from "../support/fixtures.ts";
import { type Identity, signedHeaders } from "../support/identity.ts";
import { type Answer, call, invoke, invokeEvent, proxyEvent } from "../support/invoke.ts";
import { replyPayload } from "../support/run-command-agent.ts";
import { freshTable } from "../support/table.ts";

let meter: CallMeter;
const DOC = "counted-doc";
const PARAM = "/counted/param";
let agent: FakeAgent;
let node: Identity;
let nodeId: string;
const state: Record<string, string> = {};

/** ec2messages: the agent's message channel, signed for its own service with node credentials. */
async function mds(operation: string, request: unknown): Promise<Answer> {
  const body = JSON.stringify(request);
  const headers = await signedHeaders(operation, body, node, {
    service: "ec2messages",
    extraHeaders: { "x-amz-target": `EC2WindowsMessageDeliveryService.${operation}` },
  });
  return invokeEvent(operation, proxyEvent(operation, body, headers));
}

type Step = {
  operation: string;
  /** What the count covers, as docs/dynamodb-calls.md's table says it. */
  send: () => Promise<Answer>;
  /** Calls a warm-up makes first with the same identity (credentials cached), not counted. */
  warm?: () => Promise<unknown>;
  /** Kept for a later step. */
  keep?: (answer: Answer) => void;
};

const asNode = { identity: () => node };
const warmAccount = () => invoke("ListDocuments", { MaxResults: 1 });
const warmNode = () => invoke("DescribeDocument", { Name: "AWS-RunShellScript" }, { identity: asNode.identity() });

/** The scenario, in order: each operation once, in a typical case. */
const steps: Step[] = [
  { operation: "CreateDocument", send: () => invoke("CreateDocument", { Name: DOC, Content: commandContent("1") }) },
  { operation: "DescribeDocument", send: () => invoke("DescribeDocument", { Name: DOC }) },
  { operation: "GetDocument", send: () => invoke("GetDocument", { Name: DOC }) },
  {
    operation: "UpdateDocument",
    send: () => invoke("UpdateDocument", { Name: DOC, Content: commandContent("2"), DocumentVersion: "$LATEST" }),
  },
  { operation: "ListDocuments", send: () => invoke("ListDocuments", {}) },
  { operation: "ListDocumentVersions", send: () => invoke("ListDocumentVersions", { Name: DOC }) },
  {
    operation: "UpdateDocumentDefaultVersion",
    send: () => invoke("UpdateDocumentDefaultVersion", { Name: DOC, DocumentVersion: "2" }),
  },
  {
    // Refused after its reads (no Change Manager): the count is of those reads.
    operation: "UpdateDocumentMetadata",
    send: () =>
      invoke("UpdateDocumentMetadata", { Name: DOC, DocumentReviews: { Action: "SendForReview", Comment: [] } }),
  },
  {
    operation: "GetCalendarState",
    warm: () =>
      call("CreateDocument", {
        Name: "counted-calendar",
        Content: "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nX-CALENDAR-TYPE:DEFAULT_OPEN\r\nEND:VCALENDAR\r\n",
        DocumentType: "ChangeCalendar",
        DocumentFormat: "TEXT",
      }),
    send: () => invoke("GetCalendarState", { CalendarNames: ["counted-calendar"] }),
  },
  {
    operation: "ModifyDocumentPermission",
    send: () =>
      invoke("ModifyDocumentPermission", { Name: DOC, PermissionType: "Share", AccountIdsToAdd: ["111122223333"] }),
  },
  {
    operation: "DescribeDocumentPermission",
    send: () => invoke("DescribeDocumentPermission", { Name: DOC, PermissionType: "Share" }),
  },
  {
    operation: "AddTagsToResource",
    send: () =>
      invoke("AddTagsToResource", { ResourceType: "Document", ResourceId: DOC, Tags: [{ Key: "a", Value: "b" }] }),
  },
  {
    operation: "ListTagsForResource",
    send: () => invoke("ListTagsForResource", { ResourceType: "Document", ResourceId: DOC }),
  },
  {
    operation: "RemoveTagsFromResource",
    send: () => invoke("RemoveTagsFromResource", { ResourceType: "Document", ResourceId: DOC, TagKeys: ["a"] }),
  },
  {
    operation: "CreateActivation",
    send: () => invoke("CreateActivation", { IamRole: "SSMServiceRole", RegistrationLimit: 5 }),
    keep: (answer) => {
      state.activationId = answer.body.ActivationId as string;
      state.activationCode = answer.body.ActivationCode as string;
    },
  },
  { operation: "DescribeActivations", send: () => invoke("DescribeActivations", {}) },
  {
    operation: "RegisterManagedInstance",
    warm: async () => {
      agent = new FakeAgent();
    },
    send: () => agent.register(state.activationId as string, state.activationCode as string),
  },
  {
    operation: "RequestManagedInstanceRoleToken",
    send: () => agent.roleToken(),
    keep: (answer) => {
      nodeId = agent.instanceId as string;
      node = {
        accessKeyId: answer.body.AccessKeyId as string,
        secretAccessKey: answer.body.SecretAccessKey as string,
        sessionToken: answer.body.SessionToken as string,
      };
    },
  },
  {
    operation: "UpdateInstanceInformation",
    warm: warmNode,
    send: () =>
      invoke(
        "UpdateInstanceInformation",
        { InstanceId: nodeId, PlatformType: "Linux", PlatformName: "Ubuntu", AgentVersion: "3.3.987.0" },
        { identity: node },
      ),
  },
  {
    operation: "UpdateManagedInstancePublicKey",
    send: async () => {
      const next = agent.newKeyPair();
      const event = agent.signedEvent("UpdateManagedInstancePublicKey", {
        NewPublicKey: next.publicKey,
        NewPublicKeyType: "Rsa",
      });
      const answer = await invokeEvent("UpdateManagedInstancePublicKey", event);
      next.adopt();
      return answer;
    },
  },
  {
    operation: "DescribeInstanceInformation",
    send: () => invoke("DescribeInstanceInformation", { Filters: [{ Key: "InstanceIds", Values: [nodeId] }] }),
  },
  {
    operation: "UpdateManagedInstanceRole",
    send: () => invoke("UpdateManagedInstanceRole", { InstanceId: nodeId, IamRole: "SSMServiceRole" }),
  },
  {
    operation: "CreateAssociation",
    send: () => invoke("CreateAssociation", { Name: DOC, Targets: [{ Key: "InstanceIds", Values: [nodeId] }] }),
    keep: (answer) => {
      state.associationId = (answer.body.AssociationDescription as { AssociationId: string }).AssociationId;
    },
  },
  {
    operation: "CreateAssociationBatch",
    send: () =>
      invoke("CreateAssociationBatch", {
        Entries: [{ Name: "AWS-UpdateSSMAgent", InstanceId: nodeId }],
      }),
  },
  {
    operation: "DescribeAssociation",
    send: () => invoke("DescribeAssociation", { AssociationId: state.associationId }),
  },
  { operation: "ListAssociations", send: () => invoke("ListAssociations", {}) },
  {
    operation: "UpdateAssociation",
    send: () => invoke("UpdateAssociation", { AssociationId: state.associationId, AssociationName: "renamed" }),
  },
  {
    operation: "ListAssociationVersions",
    send: () => invoke("ListAssociationVersions", { AssociationId: state.associationId }),
  },
  {
    operation: "UpdateAssociationStatus",
    send: () =>
      invoke("UpdateAssociationStatus", {
        Name: "AWS-UpdateSSMAgent",
        InstanceId: nodeId,
        AssociationStatus: { Date: 1795600000, Name: "Success", Message: "ok" },
      }),
  },
  {
    operation: "StartAssociationsOnce",
    send: () => invoke("StartAssociationsOnce", { AssociationIds: [state.associationId] }),
  },
  {
    operation: "DescribeAssociationExecutions",
    send: () => invoke("DescribeAssociationExecutions", { AssociationId: state.associationId }),
    keep: (answer) => {
      const [run] = answer.body.AssociationExecutions as { ExecutionId: string }[];
      state.executionId = run?.ExecutionId as string;
    },
  },
  {
    operation: "DescribeAssociationExecutionTargets",
    send: () =>
      invoke("DescribeAssociationExecutionTargets", {
        AssociationId: state.associationId,
        ExecutionId: state.executionId,
      }),
  },
  {
    operation: "ListInstanceAssociations",
    warm: warmNode,
    send: () => invoke("ListInstanceAssociations", { InstanceId: nodeId }, { identity: node }),
  },
  {
    operation: "UpdateInstanceAssociationStatus",
    warm: warmNode,
    send: () =>
      invoke(
        "UpdateInstanceAssociationStatus",
        {
          AssociationId: state.associationId,
          InstanceId: nodeId,
          ExecutionResult: { Status: "Success", ExecutionDate: 1795600000 },
        },
        { identity: node },
      ),
  },
  {
    operation: "DescribeEffectiveInstanceAssociations",
    send: () => invoke("DescribeEffectiveInstanceAssociations", { InstanceId: nodeId }),
  },
  {
    operation: "DescribeInstanceAssociationsStatus",
    send: () => invoke("DescribeInstanceAssociationsStatus", { InstanceId: nodeId }),
  },
  {
    operation: "PutComplianceItems",
    send: () =>
      invoke("PutComplianceItems", {
        ResourceId: nodeId,
        ResourceType: "ManagedInstance",
        ComplianceType: "Custom:Counted",
        ExecutionSummary: { ExecutionTime: 1795600000 },
        Items: [{ Id: "one", Severity: "LOW", Status: "COMPLIANT" }],
      }),
  },
  { operation: "ListComplianceItems", send: () => invoke("ListComplianceItems", { ResourceIds: [nodeId] }) },
  { operation: "ListComplianceSummaries", send: () => invoke("ListComplianceSummaries", {}) },
  { operation: "ListResourceComplianceSummaries", send: () => invoke("ListResourceComplianceSummaries", {}) },
  {
    operation: "PutInventory",
    warm: warmNode,
    send: () =>
      invoke(
        "PutInventory",
        {
          InstanceId: nodeId,
          Items: [
            {
              TypeName: "AWS:Application",
              SchemaVersion: "1.1",
              CaptureTime: "2026-11-25T12:00:00Z",
              Content: [{ Name: "curl", Version: "8.5.0" }],
            },
          ],
        },
        { identity: node },
      ),
  },
  {
    operation: "ListInventoryEntries",
    send: () => invoke("ListInventoryEntries", { InstanceId: nodeId, TypeName: "AWS:Application" }),
  },
  { operation: "GetInventory", send: () => invoke("GetInventory", {}) },
  { operation: "PutParameter", send: () => invoke("PutParameter", { Name: PARAM, Value: "v1", Type: "String" }) },
  { operation: "GetParameter", send: () => invoke("GetParameter", { Name: PARAM }) },
  { operation: "GetParameters", send: () => invoke("GetParameters", { Names: [PARAM, "/counted/missing"] }) },
  { operation: "GetParametersByPath", send: () => invoke("GetParametersByPath", { Path: "/counted" }) },
  { operation: "DescribeParameters", send: () => invoke("DescribeParameters", {}) },
  { operation: "GetParameterHistory", send: () => invoke("GetParameterHistory", { Name: PARAM }) },
  {
    operation: "LabelParameterVersion",
    send: () => invoke("LabelParameterVersion", { Name: PARAM, Labels: ["prod"] }),
  },
  { operation: "DeleteParameter", send: () => invoke("DeleteParameter", { Name: PARAM }) },
  {
    operation: "DeleteParameters",
    warm: () => call("PutParameter", { Name: PARAM, Value: "v1", Type: "String" }),
    send: () => invoke("DeleteParameters", { Names: [PARAM, "/counted/missing"] }),
  },
  {
    operation: "SendCommand",
    send: () =>
      invoke("SendCommand", {
        DocumentName: "AWS-RunShellScript",
        Parameters: { commands: ["true"] },
        InstanceIds: [nodeId],
      }),
    keep: (answer) => {
      state.commandId = (answer.body.Command as { CommandId: string }).CommandId;
    },
  },
  {
    operation: "GetMessages",
    warm: warmNode,
    send: () => mds("GetMessages", { Destination: nodeId, MessagesRequestId: randomUUID() }),
  },
  { operation: "AcknowledgeMessage", send: () => mds("AcknowledgeMessage", { MessageId: commandMessage() }) },
  {
    // The agent's final reply of a one-plugin document (test/support/run-command-agent.ts).
    operation: "SendReply",
    send: () =>
      mds("SendReply", {
        MessageId: commandMessage(),
        Payload: replyPayload(
          "Success",
          {
            "aws:runShellScript": {
              status: "Success",
              code: 0,
              name: "aws:runShellScript",
              output: "ok",
              standardOutput: "ok",
              standardError: "",
            },
          },
          null,
        ),
        ReplyId: randomUUID(),
      }),
  },
  { operation: "ListCommands", send: () => invoke("ListCommands", { CommandId: state.commandId }) },
  {
    operation: "ListCommandInvocations",
    send: () => invoke("ListCommandInvocations", { CommandId: state.commandId, Details: true }),
  },
  {
    operation: "GetCommandInvocation",
    send: () => invoke("GetCommandInvocation", { CommandId: state.commandId, InstanceId: nodeId }),
  },
  {
    operation: "FailMessage",
    send: () => mds("FailMessage", { MessageId: messageId(), FailureType: "InternalHandlerException" }),
  },
  { operation: "DeleteMessage", send: () => mds("DeleteMessage", { MessageId: messageId() }) },
  { operation: "CancelCommand", send: () => invoke("CancelCommand", { CommandId: state.commandId }) },
  { operation: "DeleteAssociation", send: () => invoke("DeleteAssociation", { AssociationId: state.associationId }) },
  { operation: "DeleteActivation", send: () => invoke("DeleteActivation", { ActivationId: state.activationId }) },
  {
    operation: "DeleteDocument",
    // Unshared first: a shared document can't be deleted.
    warm: () =>
      call("ModifyDocumentPermission", { Name: DOC, PermissionType: "Share", AccountIdsToRemove: ["111122223333"] }),
    send: () => invoke("DeleteDocument", { Name: DOC }),
  },
  { operation: "DeregisterManagedInstance", send: () => invoke("DeregisterManagedInstance", { InstanceId: nodeId }) },
];

const messageId = () => `aws.ssm.${randomUUID()}.${nodeId}`;
const commandMessage = () => `aws.ssm.${state.commandId}.${nodeId}`;

/**
 * DynamoDB calls per operation in the scenario, without the `Command` suffix. Kept in step with
 * docs/dynamodb-calls.md ("DynamoDB calls per operation").
 */
const EXPECTED: Record<string, string[]> = {
  CreateDocument: ["TransactWriteItems"],
  DescribeDocument: ["BatchGetItem"],
  GetDocument: ["BatchGetItem"],
  UpdateDocument: ["GetItem", "TransactWriteItems"],
  ListDocuments: ["Query", "Query", "Query"],
  ListDocumentVersions: ["GetItem", "Query"],
  UpdateDocumentDefaultVersion: ["BatchGetItem", "TransactWriteItems"],
  UpdateDocumentMetadata: ["BatchGetItem"],
  GetCalendarState: ["BatchGetItem"],
  ModifyDocumentPermission: ["GetItem", "BatchGetItem", "TransactWriteItems"],
  DescribeDocumentPermission: ["GetItem", "Query"],
  AddTagsToResource: ["GetItem", "UpdateItem"],
  ListTagsForResource: ["GetItem"],
  RemoveTagsFromResource: ["GetItem", "UpdateItem"],
  CreateActivation: ["PutItem"],
  DescribeActivations: ["Query"],
  RegisterManagedInstance: ["GetItem", "TransactWriteItems"],
  RequestManagedInstanceRoleToken: ["GetItem", "PutItem"],
  UpdateInstanceInformation: ["UpdateItem"],
  UpdateManagedInstancePublicKey: ["GetItem", "UpdateItem"],
  DescribeInstanceInformation: ["Query", "BatchGetItem"],
  UpdateManagedInstanceRole: ["TransactWriteItems"],
  // The run is pushed (issue 28) in the create's transaction: the first wave released, the run's
  // command (head, payload, counts, invocations) and the messages (store/execution-items.ts runPuts).
  CreateAssociation: ["BatchGetItem", "TransactWriteItems"],
  CreateAssociationBatch: ["BatchGetItem", "TransactWriteItems"],
  // The head(s), then the current runs with their counter shards (issue 26), one batch.
  DescribeAssociation: ["GetItem", "BatchGetItem"],
  ListAssociations: ["Query", "BatchGetItem"],
  // Every update runs at once unless ApplyOnlyAtCronInterval (issue 29, the API reference's
  // Important note), a rename too; and a run created is pushed (issue 28) in its transaction.
  UpdateAssociation: ["GetItem", "BatchGetItem", "TransactWriteItems"],
  ListAssociationVersions: ["GetItem", "Query"],
  UpdateAssociationStatus: ["BatchGetItem", "TransactWriteItems"],
  StartAssociationsOnce: ["GetItem", "BatchGetItem", "TransactWriteItems"],
  // The head (which run is current: a polled run ends once replaced) with the runs, then their shards.
  DescribeAssociationExecutions: ["GetItem", "Query", "BatchGetItem"],
  // The run and its shards and the head at once (GetItem, Query, GetItem), then its targets.
  DescribeAssociationExecutionTargets: ["GetItem", "Query", "GetItem", "Query"],
  // Round trips: the node with the index under its id and `*` and its statuses; the heads; the
  // run targets and the documents (two batches at once); the release (test/associations/node-view-round-trips.test.ts:
  // the same for 40 associations).
  ListInstanceAssociations: [
    "Query",
    "Query",
    "Query",
    "BatchGetItem",
    "BatchGetItem",
    "BatchGetItem",
    "BatchGetItem",
    "TransactWriteItems",
  ],
  // At once the head, the node's last status and the node; then the run and the node's target in it.
  UpdateInstanceAssociationStatus: [
    "GetItem",
    "GetItem",
    "BatchGetItem",
    "BatchGetItem",
    "TransactWriteItems",
    "Query",
    "PutItem",
  ],
  DescribeEffectiveInstanceAssociations: ["Query", "Query", "BatchGetItem", "BatchGetItem", "BatchGetItem"],
  DescribeInstanceAssociationsStatus: ["Query", "BatchGetItem"],
  PutComplianceItems: ["BatchGetItem", "Query", "PutItem"],
  ListComplianceItems: ["Query"],
  ListComplianceSummaries: ["Query"],
  ListResourceComplianceSummaries: ["Query"],
  PutInventory: ["GetItem", "Query", "TransactWriteItems"],
  ListInventoryEntries: ["GetItem"],
  // AWS:InstanceInformation of every managed node: a page of nodes, then what they uploaded of it (issue 29).
  GetInventory: ["Query", "BatchGetItem"],
  PutParameter: ["TransactWriteItems"],
  GetParameter: ["BatchGetItem"],
  GetParameters: ["BatchGetItem"],
  GetParametersByPath: ["Query"],
  DescribeParameters: ["Query"],
  GetParameterHistory: ["BatchGetItem", "Query"],
  LabelParameterVersion: ["BatchGetItem", "TransactWriteItems"],
  DeleteParameter: ["BatchGetItem", "TransactWriteItems", "Query", "BatchWriteItem"],
  DeleteParameters: ["BatchGetItem", "TransactWriteItems", "Query", "BatchWriteItem"],
  // Run Command: the named node (the AWS-owned document is code); the payload, counts and
  // invocation in one batch; the head; the message in the node's queue.
  SendCommand: ["BatchGetItem", "BatchWriteItem", "PutItem", "BatchWriteItem"],
  // The node's queue (one query), then each visible message claimed, all at once: a pushed
  // association run's message (issue 28) in a transaction that also checks its run has not
  // stopped on MaxErrors; the command's message with one conditional update.
  // The queue holds two pushed runs' messages (StartAssociationsOnce's and UpdateAssociation's:
  // every update runs, issue 29) and the command's: a transaction each for the runs' messages.
  GetMessages: ["Query", "TransactWriteItems", "TransactWriteItems", "UpdateItem"],
  // Off the queue and the invocation read at once; then InProgress with its count (when no
  // reply moved it first: the agent replies before it acknowledges).
  AcknowledgeMessage: ["DeleteItem", "GetItem", "TransactWriteItems"],
  // Off the queue and the invocation read at once; then its plugin's output and its final state.
  SendReply: ["DeleteItem", "GetItem", "UpdateItem", "TransactWriteItems"],
  ListCommands: ["BatchGetItem"],
  ListCommandInvocations: ["Query", "BatchGetItem", "Query"],
  GetCommandInvocation: ["Query", "BatchGetItem"],
  FailMessage: ["DeleteItem", "GetItem"],
  DeleteMessage: ["DeleteItem"],
  CancelCommand: ["UpdateItem", "Query"],
  // Crash-safe (issue 15): the head, what it owns (its partition, then each run's targets: the
  // create's, the update's and StartAssociationsOnce's), and one transaction that deletes it all
  // while it fits 100 items.
  DeleteAssociation: ["GetItem", "Query", "Query", "Query", "Query", "TransactWriteItems"],
  DeleteActivation: ["DeleteItem"],
  DeleteDocument: ["Query", "TransactWriteItems"],
  DeregisterManagedInstance: ["GetItem", "TransactWriteItems"],
};

/**
 * A node's own routine calls in the scenario (node credentials, or its key): the audit trail
 * counts them in memory and writes nothing for each (shared/domain/audit/audit.ts).
 */
const NODE_ROUTINE = new Set([
  "UpdateInstanceInformation",
  "RequestManagedInstanceRoleToken",
  "UpdateInstanceAssociationStatus",
  "PutInventory",
  "AcknowledgeMessage",
  "FailMessage",
  "DeleteMessage",
  "SendReply",
]);

/**
 * Every other mutating request, successful or refused, ends with its audit record: one PutItem,
 * in a round trip of its own once the answer is known. docs/dynamodb-calls.md's tables give an operation's own
 * calls and say the audit's once, so the record is counted apart here, and must be there.
 */
const audited = (operation: string) => !/^(Get|Describe|List)/.test(operation) && !NODE_ROUTINE.has(operation);

const counted: Record<string, { status: number; commands: string[]; roundTrips: number }> = {};

/** docs/dynamodb-calls.md's "in order" column: runs of one command as `2× Query`. */
function inOrder(commands: string[]): string {
  const runs: [string, number][] = [];
  for (const command of commands) {
    const last = runs.at(-1);
    if (last && last[0] === command) last[1] += 1;
    else runs.push([command, 1]);
  }
  return runs.map(([command, n]) => (n === 1 ? command : `${n}× ${command}`)).join(", ") || "none";
}

beforeAll(async () => {
  meter = meterCalls((await freshTable()).db);
  for (const step of steps) {
    await warmAccount();
    await step.warm?.();
    meter.reset();
    const answer = await step.send();
    const { commands, audited: written } = withoutAuditRecord(meter.calls);
    if (written !== audited(step.operation)) {
      throw new Error(`${step.operation}: ${written ? "an audit record it should not have" : "no audit record"}`);
    }
    // The operation's own calls and round trips; the audit's PutItem is a round trip of its own.
    counted[step.operation] = { status: answer.status, commands, roundTrips: meter.roundTrips - (written ? 1 : 0) };
    step.keep?.(answer);
  }
  if (process.env.PRINT_CALL_COUNTS) {
    for (const [operation, { status, commands, roundTrips: trips }] of Object.entries(counted)) {
      console.log(`COUNT ${operation} ${status} ${JSON.stringify(commands)} ${trips} round trips`);
    }
  }
}, 120_000);

describe("DynamoDB calls of every operation (docs/dynamodb-calls.md)", () => {
  it("covers every operation of functions/", async () => {
    const { readdirSync } = await import("node:fs");
    const operations = readdirSync(new URL("../../functions/", import.meta.url))
      .filter((file) => file.endsWith(".ts"))
      .map((file) => file.replace(/\.ts$/, ""));
    expect(steps.map((step) => step.operation).sort()).toEqual(operations.sort());
  });

  it("docs/dynamodb-calls.md's table says the same", async () => {
    const { readFileSync } = await import("node:fs");
    const page = readFileSync(new URL("../../docs/dynamodb-calls.md", import.meta.url), "utf8");
    const section = page.slice(page.indexOf("## DynamoDB calls per operation"));
    const rows = new Map(
      [...section.matchAll(/^\| `(\w+)` \| (\d+) \| ([^|]+) \|/gm)].map((row) => [
        row[1],
        [Number(row[2]), row[3]?.trim()],
      ]),
    );
    for (const [operation, commands] of Object.entries(EXPECTED)) {
      expect(rows.get(operation), operation).toEqual([commands.length, inOrder(commands)]);
    }
  });

  it("DescribeDocument and GetDocument of a numbered version, $LATEST, a version name", async () => {
    const count = async (operation: string, request: unknown) => {
      await warmAccount();
      meter.reset();
      expect((await invoke(operation, request)).status).toBe(200);
      return [...meter.calls];
    };
    await call("CreateDocument", { Name: "versions-counted", Content: commandContent("1") });
    await call("UpdateDocument", { Name: "versions-counted", Content: commandContent("2"), VersionName: "two" });
    // The head and version 1 (a number: its key is known) in one batch.
    expect(await count("GetDocument", { Name: "versions-counted", DocumentVersion: "1" })).toEqual(["BatchGetItem"]);
    // $LATEST is version 2 while the default is 1: the head with the default's copy, then version 2.
    expect(await count("DescribeDocument", { Name: "versions-counted", DocumentVersion: "$LATEST" })).toEqual([
      "BatchGetItem",
      "GetItem",
    ]);
    await call("UpdateDocumentDefaultVersion", { Name: "versions-counted", DocumentVersion: "2" });
    // Now the latest is the default: one batch.
    expect(await count("GetDocument", { Name: "versions-counted", DocumentVersion: "$LATEST" })).toEqual([
      "BatchGetItem",
    ]);
    expect((await call("GetDocument", { Name: "versions-counted" })).Content).toBe(commandContent("2"));
    // A version name: the head, the name's pointer, the version.
    expect(await count("DescribeDocument", { Name: "versions-counted", VersionName: "two" })).toEqual([
      "GetItem",
      "GetItem",
      "GetItem",
    ]);
  });

  // docs/dynamodb-calls.md's round trips per benchmarked operation (npm run bench's "fewest" column reads
  // them, bench/lib/goals.ts) hold here: no operation takes more. At most, not exactly: two
  // dependent round trips may overlap at the wire when the second starts before the first's
  // last call is answered.
  it("docs/dynamodb-calls.md's round trips of the benchmarked operations hold", async () => {
    const { readFileSync } = await import("node:fs");
    const { DYNAMODB_CALLS_PAGE, roundTripsOf } = await import("../../bench/lib/goals.ts");
    const table = roundTripsOf(readFileSync(DYNAMODB_CALLS_PAGE, "utf8"));
    expect(Object.keys(table).length).toBeGreaterThanOrEqual(10);
    for (const [operation, { trips }] of Object.entries(table)) {
      expect(counted[operation]?.status, operation).toBe(200);
      expect(counted[operation]?.roundTrips, operation).toBeLessThanOrEqual(trips);
    }
  });

  // Issue 13's goal: asking for one node by id is one round trip (the node and its association
  // statuses are read at once).
  it("DescribeInstanceInformation by one id: one round trip", () => {
    expect(counted.DescribeInstanceInformation?.roundTrips).toBe(1);
  });

  // Issue 13's goal: one read round trip and one write (the document, the node and the legacy
  // pair's copy of the head in one batch; shared/store/legacy-copy.ts).
  it("UpdateAssociationStatus: one read round trip and one write", () => {
    expect(counted.UpdateAssociationStatus?.roundTrips).toBe(2);
    expect(counted.UpdateAssociationStatus?.status).toBe(200);
  });

  for (const step of steps) {
    it(step.operation, () => {
      const result = counted[step.operation];
      expect(result?.commands).toEqual(EXPECTED[step.operation]);
    });
  }
});
