/**
 * The SSM API from the browser: the real `@aws-sdk/client-ssm`, signed with the session's key.
 * Only the commands a page imports end up in the bundle.
 */
import { SSMClient } from "@aws-sdk/client-ssm";
import type { Session } from "./session.ts";

let current: { session: Session; client: SSMClient } | undefined;

export function connect(session: Session): SSMClient {
  current?.client.destroy();
  const client = new SSMClient({
    region: session.region,
    endpoint: session.endpoint,
    credentials: {
      accessKeyId: session.accessKeyId,
      secretAccessKey: session.secretAccessKey,
      sessionToken: session.sessionToken || undefined,
    },
    // A console shows a refusal at once; throttling retries stay with the SDK's default mode.
    maxAttempts: 2,
  });
  current = { session, client };
  return client;
}

export function disconnect(): void {
  current?.client.destroy();
  current = undefined;
}

/** The signed-in client; pages send typed commands with it. */
export function ssm(): SSMClient {
  if (!current) throw new Error("Not signed in.");
  return current.client;
}

/** AWS's own words for a refusal: `Code: message`, as the CLI prints them. */
export function errorText(error: unknown): string {
  if (error && typeof error === "object") {
    const e = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
    const message = e.message && e.message !== "UnknownError" ? e.message : "";
    if (e.name && e.name !== "Error") return message ? `${e.name}: ${message}` : e.name;
    if (message) return message;
  }
  return String(error);
}

export function errorName(error: unknown): string | undefined {
  return error && typeof error === "object" ? (error as { name?: string }).name : undefined;
}

/** The server does not serve this operation (yet): pages show a note instead of the feature. */
export function isUnknownOperation(error: unknown): boolean {
  return errorName(error) === "UnknownOperationException";
}
