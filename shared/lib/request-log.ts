/**
 * One JSON line per request on stdout, as Lambda and CloudWatch Logs take it (each line an event,
 * its fields queryable in Logs Insights): who called what, from where, with what outcome, how long
 * it took and what it asked of DynamoDB. When a metrics namespace is set (deployed), the same line
 * carries CloudWatch's embedded metric format (`_aws`), so CloudWatch makes the metrics from the
 * log itself: no call, no agent, no second line.
 *
 * Written with `process.stdout.write`, not `console.log`: Lambda's Node.js runtime prefixes what
 * console.log prints (time, request id, level), which would make the line no longer JSON, and EMF
 * no longer readable.
 */
import type { RequestTally, ServiceEvent } from "./request-scope.ts";

export const LOG_LEVELS = ["debug", "info", "warn", "error", "off"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** A LOG_LEVEL setting (any case), or `fallback` when it names no level. */
export function logLevelOf(text: string | undefined, fallback: LogLevel): LogLevel {
  const level = text?.trim().toLowerCase();
  return (LOG_LEVELS as readonly string[]).includes(level ?? "") ? (level as LogLevel) : fallback;
}

/** Whether a line of `level` is written when the threshold is `threshold`. */
export const logs = (threshold: LogLevel, level: Exclude<LogLevel, "off">): boolean =>
  LOG_LEVELS.indexOf(level) >= LOG_LEVELS.indexOf(threshold);

export type RequestLine = {
  time: Date;
  requestId: string;
  operation: string;
  /** The account the request acted in; unset when nothing authenticated it. */
  account?: string | undefined;
  region?: string | undefined;
  /** The caller's ARN: an access key's `arn:aws:iam::<account>:root`, a node's assumed role or its own. */
  principal?: string | undefined;
  accessKeyId?: string | undefined;
  sourceIp?: string | undefined;
  userAgent?: string | undefined;
  status: number;
  errorCode?: string | undefined;
  latencyMs: number;
  tally: RequestTally;
};

const round = (value: number, places: number) => Math.round(value * 10 ** places) / 10 ** places;

/** The log line's fields, in a fixed order; unset ones left out. */
function fields(line: RequestLine): Record<string, unknown> {
  const { tally } = line;
  return {
    time: line.time.toISOString(),
    level: "info",
    requestId: line.requestId,
    operation: line.operation,
    account: line.account,
    region: line.region,
    principal: line.principal,
    accessKeyId: line.accessKeyId,
    sourceIp: line.sourceIp,
    userAgent: line.userAgent,
    status: line.status,
    errorCode: line.errorCode,
    latencyMs: round(line.latencyMs, 2),
    dynamodbCalls: tally.dynamodbCalls,
    consumedCapacity: round(tally.consumedCapacity, 2),
    writeCapacity: round(tally.writeCapacity, 2),
    ...(Object.keys(tally.events).length > 0 ? { events: tally.events } : {}),
  };
}

/**
 * The metrics one request makes, in CloudWatch's embedded metric format: per operation (and in
 * total, an empty dimension set) its count, latency, server errors (5xx, the alarm's) and client
 * errors; errors by code (per operation and in total); and the service's events (runs started,
 * messages delivered, node heartbeats), in total.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
 */
function embeddedMetrics(line: RequestLine, namespace: string): Record<string, unknown> {
  const directives: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit: string }[] }[] = [
    {
      Namespace: namespace,
      Dimensions: [["Operation"], []],
      Metrics: [
        { Name: "Requests", Unit: "Count" },
        { Name: "Latency", Unit: "Milliseconds" },
        { Name: "ServerErrors", Unit: "Count" },
        { Name: "ClientErrors", Unit: "Count" },
      ],
    },
  ];
  const values: Record<string, unknown> = {
    Operation: line.operation,
    Requests: 1,
    Latency: round(line.latencyMs, 2),
    ServerErrors: line.status >= 500 ? 1 : 0,
    ClientErrors: line.status >= 400 && line.status < 500 ? 1 : 0,
  };
  if (line.errorCode) {
    directives.push({
      Namespace: namespace,
      Dimensions: [["Operation", "ErrorCode"], ["ErrorCode"]],
      Metrics: [{ Name: "Errors", Unit: "Count" }],
    });
    values.ErrorCode = line.errorCode;
    values.Errors = 1;
  }
  const events = Object.entries(line.tally.events) as [ServiceEvent, number][];
  if (events.length > 0) {
    directives.push({
      Namespace: namespace,
      Dimensions: [[]],
      Metrics: events.map(([name]) => ({ Name: name, Unit: "Count" })),
    });
    for (const [name, count] of events) values[name] = count;
  }
  return { _aws: { Timestamp: line.time.getTime(), CloudWatchMetrics: directives }, ...values };
}

/** The request's line: its fields, and its metrics when a namespace is given. */
export function requestLine(line: RequestLine, metricsNamespace?: string): string {
  return JSON.stringify(
    metricsNamespace ? { ...fields(line), ...embeddedMetrics(line, metricsNamespace) } : fields(line),
  );
}

/** One line on stdout (see the header for why not console.log). */
export function writeLine(text: string): void {
  process.stdout.write(`${text}\n`);
}
