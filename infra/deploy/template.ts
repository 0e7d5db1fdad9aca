/**
 * Generates template.yaml, the SAM template, from what the code says: one function and one
 * `POST /<Operation>` route per handler file in functions/, each allowed only the DynamoDB
 * actions its kind of operation needs; the table from its one definition; the edge functions;
 * and the web console's private bucket, served at /console/ by the same distribution.
 *
 * `npm run template` rewrites template.yaml; a test fails when the committed file differs.
 */
import { writeFileSync } from "node:fs";
import { Document, Scalar } from "yaml";
import { MAX_MESSAGE_POLL_HOLD_SECONDS } from "../../shared/config.ts";
import { MESSAGE_OPERATIONS } from "../../shared/protocol/targets.ts";
import { LAMBDA_RUNTIME } from "../build/node-runtime.ts";
import { operationNames } from "../local/operations.ts";
import { TABLE } from "../table/table.ts";
import { consoleRouterSource, edgeCorsSource, edgeRouterSource } from "./edge-router.ts";
import { METRICS_NAMESPACE, monitoringResources } from "./monitoring.ts";

const TEMPLATE = new URL("../../template.yaml", import.meta.url);

/**
 * Reads that may settle what they show: a run whose nodes went quiet (shared/domain/executions/
 * executions.ts `settleQuiet`: one conditional transaction per overdue target, a put of the
 * target and updates of its counter shard and its run). They are allowed those actions only.
 */
export const SETTLING_READS = new Set([
  "DescribeAssociation",
  "ListAssociations",
  "DescribeAssociationExecutions",
  "DescribeAssociationExecutionTargets",
]);
const SETTLE_ACTIONS = ["dynamodb:PutItem", "dynamodb:UpdateItem"];

/**
 * Operations that only read. Everything else may also write, the ec2messages operations among
 * them: GetMessages hands messages out (a conditional write each), and the others settle them;
 * and so do the reads that settle runs (SETTLING_READS).
 */
export function isReadOnly(operation: string): boolean {
  return /^(Get|Describe|List)/.test(operation) && !MESSAGE_OPERATIONS.has(operation) && !SETTLING_READS.has(operation);
}

/** The DynamoDB actions an operation's function is allowed. */
function tableActions(operation: string): string[] {
  if (SETTLING_READS.has(operation)) return [...READ_ACTIONS, ...SETTLE_ACTIONS];
  return isReadOnly(operation) ? READ_ACTIONS : [...READ_ACTIONS, ...WRITE_ACTIONS];
}

/**
 * GetMessages may hold an empty poll open for up to MESSAGE_POLL_HOLD_SECONDS (a stack
 * parameter, default 0: see docs/runs.md for the cost); its timeout leaves room for the longest
 * hold allowed plus the request's own work, under API Gateway's 29 s integration limit.
 */
const LONG_POLL_OPERATION = "GetMessages";
const LONG_POLL_TIMEOUT_SECONDS = MAX_MESSAGE_POLL_HOLD_SECONDS + 6;

/** Operations that never touch the credentials key: the unsigned registration only. */
const WITHOUT_CREDENTIALS_KEY = new Set(["RegisterManagedInstance"]);

const READ_ACTIONS = ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query"];
const WRITE_ACTIONS = [
  "dynamodb:PutItem",
  "dynamodb:UpdateItem",
  "dynamodb:DeleteItem",
  "dynamodb:BatchWriteItem",
  "dynamodb:ConditionCheckItem",
];

/** Managed CloudFront policies: caching disabled; all viewer headers but Host to the origin. */
const CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad";
const ALL_VIEWER_EXCEPT_HOST = "b689b0a8-53d0-40ab-baf2-68738e2966ac";
/** Managed CloudFront policies for the console's static files: cached, compressed, security headers. */
const CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6";
const SECURITY_HEADERS = "67f7725c-6f97-4210-82d7-5512b31e9d03";

/** The console's files live under this prefix of its bucket, as they are served under this path. */
export const CONSOLE_PREFIX = "console";

/** A CloudFormation intrinsic in short form (`!Ref X`, `!GetAtt X.Y`, `!Sub "..."`). */
function tag(name: "Ref" | "GetAtt" | "Sub", value: string): Scalar {
  const scalar = new Scalar(value);
  scalar.tag = `!${name}`;
  return scalar;
}

/** A string YAML must not read as a date. */
function quoted(value: string): Scalar {
  const scalar = new Scalar(value);
  scalar.type = "QUOTE_DOUBLE";
  return scalar;
}

export function functionLogicalId(operation: string): string {
  return `${operation}Function`;
}

function functionResource(operation: string): Record<string, unknown> {
  const statements: Record<string, unknown>[] = [
    {
      Effect: "Allow",
      Action: tableActions(operation),
      Resource: [tag("GetAtt", "Table.Arn"), tag("Sub", "${Table.Arn}/index/*")],
    },
  ];
  if (!WITHOUT_CREDENTIALS_KEY.has(operation)) {
    statements.push({
      Effect: "Allow",
      Action: ["secretsmanager:GetSecretValue"],
      Resource: tag("Ref", "CredentialsKeySecret"),
    });
  }
  const longPoll =
    operation === LONG_POLL_OPERATION
      ? {
          Timeout: LONG_POLL_TIMEOUT_SECONDS,
          Environment: { Variables: { MESSAGE_POLL_HOLD_SECONDS: tag("Ref", "MessagePollHoldSeconds") } },
        }
      : {};
  return {
    Type: "AWS::Serverless::Function",
    Properties: {
      ...bundleCode(operation),
      ...longPoll,
      LoggingConfig: { LogGroup: tag("Ref", `${operation}Logs`) },
      Policies: [{ Version: quoted("2012-10-17"), Statement: statements }],
      Events: {
        Api: { Type: "Api", Properties: { RestApiId: tag("Ref", "Api"), Path: `/${operation}`, Method: "post" } },
      },
    },
  };
}

/**
 * A function's code: its bundle from `npm run build` (dist/<Name>/index.mjs, the files of its
 * dynamic imports, and their source maps), which `sam deploy` zips as it is. Not sam build's esbuild: the build swaps parts of the SDK for
 * Lambda (infra/build/plugins.ts), which sam build's esbuild options cannot express.
 */
function bundleCode(name: string): { CodeUri: string; Handler: string } {
  return { CodeUri: `dist/${name}`, Handler: "index.handler" };
}

/** The scheduler: not an operation (no route), a function EventBridge invokes every minute. */
export const SCHEDULER = {
  logicalId: "SchedulerFunction",
  name: "Scheduler",
  entry: "functions/scheduled/Scheduler.ts",
};

/**
 * Least privilege for the scheduler: it reads due associations through GSI2 and nodes through
 * GSI1, reads heads, nodes and documents, and writes runs (a transaction of puts and updates, and
 * batches of target puts, deleted again if the transaction fails). It never touches credentials,
 * so it gets no secret.
 */
function schedulerResource(): Record<string, unknown> {
  return {
    Type: "AWS::Serverless::Function",
    Properties: {
      ...bundleCode(SCHEDULER.name),
      Timeout: 60,
      // One tick at a time is enough; a second one at once would be harmless (each run is
      // started exactly once) but would only add conflicts.
      ReservedConcurrentExecutions: 1,
      LoggingConfig: { LogGroup: tag("Ref", `${SCHEDULER.name}Logs`) },
      Policies: [
        {
          Version: quoted("2012-10-17"),
          Statement: [
            {
              Effect: "Allow",
              Action: ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query"],
              Resource: [
                tag("GetAtt", "Table.Arn"),
                tag("Sub", "${Table.Arn}/index/GSI1"),
                tag("Sub", "${Table.Arn}/index/GSI2"),
              ],
            },
            {
              Effect: "Allow",
              Action: ["dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem"],
              Resource: tag("GetAtt", "Table.Arn"),
            },
          ],
        },
      ],
      Events: {
        Tick: {
          Type: "Schedule",
          Properties: { Schedule: "rate(1 minute)", Description: "State Manager scheduler tick" },
        },
      },
    },
  };
}

function logGroup(operation: string): Record<string, unknown> {
  return {
    Type: "AWS::Logs::LogGroup",
    DeletionPolicy: "Delete",
    UpdateReplacePolicy: "Delete",
    Properties: {
      LogGroupName: tag("Sub", `/open-state-manager/\${AWS::StackName}/${operation}`),
      RetentionInDays: tag("Ref", "LogRetentionInDays"),
    },
  };
}

export function buildTemplate(operations: readonly string[] = operationNames()): string {
  const resources: Record<string, unknown> = {
    Table: {
      Type: "AWS::DynamoDB::Table",
      DeletionPolicy: "Retain",
      UpdateReplacePolicy: "Retain",
      Properties: {
        BillingMode: TABLE.BillingMode,
        DeletionProtectionEnabled: true,
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true },
        AttributeDefinitions: TABLE.AttributeDefinitions,
        KeySchema: TABLE.KeySchema,
        GlobalSecondaryIndexes: TABLE.GlobalSecondaryIndexes,
        TimeToLiveSpecification: { AttributeName: TABLE.TimeToLiveAttribute, Enabled: true },
      },
    },
    CredentialsKeySecret: {
      Type: "AWS::SecretsManager::Secret",
      DeletionPolicy: "Retain",
      UpdateReplacePolicy: "Retain",
      Properties: {
        Description: "Seals the secrets of access keys stored in the table (its SHA-256 is the AES-256-GCM key).",
        GenerateSecretString: { PasswordLength: 64, ExcludePunctuation: true },
      },
    },
    Api: {
      Type: "AWS::Serverless::Api",
      Properties: {
        StageName: "v1",
        EndpointConfiguration: { Type: "REGIONAL" },
        MethodSettings: [{ ResourcePath: "/*", HttpMethod: "*", ThrottlingBurstLimit: 500, ThrottlingRateLimit: 1000 }],
      },
    },
    EdgeRouter: {
      Type: "AWS::CloudFront::Function",
      Properties: {
        Name: tag("Sub", "${AWS::StackName}-ssm-router"),
        AutoPublish: true,
        FunctionConfig: { Comment: "Routes X-Amz-Target to POST /<Operation>", Runtime: "cloudfront-js-2.0" },
        FunctionCode: edgeRouterSource(operations),
      },
    },
    EdgeCors: {
      Type: "AWS::CloudFront::Function",
      Properties: {
        Name: tag("Sub", "${AWS::StackName}-ssm-cors"),
        AutoPublish: true,
        FunctionConfig: {
          Comment: "CORS allowance for the console (the distribution's own origin only)",
          Runtime: "cloudfront-js-2.0",
        },
        FunctionCode: edgeCorsSource(),
      },
    },
    ConsoleRouter: {
      Type: "AWS::CloudFront::Function",
      Properties: {
        Name: tag("Sub", "${AWS::StackName}-console-router"),
        AutoPublish: true,
        FunctionConfig: { Comment: "Console folder URLs to their index.html", Runtime: "cloudfront-js-2.0" },
        FunctionCode: consoleRouterSource(),
      },
    },
    // The console's static files: a private bucket that only this distribution reads (origin
    // access control); the browser signs API calls with the user's own access key, so the
    // console adds no credentials of its own.
    ConsoleBucket: {
      Type: "AWS::S3::Bucket",
      DeletionPolicy: "Retain",
      UpdateReplacePolicy: "Retain",
      Properties: {
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        OwnershipControls: { Rules: [{ ObjectOwnership: "BucketOwnerEnforced" }] },
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" } }],
        },
      },
    },
    ConsoleOriginAccessControl: {
      Type: "AWS::CloudFront::OriginAccessControl",
      Properties: {
        OriginAccessControlConfig: {
          Name: tag("Sub", "${AWS::StackName}-console"),
          OriginAccessControlOriginType: "s3",
          SigningBehavior: "always",
          SigningProtocol: "sigv4",
        },
      },
    },
    ConsoleBucketPolicy: {
      Type: "AWS::S3::BucketPolicy",
      Properties: {
        Bucket: tag("Ref", "ConsoleBucket"),
        PolicyDocument: {
          Version: quoted("2012-10-17"),
          Statement: [
            {
              Effect: "Allow",
              Principal: { Service: "cloudfront.amazonaws.com" },
              Action: "s3:GetObject",
              Resource: tag("Sub", `\${ConsoleBucket.Arn}/${CONSOLE_PREFIX}/*`),
              Condition: {
                StringEquals: {
                  "AWS:SourceArn": tag(
                    "Sub",
                    "arn:${AWS::Partition}:cloudfront::${AWS::AccountId}:distribution/${Distribution}",
                  ),
                },
              },
            },
          ],
        },
      },
    },
    Distribution: {
      Type: "AWS::CloudFront::Distribution",
      Properties: {
        DistributionConfig: {
          Enabled: true,
          Comment: tag("Sub", "${AWS::StackName} SSM endpoint"),
          HttpVersion: "http2",
          PriceClass: "PriceClass_100",
          Origins: [
            {
              Id: "api",
              DomainName: tag("Sub", "${Api}.execute-api.${AWS::Region}.amazonaws.com"),
              OriginPath: "/v1",
              CustomOriginConfig: { OriginProtocolPolicy: "https-only", OriginSSLProtocols: ["TLSv1.2"] },
            },
            {
              Id: "console",
              DomainName: tag("GetAtt", "ConsoleBucket.RegionalDomainName"),
              S3OriginConfig: { OriginAccessIdentity: "" },
              OriginAccessControlId: tag("GetAtt", "ConsoleOriginAccessControl.Id"),
            },
          ],
          CacheBehaviors: [
            {
              PathPattern: `/${CONSOLE_PREFIX}*`,
              TargetOriginId: "console",
              ViewerProtocolPolicy: "https-only",
              AllowedMethods: ["GET", "HEAD"],
              CachedMethods: ["GET", "HEAD"],
              Compress: true,
              CachePolicyId: CACHING_OPTIMIZED,
              ResponseHeadersPolicyId: SECURITY_HEADERS,
              FunctionAssociations: [
                {
                  EventType: "viewer-request",
                  FunctionARN: tag("GetAtt", "ConsoleRouter.FunctionMetadata.FunctionARN"),
                },
              ],
            },
          ],
          DefaultCacheBehavior: {
            TargetOriginId: "api",
            ViewerProtocolPolicy: "https-only",
            AllowedMethods: ["GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE"],
            CachedMethods: ["GET", "HEAD"],
            CachePolicyId: CACHING_DISABLED,
            OriginRequestPolicyId: ALL_VIEWER_EXCEPT_HOST,
            FunctionAssociations: [
              { EventType: "viewer-request", FunctionARN: tag("GetAtt", "EdgeRouter.FunctionMetadata.FunctionARN") },
              { EventType: "viewer-response", FunctionARN: tag("GetAtt", "EdgeCors.FunctionMetadata.FunctionARN") },
            ],
          },
        },
      },
    },
  };
  for (const operation of operations) {
    resources[functionLogicalId(operation)] = functionResource(operation);
    resources[`${operation}Logs`] = logGroup(operation);
  }
  Object.assign(resources, monitoringResources());
  resources[SCHEDULER.logicalId] = schedulerResource();
  resources[`${SCHEDULER.name}Logs`] = logGroup(SCHEDULER.name);
  const template = {
    AWSTemplateFormatVersion: quoted("2010-09-09"),
    Transform: "AWS::Serverless-2016-10-31",
    Description:
      "open-state-manager: a private control plane that speaks the AWS Systems Manager State Manager API. GENERATED by infra/deploy/template.ts (npm run template): do not edit by hand.",
    Parameters: {
      LogRetentionInDays: {
        Type: "Number",
        Default: 30,
        AllowedValues: [
          1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
        ],
        Description: "How long the functions' logs are kept.",
      },
      MessagePollHoldSeconds: {
        Type: "Number",
        Default: 0,
        MinValue: 0,
        MaxValue: MAX_MESSAGE_POLL_HOLD_SECONDS,
        Description:
          "How long GetMessages (the SSM Agent's ec2messages poll) holds an empty answer. Each second held keeps one function busy per polling node; 0 lets the agent pace itself (a poll every ~2.3 s). See docs/runs.md (why the deployed default hold is 0).",
      },
      LogLevel: {
        Type: "String",
        Default: "info",
        AllowedValues: ["debug", "info", "warn", "error"],
        Description:
          "info: a JSON line per request (who, what, outcome, latency, DynamoDB calls), which also carries the metrics; warn or error: failures only, and the metrics still.",
      },
      AlarmActionArn: {
        Type: "String",
        Default: "",
        Description: "What the server-errors (5xx) alarm notifies, e.g. an SNS topic's ARN; none when empty.",
      },
    },
    Conditions: {
      HasAlarmAction: { "Fn::Not": [{ "Fn::Equals": [{ Ref: "AlarmActionArn" }, ""] }] },
    },
    Globals: {
      Function: {
        Runtime: LAMBDA_RUNTIME,
        Architectures: ["arm64"],
        MemorySize: 512,
        Timeout: 10,
        Environment: {
          Variables: {
            TABLE_NAME: tag("Ref", "Table"),
            CREDENTIALS_KEY_SECRET_ARN: tag("Ref", "CredentialsKeySecret"),
            SIGNED_HOST_HEADER: "x-ssm-viewer-host",
            LOG_LEVEL: tag("Ref", "LogLevel"),
            METRICS_NAMESPACE: tag("Sub", METRICS_NAMESPACE),
            NODE_OPTIONS: "--enable-source-maps",
          },
        },
      },
    },
    Resources: resources,
    Outputs: {
      Endpoint: {
        Description: "Use as --endpoint-url",
        Value: tag("Sub", "https://${Distribution.DomainName}"),
      },
      TableName: { Value: tag("Ref", "Table") },
      Dashboard: {
        Description: "Requests, latency and errors per operation, nodes online, runs started (CloudWatch)",
        Value: tag(
          "Sub",
          "https://console.aws.amazon.com/cloudwatch/home?region=${AWS::Region}#dashboards:name=${Dashboard}",
        ),
      },
      ConsoleUrl: {
        Description: "The web console (upload its files to ConsoleBucket first; see docs/deploy.md)",
        Value: tag("Sub", `https://\${Distribution.DomainName}/${CONSOLE_PREFIX}/`),
      },
      ConsoleBucket: {
        Description: `Upload npm run console's dist/console/ here, under ${CONSOLE_PREFIX}/`,
        Value: tag("Ref", "ConsoleBucket"),
      },
    },
  };
  const document = new Document(template);
  return document.toString({ lineWidth: 0 });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  writeFileSync(TEMPLATE, buildTemplate());
  console.log(`wrote template.yaml with ${operationNames().length} operations`);
}
