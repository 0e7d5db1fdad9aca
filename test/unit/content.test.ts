import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { sha256 } from "../../shared/domain/documents/analysis.ts";
import { analyzeContent, convertContent } from "../../shared/domain/documents/content.ts";
import { commandContent, yamlCommandContent } from "../support/fixtures.ts";

describe("document content", () => {
  it("hashes the content as given", () => {
    const content = commandContent();
    expect(analyzeContent(content, "JSON", "Command").hash).toBe(sha256(content));
  });

  it("derives platforms from plugins and step preconditions", () => {
    const mixed = JSON.stringify({
      schemaVersion: "2.2",
      mainSteps: [
        { action: "aws:runPowerShellScript", name: "w", precondition: { StringEquals: ["platformType", "Windows"] } },
        { action: "aws:runShellScript", name: "l", precondition: { StringEquals: ["platformType", "Linux"] } },
      ],
    });
    expect(analyzeContent(mixed, "JSON", "Command").platformTypes).toEqual(["Windows", "Linux"]);
    const legacy = JSON.stringify({ schemaVersion: "1.2", runtimeConfig: { "aws:runShellScript": {} } });
    expect(analyzeContent(legacy, "JSON", "Command").platformTypes).toEqual(["Linux", "MacOS"]);
  });

  it("reports parameters with defaults as strings", () => {
    expect(analyzeContent(yamlCommandContent, "YAML", "Command").parameters).toEqual([
      { Name: "count", Type: "Integer", DefaultValue: "3" },
    ]);
  });

  it("converts between JSON and YAML without changing meaning", () => {
    const json = commandContent();
    const yaml = convertContent(json, "JSON", "YAML");
    expect(parseYaml(yaml)).toEqual(JSON.parse(json));
    expect(JSON.parse(convertContent(yaml, "YAML", "JSON"))).toEqual(JSON.parse(json));
    expect(convertContent(json, "JSON", "JSON")).toBe(json);
  });
});
