import { beforeAll, describe, expect, it } from "vitest";
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
