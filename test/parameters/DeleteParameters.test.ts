/** DeleteParameters: DeletedParameters and InvalidParameters, as the model names them. */
import { beforeAll, describe, expect, it } from "vitest";
import { call } from "../support/invoke.ts";
import { freshTable } from "../support/table.ts";

beforeAll(async () => {
  await freshTable();
  await call("PutParameter", { Name: "/x/1", Value: "v", Type: "String" });
  await call("PutParameter", { Name: "/x/2", Value: "v", Type: "SecureString", Tier: "Advanced" });
});

describe("DeleteParameters", () => {
  it("deletes those that exist and lists the others", async () => {
    expect(await call("DeleteParameters", { Names: ["/x/1", "/x/missing", "/x/2"] })).toEqual({
      DeletedParameters: ["/x/1", "/x/2"],
      InvalidParameters: ["/x/missing"],
    });
    expect((await call("GetParameters", { Names: ["/x/1", "/x/2"] })).InvalidParameters).toEqual(["/x/1", "/x/2"]);
  });
});
