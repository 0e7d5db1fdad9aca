import { beforeAll, describe, expect, it } from "vitest";
import { toWire } from "../../shared/protocol/json-protocol.ts";
import { DEFAULT_IDENTITY } from "../support/identity.ts";
import { call, invokeRaw } from "../support/invoke.ts";
import { freshTable, type TestTable } from "../support/table.ts";

let table: TestTable;
beforeAll(async () => {
  table = await freshTable();
});

describe("AWS JSON 1.1 through a handler", () => {
  it("answers with the JSON 1.1 content type and a request id", async () => {
    const answer = await invokeRaw("ListDocuments", "{}");
    expect(answer.status).toBe(200);
    expect(answer.headers["Content-Type"]).toBe("application/x-amz-json-1.1");
    expect(answer.headers["x-amzn-RequestId"]).toEqual(expect.any(String));
  });

  it("treats an empty body as an empty request", async () => {
    expect((await invokeRaw("ListDocuments", "")).status).toBe(200);
  });

  it("answers SerializationException, without a message, for a body that is not JSON", async () => {
    const answer = await invokeRaw("ListDocuments", "{not json");
    expect(answer).toMatchObject({ status: 400, body: { __type: "SerializationException" } });
    expect(answer.body.message).toBeUndefined();
  });

  it("answers SerializationException for a JSON body that is not an object", async () => {
    expect((await invokeRaw("ListDocuments", "[1]")).body.__type).toBe("SerializationException");
    expect((await invokeRaw("ListDocuments", '"text"')).body.__type).toBe("SerializationException");
  });

  it("answers SerializationException for a member of the wrong type, and writes nothing", async () => {
    const before = await table.items();
    const answer = await invokeRaw(
      "CreateDocument",
      JSON.stringify({ Name: "typed", Content: { schemaVersion: "2.2" } }),
    );
    expect(answer).toMatchObject({
      status: 400,
      body: { __type: "SerializationException", message: "Start of structure or map found where not expected." },
    });
    expect(await table.items()).toEqual(before);
  });

  it("takes the region from the SigV4 credential scope and keeps regions apart", async () => {
    const content = JSON.stringify({ schemaVersion: "2.2", mainSteps: [{ action: "aws:runShellScript", name: "a" }] });
    const inRegion = (region: string) => ({ identity: { ...DEFAULT_IDENTITY, region } });
    const created = await invokeRaw(
      "CreateDocument",
      JSON.stringify({ Name: "regional", Content: content }),
      inRegion("eu-west-1"),
    );
    expect(created.status).toBe(200);
    expect(
      (await invokeRaw("DescribeDocument", JSON.stringify({ Name: "regional" }), inRegion("eu-west-1"))).status,
    ).toBe(200);
    expect(
      (await invokeRaw("DescribeDocument", JSON.stringify({ Name: "regional" }), inRegion("us-west-2"))).body.__type,
    ).toBe("InvalidDocument");
    expect(
      (await call("ListDocuments", { Filters: [{ Key: "Owner", Values: ["Self"] }] })).DocumentIdentifiers,
    ).toEqual([]);
  });
});

describe("toWire, the answer as JSON 1.1 writes it", () => {
  it("turns dates into epoch seconds and drops undefined members, at any depth", () => {
    const wire = toWire({ A: new Date(1_700_000_000_123), B: undefined, C: [{ D: new Date(0), E: undefined }] });
    expect(JSON.stringify(wire)).toBe('{"A":1700000000.123,"C":[{"D":0}]}');
  });

  it("hands back a part with nothing to change as it is, and copies only the parts around a change", () => {
    const parameters = { commands: ["echo hi"], nested: { list: [1, "two", null] } };
    const targets = [{ Key: "tag:fleet", Values: ["a", "b"] }];
    const answer = { Associations: [{ Parameters: parameters, Targets: targets, When: new Date(0) }] };
    const wire = toWire(answer) as { Associations: { Parameters: unknown; Targets: unknown; When: unknown }[] };
    expect(wire).not.toBe(answer);
    expect(wire.Associations[0]?.Parameters).toBe(parameters);
    expect(wire.Associations[0]?.Targets).toBe(targets);
    expect(wire.Associations[0]?.When).toBe(0);
    expect(toWire(parameters)).toBe(parameters);
    expect(answer.Associations[0]?.When).toEqual(new Date(0));
  });

  it("copies a prototype-free map (validation's) into an ordinary object, a `__proto__` key kept as data", () => {
    const map = Object.create(null) as Record<string, unknown>;
    Reflect.set(map, "__proto__", ["kept"]); // an own key: the object has no prototype
    map.other = "x";
    const wire = toWire({ Parameters: map }) as { Parameters: object };
    expect(Object.getPrototypeOf(wire.Parameters)).toBe(Object.prototype);
    expect(JSON.stringify(wire)).toBe('{"Parameters":{"__proto__":["kept"],"other":"x"}}');
    // An ordinary object holding `__proto__` as an own key (a map as read from the table) is
    // written with it, whether copied or not.
    const read = JSON.parse('{"__proto__":["kept"],"when":null}');
    expect(JSON.stringify(toWire(read))).toBe('{"__proto__":["kept"],"when":null}');
    expect(JSON.stringify(toWire({ read, at: new Date(0) }))).toBe(
      '{"read":{"__proto__":["kept"],"when":null},"at":0}',
    );
  });
});
