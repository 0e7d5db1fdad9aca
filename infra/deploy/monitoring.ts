/**
 * What an operator watches, from the metrics each request's log line carries (CloudWatch's
 * embedded metric format: shared/lib/request-log.ts): a dashboard of requests, latency and errors
 * per operation, errors by code, and the service's own figures (nodes online, runs started,
 * messages delivered); and an alarm on server errors (5xx), which a valid request never meets.
 */

/** The metrics' namespace: one per stack, so two stacks in an account never mix. */
export const METRICS_NAMESPACE = "OpenStateManager/${AWS::StackName}";

/** The heartbeat period of the SSM Agent: a node online sends one every 5 minutes (docs/agent.md). */
const HEARTBEAT_PERIOD_SECONDS = 300;

type Widget = Record<string, unknown>;

const search = (dimensions: string, metric: string, stat: string, period: number) =>
  `SEARCH('{${METRICS_NAMESPACE},${dimensions}} MetricName="${metric}"', '${stat}', ${period})`;

function graph(title: string, metrics: unknown[][], x: number, y: number, extra: Record<string, unknown> = {}): Widget {
  return {
    type: "metric",
    x,
    y,
    width: 12,
    height: 6,
    properties: { title, region: "${AWS::Region}", view: "timeSeries", stacked: false, metrics, ...extra },
  };
}

/** The dashboard's body, for Fn::Sub (it names the stack's namespace and Region). */
export function dashboardBody(): string {
  const ns = METRICS_NAMESPACE;
  const widgets: Widget[] = [
    graph(
      "Requests per operation",
      [[{ expression: search("Operation", "Requests", "Sum", 60), id: "requests" }]],
      0,
      0,
    ),
    graph(
      "Latency (ms): all requests, p50 and p99",
      [
        [ns, "Latency", { stat: "p50", label: "p50" }],
        [ns, "Latency", { stat: "p99", label: "p99" }],
      ],
      12,
      0,
    ),
    graph(
      "Latency p99 per operation (ms)",
      [[{ expression: search("Operation", "Latency", "p99", 60), id: "p99" }]],
      0,
      6,
    ),
    graph("Errors by code", [[{ expression: search("ErrorCode", "Errors", "Sum", 60), id: "errors" }]], 12, 6),
    graph(
      "Server errors (5xx) and client errors (4xx)",
      [
        [ns, "ServerErrors", { stat: "Sum", label: "5xx" }],
        [ns, "ClientErrors", { stat: "Sum", label: "4xx" }],
      ],
      0,
      12,
    ),
    graph(
      "Nodes online (heartbeats per 5 minutes: an online agent sends one every 5 minutes)",
      [[ns, "NodeHeartbeats", { stat: "Sum", label: "nodes online" }]],
      12,
      12,
      { period: HEARTBEAT_PERIOD_SECONDS },
    ),
    graph("Association runs started", [[ns, "RunsStarted", { stat: "Sum", label: "runs started" }]], 0, 18),
    graph("Messages delivered (ec2messages)", [[ns, "MessagesDelivered", { stat: "Sum", label: "delivered" }]], 12, 18),
  ];
  return JSON.stringify({ widgets });
}

/** The dashboard and the 5xx alarm, as template resources; the alarm notifies `AlarmActionArn` when given. */
export function monitoringResources(): Record<string, unknown> {
  return {
    Dashboard: {
      Type: "AWS::CloudWatch::Dashboard",
      Properties: {
        DashboardName: { "Fn::Sub": "${AWS::StackName}-open-state-manager" },
        DashboardBody: { "Fn::Sub": dashboardBody() },
      },
    },
    ServerErrorsAlarm: {
      Type: "AWS::CloudWatch::Alarm",
      Properties: {
        AlarmName: { "Fn::Sub": "${AWS::StackName}-server-errors" },
        AlarmDescription:
          "A request was answered with a server error (5xx): a bug, since a valid request never gets one. The request log has its line (status >= 500, errorCode InternalServerError) and the error's stack.",
        Namespace: { "Fn::Sub": METRICS_NAMESPACE },
        MetricName: "ServerErrors",
        Statistic: "Sum",
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: 1,
        ComparisonOperator: "GreaterThanOrEqualToThreshold",
        TreatMissingData: "notBreaching",
        AlarmActions: { "Fn::If": ["HasAlarmAction", [{ Ref: "AlarmActionArn" }], { Ref: "AWS::NoValue" }] },
      },
    },
  };
}
