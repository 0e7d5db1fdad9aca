/** GetParameters: several names with selectors; missing names and versions in InvalidParameters. */
import { beforeAll, describe, expect, it } from "vitest";
import { call, fails } from "../support/invoke.ts";
import { freshTable } from "../support/table.ts";

beforeAll(async () => {
  await freshTable();
  await call("PutParameter", { Name: "/a", Value: "a1", Type: "String" });
  await call("PutParameter", { Name: "/a", Value: "a2", Overwrite: true });
  await call("LabelParameterVersion", { Name: "/a", ParameterVersion: 1, Labels: ["old"] });
  await call("PutParameter", { Name: "/b", Value: "secret", Type: "SecureString" });
});

describe("GetParameters", () => {
  it("answers found parameters and lists the others as given", async () => {
    const answer = await call("GetParameters", { Names: ["/a", "/missing", "/a:1", "/a:old", "/a:7", "/b"] });
    expect(answer.InvalidParameters).toEqual(["/missing", "/a:7"]);
    expect(
      answer.Parameters.map((p: { Name: string; Version: number; Selector?: string }) => [
        p.Name,
        p.Version,
        p.Selector,
      ]),
    ).toEqual([
      ["/a", 2, undefined],
      ["/a", 1, ":1"],
      ["/a", 1, ":old"],
      ["/b", 1, undefined],
    ]);
    expect(answer.Parameters[3].Value).not.toBe("secret");
  });

  it("WithDecryption opens SecureString values", async () => {
    const answer = await call("GetParameters", { Names: ["/b"], WithDecryption: true });
    expect(answer.Parameters[0].Value).toBe("secret");
    expect(answer.InvalidParameters).toEqual([]);
  });

  it("at most 10 names, as the model says", async () => {
    const Names = Array.from({ length: 11 }, (_, i) => `/n${i}`);
    expect((await fails("GetParameters", { Names })).type).toBe("ValidationException");
  });
});
