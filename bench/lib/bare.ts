/**
 * bench/bare-server.ts from the bench's side: starts it, tells it an operation's calls, stops it.
 * The calls cross as JSON: a Set (a DynamoDB string, number or binary set in the document
 * client's input) and binary values are written as tagged objects and read back as they were.
 */
import { spawn } from "node:child_process";
import { servingUrl } from "./child.ts";
import type { MeteredCall } from "./meter.ts";

export type BareServer = {
  url: string;
  pid: number | undefined;
  /**
   * Tells the server what a request for `operation` makes (a read's calls, or a write's: raw.ts)
   * and what it answers (`body`, our endpoint's answer to the same request); the calls' label.
   */
  plan: (plan: BarePlan) => Promise<string>;
  close: () => Promise<void>;
};

export type BarePlan = { operation: string; kind: "read" | "write"; calls: readonly MeteredCall[]; body: string };

export async function startBareServer(dynamodbEndpoint: string, region: string): Promise<BareServer> {
  const child = spawn(process.execPath, ["--import", "tsx", "bench/bare-server.ts"], {
    cwd: new URL("../..", import.meta.url).pathname,
    env: { ...process.env, DYNAMODB_ENDPOINT: dynamodbEndpoint, AWS_REGION: region },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = await servingUrl(child, /bare server at (\S+)/, "the bare server");
  return {
    url,
    pid: child.pid,
    plan: async (plan) => {
      const response = await fetch(`${url}/plan`, { method: "POST", body: JSON.stringify(plan, tag) });
      const text = await response.text();
      if (response.status !== 200) throw new Error(`bare server, ${plan.operation}: ${text}`);
      return (JSON.parse(text) as { label: string }).label;
    },
    close: async () => {
      child.kill("SIGTERM");
      await exited;
    },
  };
}

/** JSON.stringify's replacer: a Set and binary values as tagged objects (`revive` reads them). */
export function tag(_key: string, value: unknown): unknown {
  if (value instanceof Set) return { $set: [...value] };
  if (value instanceof Uint8Array) return { $bytes: Buffer.from(value).toString("base64") };
  // A Buffer arrives here already as its toJSON().
  const buffer = value as { type?: unknown; data?: unknown };
  if (buffer && buffer.type === "Buffer" && Array.isArray(buffer.data))
    return { $bytes: Buffer.from(buffer.data as number[]).toString("base64") };
  return value;
}

/** JSON.parse's reviver for what `tag` wrote. */
export function revive(_key: string, value: unknown): unknown {
  if (value && typeof value === "object" && !Array.isArray(value)) {
    const tagged = value as { $set?: unknown[]; $bytes?: string };
    if (Array.isArray(tagged.$set)) return new Set(tagged.$set);
    if (typeof tagged.$bytes === "string") return new Uint8Array(Buffer.from(tagged.$bytes, "base64"));
  }
  return value;
}
