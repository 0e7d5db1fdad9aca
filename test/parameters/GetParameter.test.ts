/**
 * GetParameter: by name, by ARN, with `name:version` and `name:label` selectors (the answer's
 * `Selector`), and AWS's errors for a missing parameter or version.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { call, fails } from "../support/invoke.ts";
import { freshTable } from "../support/table.ts";

beforeAll(async () => {
  await freshTable();
  await call("PutParameter", { Name: "/svc/url", Value: "v1", Type: "String" });
  await call("PutParameter", { Name: "/svc/url", Value: "v2", Overwrite: true });
  await call("PutParameter", { Name: "/svc/url", Value: "v3", Overwrite: true });
  await call("LabelParameterVersion", { Name: "/svc/url", ParameterVersion: 1, Labels: ["Prod"] });
  await call("LabelParameterVersion", { Name: "/svc/url", Labels: ["Latest"] });
  await call("PutParameter", { Name: "single", Value: "s", Type: "String" });
});

describe("GetParameter", () => {
  it("the latest version by name, without Selector", async () => {
    const { Parameter } = await call("GetParameter", { Name: "/svc/url" });
    expect(Parameter).toMatchObject({ Name: "/svc/url", Value: "v3", Version: 3 });
    expect(Parameter.Selector).toBeUndefined();
  });

  it("name:version and name:label select a version and echo the selector", async () => {
    expect((await call("GetParameter", { Name: "/svc/url:2" })).Parameter).toMatchObject({
      Name: "/svc/url",
      Value: "v2",
      Version: 2,
      Selector: ":2",
    });
    expect((await call("GetParameter", { Name: "/svc/url:Prod" })).Parameter).toMatchObject({
      Value: "v1",
      Version: 1,
      Selector: ":Prod",
    });
    expect((await call("GetParameter", { Name: "/svc/url:Latest" })).Parameter).toMatchObject({
      Value: "v3",
      Version: 3,
      Selector: ":Latest",
    });
  });

  it("by ARN, with or without a selector", async () => {
    const arn = "arn:aws:ssm:us-east-1:000000000000:parameter/svc/url";
    expect((await call("GetParameter", { Name: arn })).Parameter).toMatchObject({ Name: "/svc/url", Version: 3 });
    expect((await call("GetParameter", { Name: `${arn}:1` })).Parameter).toMatchObject({ Value: "v1" });
    expect(
      (await call("GetParameter", { Name: "arn:aws:ssm:us-east-1:000000000000:parameter/single" })).Parameter,
    ).toMatchObject({ Name: "single" });
    // Another account's ARN names nothing here.
    expect((await fails("GetParameter", { Name: "arn:aws:ssm:us-east-1:111111111111:parameter/single" })).type).toBe(
      "ParameterNotFound",
    );
  });

  it("a missing parameter is ParameterNotFound with an empty message, as AWS answers", async () => {
    expect(await fails("GetParameter", { Name: "/nope" })).toEqual({
      status: 400,
      type: "ParameterNotFound",
      message: undefined,
    });
  });

  it("a missing version or label is ParameterVersionNotFound", async () => {
    expect(await fails("GetParameter", { Name: "/svc/url:9" })).toEqual({
      status: 400,
      type: "ParameterVersionNotFound",
      message: "Systems Manager could not find version 9 of /svc/url. Verify the version and try again.",
    });
    expect((await fails("GetParameter", { Name: "/svc/url:Nolabel" })).type).toBe("ParameterVersionNotFound");
  });

  it("a name AWS would not accept is a ValidationException", async () => {
    expect((await fails("GetParameter", { Name: "{test}-test" })).message).toMatch(
      /^Parameter name: can't be prefixed with "ssm" \(case-insensitive\)/,
    );
    expect((await fails("GetParameter", { Name: "xxx/yyy" })).type).toBe("ValidationException");
  });
});
