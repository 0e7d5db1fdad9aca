/**
 * A map key named `__proto__` anywhere a client's map is stored (RELIABILITY.md, issue 15: "no 5xx
 * on any input"). Validation keeps it as data, but the DynamoDB marshaller builds maps with
 * `map[key] =`, so the key set a prototype instead: CreateAssociation with such a key in
 * `Parameters` (the document declares a parameter of that name, which CreateDocument accepts) or
 * in `TargetMaps` answered 500 ("Supplied AttributeValue is empty"). AWS keeps any key of a map;
 * one middleware on the stores' client now escapes such keys in every item
 * (shared/store/map-keys.ts). Bodies are sent as text: in a JSON object literal `__proto__` is not a key.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { call, invoke, invokeRaw } from "../support/invoke.ts";
import { freshTable } from "../support/table.ts";

const NODE = "i-0ddddddddddddddd7";

const protoDocument = JSON.stringify({
  schemaVersion: "2.2",
  description: "a parameter named __proto__",
  parameters: JSON.parse('{"__proto__":{"type":"String","default":"a"},"plain":{"type":"String","default":"b"}}'),
  mainSteps: [{ action: "aws:runShellScript", name: "run", inputs: { runCommand: ["echo {{ plain }}"] } }],
});

/** The own keys of a parsed answer's map, `__proto__` included, with their values. */
const entries = (map: unknown) => Object.entries(map as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b));

beforeAll(async () => {
  await freshTable();
  await call("UpdateInstanceInformation", { InstanceId: NODE, PlatformType: "Linux" });
  await call("CreateDocument", { Name: "ProtoParameters", Content: protoDocument, DocumentType: "Command" });
});

describe("a map key named __proto__", () => {
  it("in an association's Parameters: stored, described, listed and versioned as sent", async () => {
    const created = await invokeRaw(
      "CreateAssociation",
      `{"Name":"ProtoParameters","Targets":[{"Key":"InstanceIds","Values":["${NODE}"]}],"Parameters":{"__proto__":["x"],"plain":["y"]}}`,
    );
    expect(created.status).toBe(200);
    const id = (created.body.AssociationDescription as { AssociationId: string }).AssociationId;
    const described = await invoke("DescribeAssociation", { AssociationId: id });
    expect(described.status).toBe(200);
    const parameters = (described.body.AssociationDescription as { Parameters: unknown }).Parameters;
    expect(entries(parameters)).toEqual([
      ["__proto__", ["x"]],
      ["plain", ["y"]],
    ]);
    const versions = await invoke("ListAssociationVersions", { AssociationId: id });
    expect(entries((versions.body.AssociationVersions as { Parameters: unknown }[])[0]?.Parameters)).toEqual([
      ["__proto__", ["x"]],
      ["plain", ["y"]],
    ]);
  });

  it("in TargetMaps: stored and described as sent", async () => {
    const created = await invokeRaw(
      "CreateAssociation",
      '{"Name":"AWS-RunShellScript","TargetMaps":[{"__proto__":["x"],"b":["y"]}],"Parameters":{"commands":["ls"]}}',
    );
    expect(created.status).toBe(200);
    const id = (created.body.AssociationDescription as { AssociationId: string }).AssociationId;
    const described = await invoke("DescribeAssociation", { AssociationId: id });
    const maps = (described.body.AssociationDescription as { TargetMaps: unknown[] }).TargetMaps;
    expect(entries(maps[0])).toEqual([
      ["__proto__", ["x"]],
      ["b", ["y"]],
    ]);
  });

  it("in a custom inventory type's Content: stored and listed as sent", async () => {
    const put = await invokeRaw(
      "PutInventory",
      `{"InstanceId":"${NODE}","Items":[{"TypeName":"Custom:Proto","SchemaVersion":"1.0","CaptureTime":"2026-11-26T00:00:00Z","Content":[{"__proto__":"kept","plain":"v"}]}]}`,
    );
    expect(put.status).toBe(200);
    const listed = await invoke("ListInventoryEntries", { InstanceId: NODE, TypeName: "Custom:Proto" });
    expect(listed.status).toBe(200);
    expect(entries((listed.body.Entries as unknown[])[0])).toEqual([
      ["__proto__", "kept"],
      ["plain", "v"],
    ]);
  });
});
