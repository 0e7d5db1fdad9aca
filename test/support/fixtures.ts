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
