/**
 * Parameter Store end to end: the `aws` CLI replaying AWS's published CLI examples (awscli's
 * examples/ssm/put-parameter.rst, get-parameter.rst, get-parameters-by-path.rst and
 * label-parameter-version.rst, the pages at docs.aws.amazon.com/cli/latest/reference/ssm/), and
 * the SDK v3 client through the local HTTP endpoint.
 */
import {
  DeleteParameterCommand,
  GetParameterCommand,
  GetParameterHistoryCommand,
  GetParametersCommand,
  ParameterNotFound,
  PutParameterCommand,
  paginateGetParametersByPath,
  SSMClient,
} from "@aws-sdk/client-ssm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { awsCli, useLocalEndpoint } from "../support/endpoint.ts";

const server = useLocalEndpoint();
let ssm: SSMClient;

const cli = async (...args: string[]) => {
  const result = await awsCli(server.url, args, { output: "json" });
  if (result.code !== 0) throw new Error(`aws ssm ${args.join(" ")} failed: ${result.stderr}`);
  return result.stdout.trim() === "" ? {} : JSON.parse(result.stdout);
};

beforeAll(() => {
  ssm = new SSMClient({
    endpoint: server.url,
    region: "us-east-1",
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
    maxAttempts: 1,
  });
});

afterAll(() => {
  ssm?.destroy();
});

describe("PutParameter, GetParameter, GetParameters, LabelParameterVersion, GetParametersByPath: AWS's published CLI examples", () => {
  it("put-parameter --overwrite (Example 1) answers Version 2, Tier Standard", async () => {
    expect(await cli("put-parameter", "--name", "MyStringParameter", "--type", "String", "--value", "Veni")).toEqual({
      Version: 1,
      Tier: "Standard",
    });
    expect(
      await cli("put-parameter", "--name", "MyStringParameter", "--type", "String", "--value", "Vici", "--overwrite"),
    ).toEqual({ Version: 2, Tier: "Standard" });
  });

  it("put-parameter --tier Advanced (Examples 2 and 3)", async () => {
    expect(
      await cli(
        "put-parameter",
        "--name",
        "MyAdvancedParameter",
        "--description",
        "This is an advanced parameter",
        "--value",
        "Lorem ipsum dolor sit amet",
        "--type",
        "String",
        "--tier",
        "Advanced",
      ),
    ).toEqual({ Version: 1, Tier: "Advanced" });
    await cli("put-parameter", "--name", "MyConvertedParameter", "--value", "abc", "--type", "String");
    expect(
      await cli(
        "put-parameter",
        "--name",
        "MyConvertedParameter",
        "--value",
        "abc123",
        "--type",
        "String",
        "--tier",
        "Advanced",
        "--overwrite",
      ),
    ).toEqual({ Version: 2, Tier: "Advanced" });
  });

  it("get-parameter (Example 1): the published members, and the ARN without the name's slash", async () => {
    const { Parameter } = await cli("get-parameter", "--name", "MyStringParameter");
    expect(Object.keys(Parameter).sort()).toEqual(
      ["ARN", "DataType", "LastModifiedDate", "Name", "Type", "Value", "Version"].sort(),
    );
    expect(Parameter).toMatchObject({
      Name: "MyStringParameter",
      Type: "String",
      Value: "Vici",
      Version: 2,
      ARN: "arn:aws:ssm:us-east-1:000000000000:parameter/MyStringParameter",
      DataType: "text",
    });
  });

  it("get-parameter --with-decryption (Example 2)", async () => {
    await cli(
      "put-parameter",
      "--name",
      "MySecureStringParameter",
      "--type",
      "SecureString",
      "--value",
      "16679b88-310b-4895-a943-e0764EXAMPLE",
    );
    const { Parameter } = await cli("get-parameter", "--name", "MySecureStringParameter", "--with-decryption");
    expect(Parameter).toMatchObject({ Type: "SecureString", Value: "16679b88-310b-4895-a943-e0764EXAMPLE" });
  });

  it("label-parameter-version (Examples 1 and 2), then get-parameter name:label and name:2 (Examples 3 and 4)", async () => {
    await cli("put-parameter", "--name", "MyStringParameter", "--type", "String", "--value", "third", "--overwrite");
    expect(await cli("label-parameter-version", "--name", "MyStringParameter", "--labels", "ProductionReady")).toEqual({
      InvalidLabels: [],
      ParameterVersion: 3,
    });
    expect(
      await cli(
        "label-parameter-version",
        "--name",
        "MyStringParameter",
        "--parameter-version",
        "2",
        "--labels",
        "DevelopmentReady",
      ),
    ).toEqual({ InvalidLabels: [], ParameterVersion: 2 });
    const { Parameter: labelled } = await cli("get-parameter", "--name", "MyStringParameter:DevelopmentReady");
    expect(labelled).toMatchObject({
      Name: "MyStringParameter",
      Value: "Vici",
      Version: 2,
      Selector: ":DevelopmentReady",
    });
    const { Parameter: versioned } = await cli("get-parameter", "--name", "MyStringParameter:2");
    expect(versioned).toMatchObject({ Version: 2, Selector: ":2" });
  });

  it("get-parameters-by-path --path /site/newyork/department/", async () => {
    await cli(
      "put-parameter",
      "--name",
      "/site/newyork/department/marketing",
      "--type",
      "String",
      "--value",
      "Floor 2",
    );
    await cli("put-parameter", "--name", "/site/newyork/department/infotech", "--type", "String", "--value", "Floor 3");
    await cli("put-parameter", "--name", "/site/newyork/department/it/desk", "--type", "String", "--value", "deeper");
    const { Parameters } = await cli("get-parameters-by-path", "--path", "/site/newyork/department/");
    // The published output is not in name order; AWS promises none. This service lists by name.
    expect(Parameters.map((p: { Name: string; Value: string }) => [p.Name, p.Value]).sort()).toEqual([
      ["/site/newyork/department/infotech", "Floor 3"],
      ["/site/newyork/department/marketing", "Floor 2"],
    ]);
    expect(Parameters[0].ARN).toBe("arn:aws:ssm:us-east-1:000000000000:parameter/site/newyork/department/infotech");
  });

  it("errors read as AWS's", async () => {
    const missing = await awsCli(server.url, ["get-parameter", "--name", "/does/not/exist"]);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain("An error occurred (ParameterNotFound) when calling the GetParameter operation:");
    const exists = await awsCli(server.url, [
      "put-parameter",
      "--name",
      "MyStringParameter",
      "--type",
      "String",
      "--value",
      "x",
    ]);
    expect(exists.stderr).toContain(
      "An error occurred (ParameterAlreadyExists) when calling the PutParameter operation: The parameter already exists.",
    );
  });
});

describe("PutParameter, GetParameter, GetParameters, GetParametersByPath, GetParameterHistory, DeleteParameter with the SDK v3 client", () => {
  it("puts, reads, pages by path, and deletes", async () => {
    for (let i = 0; i < 13; i++) {
      await ssm.send(
        new PutParameterCommand({ Name: `/sdk/p${String(i).padStart(2, "0")}`, Value: `v${i}`, Type: "String" }),
      );
    }
    const got = await ssm.send(new GetParameterCommand({ Name: "/sdk/p00" }));
    expect(got.Parameter?.LastModifiedDate).toBeInstanceOf(Date);
    const many = await ssm.send(new GetParametersCommand({ Names: ["/sdk/p01", "/sdk/zz"] }));
    expect(many.Parameters?.map((p) => p.Name)).toEqual(["/sdk/p01"]);
    expect(many.InvalidParameters).toEqual(["/sdk/zz"]);
    const seen: string[] = [];
    for await (const page of paginateGetParametersByPath({ client: ssm, pageSize: 5 }, { Path: "/sdk" })) {
      expect((page.Parameters ?? []).length).toBeLessThanOrEqual(5);
      seen.push(...(page.Parameters ?? []).map((p) => p.Name as string));
    }
    expect(seen).toHaveLength(13);
    const history = await ssm.send(new GetParameterHistoryCommand({ Name: "/sdk/p00" }));
    expect(history.Parameters?.[0]?.Version).toBe(1);
    await ssm.send(new DeleteParameterCommand({ Name: "/sdk/p00" }));
    await expect(ssm.send(new GetParameterCommand({ Name: "/sdk/p00" }))).rejects.toBeInstanceOf(ParameterNotFound);
  });
});
