/**
 * ListCommands, ListCommandInvocations, GetCommandInvocation and CancelCommand through the real
 * handlers: which commands and invocations each names, filters, paging, and their errors. How
 * statuses move with the agent's replies is in run-command.test.ts.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { call, fails } from "../support/invoke.ts";
import { ManagedNode } from "../support/managed-node.ts";
import { freshTable } from "../support/table.ts";

let nodes: ManagedNode[];
const sent: string[] = [];
/** The command sent to the third node only. */
let toThird: string;

const send = async (instanceIds: string[], extra: Record<string, unknown> = {}) => {
  const { Command } = await call("SendCommand", {
    DocumentName: "AWS-RunShellScript",
    Parameters: { commands: ["true"] },
    InstanceIds: instanceIds,
    ...extra,
  });
  sent.unshift(Command.CommandId);
  return Command.CommandId as string;
};

beforeAll(async () => {
  await freshTable();
  nodes = await Promise.all([ManagedNode.register(), ManagedNode.register(), ManagedNode.register()]);
  const [a, b, c] = nodes.map((node) => node.id) as [string, string, string];
  await send([a, b]);
  toThird = await send([c], { DocumentName: "AWS-RunPowerShellScript" });
  await send([a, c]);
});

const ids = (commands: { CommandId: string }[]) => commands.map((command) => command.CommandId);

describe("ListCommands", () => {
  it("lists the account's commands newest first, paged", async () => {
    expect(ids((await call("ListCommands", {})).Commands)).toEqual(sent);
    const first = await call("ListCommands", { MaxResults: 2 });
    expect(ids(first.Commands)).toEqual(sent.slice(0, 2));
    const second = await call("ListCommands", { MaxResults: 2, NextToken: first.NextToken });
    expect(ids(second.Commands)).toEqual(sent.slice(2));
    expect(second.NextToken).toBeUndefined();
  });

  it("by CommandId, and by InstanceId (the commands sent to that node)", async () => {
    expect(ids((await call("ListCommands", { CommandId: sent[1] })).Commands)).toEqual([sent[1]]);
    const [a] = nodes as [ManagedNode];
    expect(ids((await call("ListCommands", { InstanceId: a.id })).Commands)).toEqual([sent[0], sent[2]]);
  });

  it("filters: DocumentName, Status, ExecutionStage, InvokedAfter and InvokedBefore (published example 2's form)", async () => {
    expect(
      ids(
        (await call("ListCommands", { Filters: [{ key: "DocumentName", value: "AWS-RunPowerShellScript" }] })).Commands,
      ),
    ).toEqual([sent[1]]);
    expect(ids((await call("ListCommands", { Filters: [{ key: "Status", value: "Pending" }] })).Commands)).toEqual(
      sent,
    );
    expect((await call("ListCommands", { Filters: [{ key: "Status", value: "Success" }] })).Commands).toEqual([]);
    expect(
      ids((await call("ListCommands", { Filters: [{ key: "ExecutionStage", value: "Executing" }] })).Commands),
    ).toEqual(sent);
    expect(
      ids((await call("ListCommands", { Filters: [{ key: "InvokedAfter", value: "2020-02-01T00:00:00Z" }] })).Commands),
    ).toEqual(sent);
    expect(
      (await call("ListCommands", { Filters: [{ key: "InvokedBefore", value: "2020-02-01T00:00:00Z" }] })).Commands,
    ).toEqual([]);
  });

  it("refuses an unknown command, a bad filter value and a bad token", async () => {
    expect((await fails("ListCommands", { CommandId: "00000000-0000-7000-8000-000000000000" })).type).toBe(
      "InvalidCommandId",
    );
    expect((await fails("ListCommands", { Filters: [{ key: "Status", value: "Sleeping" }] })).type).toBe(
      "InvalidFilterKey",
    );
    expect((await fails("ListCommands", { Filters: [{ key: "Nope", value: "x" }] })).type).toBe("ValidationException");
    expect((await fails("ListCommands", { NextToken: "garbage" })).type).toBe("InvalidNextToken");
  });
});

describe("ListCommandInvocations", () => {
  it("a command's invocations in node order, paged; with a node, its one", async () => {
    const [a, b] = nodes as [ManagedNode, ManagedNode];
    const { CommandInvocations } = await call("ListCommandInvocations", { CommandId: sent[2] });
    expect(CommandInvocations.map((i: { InstanceId: string }) => i.InstanceId)).toEqual([a.id, b.id].sort());
    expect(CommandInvocations[0]).toMatchObject({
      CommandId: sent[2],
      Status: "Pending",
      StatusDetails: "Pending",
      DocumentName: "AWS-RunShellScript",
      CommandPlugins: [],
      StandardOutputUrl: "",
    });
    const first = await call("ListCommandInvocations", { CommandId: sent[2], MaxResults: 1 });
    const second = await call("ListCommandInvocations", {
      CommandId: sent[2],
      MaxResults: 1,
      NextToken: first.NextToken,
    });
    expect([...first.CommandInvocations, ...second.CommandInvocations].map((i) => i.InstanceId)).toEqual(
      [a.id, b.id].sort(),
    );
    const one = await call("ListCommandInvocations", { CommandId: sent[2], InstanceId: b.id });
    expect(one.CommandInvocations.map((i: { InstanceId: string }) => i.InstanceId)).toEqual([b.id]);
  });

  it("with Details, each plugin of the document, Pending, ResponseCode -1", async () => {
    const { CommandInvocations } = await call("ListCommandInvocations", { CommandId: sent[0], Details: true });
    expect(CommandInvocations[0].CommandPlugins).toEqual([
      {
        Name: "aws:runShellScript",
        Status: "Pending",
        StatusDetails: "Pending",
        ResponseCode: -1,
        Output: "",
        StandardOutputUrl: "",
        StandardErrorUrl: "",
        OutputS3Region: "us-east-1",
        OutputS3BucketName: "",
        OutputS3KeyPrefix: "",
      },
    ]);
  });

  it("a node's invocations newest command first; every invocation of the account; an unknown command has none", async () => {
    const [a] = nodes as [ManagedNode];
    const byNode = await call("ListCommandInvocations", { InstanceId: a.id });
    expect(byNode.CommandInvocations.map((i: { CommandId: string }) => i.CommandId)).toEqual([sent[0], sent[2]]);
    const all = await call("ListCommandInvocations", {});
    expect(all.CommandInvocations).toHaveLength(5);
    const paged: string[] = [];
    let token: string | undefined;
    do {
      const page = await call("ListCommandInvocations", { MaxResults: 2, NextToken: token });
      paged.push(
        ...page.CommandInvocations.map(
          (i: { CommandId: string; InstanceId: string }) => `${i.CommandId}/${i.InstanceId}`,
        ),
      );
      token = page.NextToken;
    } while (token);
    expect(paged).toEqual(
      all.CommandInvocations.map((i: { CommandId: string; InstanceId: string }) => `${i.CommandId}/${i.InstanceId}`),
    );
    expect(
      (await call("ListCommandInvocations", { CommandId: "00000000-0000-7000-8000-000000000000" })).CommandInvocations,
    ).toEqual([]);
  });
});

describe("GetCommandInvocation", () => {
  it("a pending invocation: no times, ResponseCode -1, empty output", async () => {
    const [a] = nodes as [ManagedNode];
    expect(await call("GetCommandInvocation", { CommandId: sent[0], InstanceId: a.id })).toEqual({
      CommandId: sent[0],
      InstanceId: a.id,
      Comment: "",
      DocumentName: "AWS-RunShellScript",
      DocumentVersion: "",
      PluginName: "aws:runShellScript",
      ResponseCode: -1,
      ExecutionStartDateTime: "",
      ExecutionElapsedTime: "",
      ExecutionEndDateTime: "",
      Status: "Pending",
      StatusDetails: "Pending",
      StandardOutputContent: "",
      StandardOutputUrl: "",
      StandardErrorContent: "",
      StandardErrorUrl: "",
      CloudWatchOutputConfig: { CloudWatchLogGroupName: "", CloudWatchOutputEnabled: false },
    });
  });

  it("InvocationDoesNotExist for an unknown command, with no message (as AWS answers it)", async () => {
    const [a] = nodes as [ManagedNode];
    expect(
      await fails("GetCommandInvocation", { CommandId: "00000000-0000-7000-8000-000000000000", InstanceId: a.id }),
    ).toEqual({ status: 400, type: "InvocationDoesNotExist", message: undefined });
  });
});

describe("CancelCommand", () => {
  it("cancels every node's invocation not yet delivered; the command is Cancelled", async () => {
    const [, b, c] = nodes as [ManagedNode, ManagedNode, ManagedNode];
    const commandId = await send([b.id, c.id]);
    expect(await call("CancelCommand", { CommandId: commandId })).toEqual({});
    const [command] = (await call("ListCommands", { CommandId: commandId })).Commands;
    expect(command).toMatchObject({
      Status: "Cancelled",
      StatusDetails: "Cancelled",
      CompletedCount: 2,
      ErrorCount: 0,
    });
    // Again: nothing left to cancel, no error.
    expect(await call("CancelCommand", { CommandId: commandId })).toEqual({});
  });

  it("refuses an unknown command, a node not in it, and a node named twice", async () => {
    const [a, b] = nodes as [ManagedNode, ManagedNode];
    expect((await fails("CancelCommand", { CommandId: "00000000-0000-7000-8000-000000000000" })).type).toBe(
      "InvalidCommandId",
    );
    expect((await fails("CancelCommand", { CommandId: toThird, InstanceIds: [b.id] })).type).toBe("InvalidInstanceId");
    expect((await fails("CancelCommand", { CommandId: toThird, InstanceIds: [a.id, a.id] })).type).toBe(
      "DuplicateInstanceId",
    );
  });
});
