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
