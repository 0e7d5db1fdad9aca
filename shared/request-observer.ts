/**
 * What every answered request leaves behind (the protocol stack's observer, shared/protocol/
 * operation.ts): its place in the audit trail (shared/domain/audit/), and its log line with its
 * metrics (shared/lib/request-log.ts), written when the runtime's log level is `info` or a
 * metrics namespace is set.
 */
import { randomUUID } from "node:crypto";
import type { APIGatewayProxyEvent } from "aws-lambda";
import { assumedRoleArn, nodeArn } from "./auth/node-policy.ts";
import type { Principal, Scope } from "./context.ts";
import { logs, requestLine, writeLine } from "./lib/request-log.ts";
import { inRequestScope, newTally, type RequestTally } from "./lib/request-scope.ts";
import type { Answered, Observe } from "./protocol/operation.ts";
import { auditTrail } from "./services/audit.ts";
import { runtime } from "./services/runtime.ts";

/** Who called, as the log line and the audit trail name them. */
export type Caller = Scope & {
  /** The caller's ARN: an account key's root, a node session's assumed role, a node signing as itself. */
  readonly arn: string;
  readonly accessKeyId?: string;
  /** Set when the caller is a managed node (its credentials or its own key). */
  readonly nodeId?: string;
};

/** A caller whose SigV4 credentials were verified: an account's access key, or a node's session. */
export function signedCaller(principal: Principal): Caller {
  const { accountId, region, accessKeyId, nodeId } = principal;
  return nodeId
    ? {
        accountId,
        region,
        accessKeyId,
        nodeId,
        arn: assumedRoleArn({ accountId, nodeId, role: principal.nodeRole }),
      }
    : { accountId, region, accessKeyId, arn: `arn:aws:iam::${accountId}:root` };
}

/** A node that signed with its own RSA key: the managed instance itself. */
export function nodeCaller(scope: Scope, instanceId: string): Caller {
  return { ...scope, nodeId: instanceId, arn: nodeArn(instanceId, scope) };
}

const header = (event: APIGatewayProxyEvent, name: string): string | undefined => {
  for (const [key, value] of Object.entries(event.headers ?? {})) {
    if (key.toLowerCase() === name) return value ?? undefined;
  }
  return undefined;
};

/** Who an unauthenticated request turned out to act for: a registration, the node it made. */
function actingCaller(tally: RequestTally): Caller | undefined {
  const who = tally.actingFor;
  return who && nodeCaller({ accountId: who.accountId, region: who.region }, who.nodeId);
}

/**
 * The observer of an operation whose authenticated context `callerOf` describes: the audit trail
 * first (a mutating request's record, or a node's routine call counted: domain/audit/audit.ts),
 * then the log line, whose latency and DynamoDB calls include the audit's write. A failed audit
 * write still has its line, then fails the observer (the stack logs it; the answer stands).
 */
export function observer<C>(callerOf: (context: C) => Caller | undefined): Observe<C> {
  return async (answered: Answered<C>) => {
    const current = runtime();
    const caller =
      (answered.caller === undefined ? undefined : callerOf(answered.caller)) ?? actingCaller(answered.tally);
    const { event } = answered;
    const sourceIp = event.requestContext?.identity?.sourceIp;
    const userAgent = header(event, "user-agent");
    try {
      await current.get(auditTrail).observe({
        time: answered.receivedAt,
        requestId: answered.requestId,
        operation: answered.operation,
        caller,
        sourceIp,
        userAgent,
        parameters: answered.parameters,
        status: answered.status,
        errorCode: answered.errorCode,
        errorMessage: answered.errorMessage,
        output: answered.output,
      });
    } finally {
      const metricsNamespace = current.options.metricsNamespace;
      if (logs(current.logLevel, "info") || metricsNamespace) {
        writeLine(
          requestLine(
            {
              time: answered.receivedAt,
              requestId: answered.requestId,
              operation: answered.operation,
              account: caller?.accountId,
              region: caller?.region,
              principal: caller?.arn,
              accessKeyId: caller?.accessKeyId,
              sourceIp,
              userAgent,
              status: answered.status,
              errorCode: answered.errorCode,
              latencyMs: performance.now() - answered.started,
              tally: answered.tally,
            },
            metricsNamespace,
          ),
        );
      }
    }
  };
}

/**
 * A task no request starts (the scheduler's tick), run in a scope of its own and written as a
 * request's line named `name`: status 200, or 500 when it failed (so the 5xx alarm sees it too).
 */
export async function observedTask<T>(name: string, work: () => Promise<T>): Promise<T> {
  const time = new Date();
  const started = performance.now();
  const tally = newTally();
  let status = 500;
  try {
    const result = await inRequestScope(tally, work);
    status = 200;
    return result;
  } finally {
    const current = runtime();
    if (logs(current.logLevel, "info") || current.options.metricsNamespace) {
      writeLine(
        requestLine(
          {
            time,
            requestId: randomUUID(),
            operation: name,
            status,
            errorCode: status === 200 ? undefined : "InternalServerError",
            latencyMs: performance.now() - started,
            tally,
          },
          current.options.metricsNamespace,
        ),
      );
    }
  }
}
