/**
 * The operations the benchmark drives, each with the request a client sends and the credentials
 * it signs with: an account's key, or a node's credentials (the SSM Agent's poll). Requests go
 * through the SDK v3 client, except the agent-only ListInstanceAssociations, which the public
 * SDK has no command for: it is signed with the SDK's own SigV4 signer and POSTed as the agent does.
 */
import * as ssm from "@aws-sdk/client-ssm";
import { type Identity, signedHeaders } from "../../test/support/identity.ts";
import { ssmClient } from "./environment.ts";

export type Caller = {
  endpoint: string;
  identity: Identity;
  /** Sends one request of `operation`; rejects on any error answer. */
  send: (operation: string, input: Record<string, unknown>) => Promise<unknown>;
};

type CommandClass = new (input: Record<string, unknown>) => Parameters<ssm.SSMClient["send"]>[0];

export function caller(endpoint: string, identity: Identity): Caller {
  const client = ssmClient(endpoint, identity);
  const host = new URL(endpoint).host;
  return {
    endpoint,
    identity,
    send: async (operation, input) => {
      const Command = (ssm as unknown as Record<string, CommandClass | undefined>)[`${operation}Command`];
      if (Command) return client.send(new Command(input));
      const body = JSON.stringify(input);
      const headers = await signedHeaders(operation, body, identity, { host });
      const response = await fetch(`${endpoint}/`, { method: "POST", headers, body });
      const text = await response.text();
      if (response.status !== 200) throw new Error(`${operation}: ${response.status} ${text}`);
      return JSON.parse(text);
    },
  };
}

/** What one benchmarked operation needs: its request for the i-th call, and who sends it. */
export type Workload = {
  operation: string;
  kind: "read" | "write";
  /** "node": signed with the node's credentials; "fresh": a new account for each concurrency level. */
  signer: "account" | "node" | "fresh";
  /** The i-th request; `worker` (the sending worker, when there are several) never has two in flight. */
  request: (i: number, worker?: number) => Record<string, unknown>;
  /** At most this many requests per concurrency level (an account quota). */
  maxRequests?: number;
};

export const documentContent = (i: number) =>
  JSON.stringify({
    schemaVersion: "2.2",
    description: `bench ${i}`,
    parameters: { message: { type: "String", default: "hello" } },
    mainSteps: [{ action: "aws:runShellScript", name: "run", inputs: { runCommand: [`echo ${i} {{ message }}`] } }],
  });

export type Fixtures = {
  documentName: string;
  /** Schema 1.2 documents, each associated with the node by InstanceId (legacy associations). */
  legacyDocuments: string[];
  nodeId: string;
  /** The node's own credentials (from its role token), as the SSM Agent signs with them. */
  nodeIdentity: Identity;
  associationId: string;
  /** Associations that target the node, which StartAssociationsOnce starts in turn. */
  startable: string[];
};

export function workloads(f: Fixtures, prefix: string): Workload[] {
  return [
    {
      operation: "CreateDocument",
      kind: "write",
      signer: "fresh",
      // AWS's quota is 500 documents per account: each concurrency level gets its own account.
      maxRequests: 450,
      request: (i) => ({ Name: `${prefix}-${i}`, Content: documentContent(i), DocumentType: "Command" }),
    },
    { operation: "DescribeDocument", kind: "read", signer: "account", request: () => ({ Name: f.documentName }) },
    {
      operation: "ListDocuments",
      kind: "read",
      signer: "account",
      request: () => ({ Filters: [{ Key: "Owner", Values: ["Self"] }], MaxResults: 20 }),
    },
    {
      operation: "CreateAssociation",
      kind: "write",
      signer: "fresh",
      request: () => ({
        Name: "AWS-RunShellScript",
        Targets: [{ Key: "tag:fleet", Values: ["elsewhere"] }],
        Parameters: { commands: ["echo hello"] },
      }),
    },
    {
      operation: "DescribeAssociation",
      kind: "read",
      signer: "account",
      request: () => ({ AssociationId: f.associationId }),
    },
    { operation: "ListAssociations", kind: "read", signer: "account", request: () => ({ MaxResults: 50 }) },
    {
      operation: "UpdateAssociationStatus",
      kind: "write",
      signer: "account",
      request: alternatingStatus(f),
    },
    {
      operation: "ListInstanceAssociations",
      kind: "read",
      signer: "node",
      request: () => ({ InstanceId: f.nodeId }),
    },
    {
      operation: "DescribeEffectiveInstanceAssociations",
      kind: "read",
      signer: "account",
      request: () => ({ InstanceId: f.nodeId }),
    },
    {
      operation: "DescribeInstanceAssociationsStatus",
      kind: "read",
      signer: "account",
      request: () => ({ InstanceId: f.nodeId }),
    },
    {
      operation: "StartAssociationsOnce",
      kind: "write",
      signer: "account",
      request: (i) => ({ AssociationIds: [f.startable[i % f.startable.length]] }),
    },
  ];
}

/**
 * UpdateAssociationStatus requests: each worker has a legacy association of its own (there are as
 * many as the highest concurrency), so no two requests in flight change the same status, and each
 * association's status alternates, since an unchanged status is refused (StatusUnchanged). Without
 * a worker (one request at a time), consecutive requests go round the associations.
 */
function alternatingStatus(f: Fixtures): (i: number, worker?: number) => Record<string, unknown> {
  const last = new Map<string, string>();
  return (i, worker) => {
    const name = f.legacyDocuments[(worker ?? i) % f.legacyDocuments.length] as string;
    const status = last.get(name) === "Success" ? "Pending" : "Success";
    last.set(name, status);
    return {
      Name: name,
      InstanceId: f.nodeId,
      AssociationStatus: { Date: new Date(), Name: status, Message: `bench ${i}` },
    };
  };
}
