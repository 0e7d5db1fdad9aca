/** Document contents for tests. */
export function commandContent(message = "hello", extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    schemaVersion: "2.2",
    description: `Says ${message}`,
    parameters: { message: { type: "String", description: "What to say", default: message } },
    mainSteps: [{ action: "aws:runShellScript", name: "say", inputs: { runCommand: ["echo {{ message }}"] } }],
    ...extra,
  });
}

export const yamlCommandContent = `schemaVersion: "2.2"
description: A YAML document
parameters:
  count:
    type: Integer
    default: 3
mainSteps:
  - action: aws:runPowerShellScript
    name: ps
    inputs:
      runCommand:
        - Write-Output {{ count }}
`;

export const automationContent = JSON.stringify({
  schemaVersion: "0.3",
  description: "An automation",
  mainSteps: [{ name: "sleep", action: "aws:sleep", inputs: { Duration: "PT1S" } }],
});

/** The members of the legacy association in the CreateAssociation reference page's sample response (seed). */
export const SEED_LEGACY_DESCRIPTION_KEYS = [
  "ApplyOnlyAtCronInterval",
  "AssociationId",
  "AssociationVersion",
  "Date",
  "DocumentVersion",
  "InstanceId",
  "LastUpdateAssociationDate",
  "Name",
  "Overview",
  "Status",
  "Targets",
].sort();

/** The AWS-owned documents the foundation issue names. */
export const AWS_OWNED_REQUIRED = [
  "AWS-ApplyPatchBaseline",
  "AWS-ConfigureAWSPackage",
  "AWS-GatherSoftwareInventory",
  "AWS-RunPatchBaseline",
  "AWS-RunPowerShellScript",
  "AWS-RunShellScript",
  "AWS-UpdateSSMAgent",
];

/** A calendar as the console writes one (the AWS::SSM::Document CloudFormation example's header). */
export const calendarContent = (type: "DEFAULT_OPEN" | "DEFAULT_CLOSED", events = "") =>
  [
    "BEGIN:VCALENDAR",
    "PRODID:-//AWS//Change Calendar 1.0//EN",
    "VERSION:2.0",
    `X-CALENDAR-TYPE:${type}`,
    "X-WR-CALDESC:test",
    "BEGIN:VTODO",
    "DTSTAMP:20200320T004207Z",
    "UID:3b5af39a-d0b3-4049-a839-d7bb8af01f92",
    "SUMMARY:Add events to this calendar.",
    "END:VTODO",
    events,
    "END:VCALENDAR",
    "",
  ]
    .filter((line) => line !== "")
    .join("\r\n")
    .concat("\r\n");

/** One VEVENT of a Change Calendar. */
export const calendarEvent = (uid: string, lines: string[]) =>
  ["BEGIN:VEVENT", `UID:${uid}`, "DTSTAMP:20200101T000000Z", ...lines, "END:VEVENT"].join("\r\n");

/**
 * AWS's published output of send-command.rst example 1 (`--targets "Key=instanceids,Values=<id>"`,
 * `--comment "echo HelloWorld"`), with the node's id for the example's and matchers for what
 * differs each time, plus the `TimeoutSeconds` the model's Command has. Its ExpiresAfter is 7,200 s
 * after RequestedDateTime: the delivery timeout (3,600) plus AWS-RunShellScript's executionTimeout
 * default (3600).
 */
export function publishedSendCommandOutput(instanceId: string, matchers: { any: (type: unknown) => unknown }) {
  return {
    CommandId: matchers.any(String),
    DocumentName: "AWS-RunShellScript",
    DocumentVersion: "",
    Comment: "echo HelloWorld",
    ExpiresAfter: matchers.any(Number),
    Parameters: { commands: ["echo HelloWorld"] },
    InstanceIds: [instanceId],
    Targets: [],
    RequestedDateTime: matchers.any(Number),
    Status: "Pending",
    StatusDetails: "Pending",
    OutputS3BucketName: "",
    OutputS3KeyPrefix: "",
    MaxConcurrency: "50",
    MaxErrors: "0",
    TargetCount: 1,
    CompletedCount: 0,
    ErrorCount: 0,
    DeliveryTimedOutCount: 0,
    ServiceRole: "",
    NotificationConfig: { NotificationArn: "", NotificationEvents: [], NotificationType: "" },
    CloudWatchOutputConfig: { CloudWatchLogGroupName: "", CloudWatchOutputEnabled: false },
    TimeoutSeconds: 3600,
  };
}
