/**
 * CreateAssociationBatch near the association limit (issue 29, defect 4): one request of 2,000
 * entries (AWS's quota of active associations per account and Region), in an account of its own,
 * over HTTP to `npm start`, as a client sends it. Deployed, the request must answer within API
 * Gateway's 29 s integration timeout, or it fails half-done; one transaction per entry took
 * about 2,000 round trips. It measures the request's wall time, what it created, and the
 * TransactWriteItems it took (the table's own metrics are not read: the count is of the creates
 * the endpoint reports, at least one transaction per pack).
 */
import { postTo } from "../../test/support/endpoint.ts";
import { call } from "../../test/support/invoke.ts";
import { type Environment, newAccount } from "./environment.ts";

export type BatchSettings = { entries: number };
export type BatchResult = BatchSettings & { seconds: number; created: number; failed: number; status: number };

export async function associationBatch(env: Environment, settings: BatchSettings): Promise<BatchResult> {
  const account = await newAccount(env, "bench-batch");
  // A tag target no node has yet: each create is its head, version, index item and an empty run.
  const entry = {
    Name: "AWS-RunShellScript",
    Parameters: { commands: ["true"] },
    Targets: [{ Key: "tag:batch", Values: ["bench"] }],
  };
  await call("ListDocuments", { MaxResults: 1 }, { identity: account });
  const endpoint = { url: env.server.url, host: new URL(env.server.url).host };
  const started = performance.now();
  const answer = await postTo(
    endpoint,
    "CreateAssociationBatch",
    JSON.stringify({ Entries: Array.from({ length: settings.entries }, () => entry) }),
    { identity: account },
  );
  const seconds = (performance.now() - started) / 1000;
  const body = answer.body as { Successful?: unknown[]; Failed?: unknown[] };
  return {
    ...settings,
    seconds,
    status: answer.status,
    created: body.Successful?.length ?? 0,
    failed: body.Failed?.length ?? 0,
  };
}
