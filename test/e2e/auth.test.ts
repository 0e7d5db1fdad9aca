/** Real clients with right and wrong credentials against the local endpoint. */
import { ListDocumentsCommand, SSMClient } from "@aws-sdk/client-ssm";
import { describe, expect, it } from "vitest";
import { awsCli, useLocalEndpoint } from "../support/endpoint.ts";

const server = useLocalEndpoint();

type Credentials = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };

function sdk(credentials: Credentials, region = "us-east-1"): SSMClient {
  return new SSMClient({ endpoint: server.url, region, credentials, maxAttempts: 1 });
}

async function sdkError(credentials: Credentials): Promise<{ name: string; message: string; status?: number }> {
  try {
    await sdk(credentials).send(new ListDocumentsCommand({}));
  } catch (error) {
    const e = error as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: e.name, message: e.message, status: e.$metadata?.httpStatusCode };
  }
  throw new Error("expected the call to fail");
}

const cli = (credentials: Credentials, ...args: string[]) => awsCli(server.url, args, { identity: credentials });

describe("the SDK v3 client", () => {
  it("works with the default credentials and with a new account's key", async () => {
    await sdk({ accessKeyId: "test", secretAccessKey: "test" }).send(new ListDocumentsCommand({}));
    await server.table.accounts.createAccount("444444444444");
    const key = await server.table.accounts.createAccessKey("444444444444");
    const result = await sdk({ accessKeyId: key.AccessKeyId, secretAccessKey: key.SecretAccessKey }).send(
      new ListDocumentsCommand({ Filters: [{ Key: "Owner", Values: ["Self"] }] }),
    );
    expect(result.DocumentIdentifiers).toEqual([]);
  });

  it("gets each authentication error with wrong credentials", async () => {
    expect(await sdkError({ accessKeyId: "nobody", secretAccessKey: "x" })).toEqual({
      name: "UnrecognizedClientException",
      message: "The security token included in the request is invalid.",
      status: 400,
    });
    expect(await sdkError({ accessKeyId: "test", secretAccessKey: "wrong" })).toMatchObject({
      name: "InvalidSignatureException",
      status: 400,
    });
    const expired = await server.table.accounts.createTemporaryCredentials("000000000000", -1);
    expect(
      await sdkError({
        accessKeyId: expired.AccessKeyId,
        secretAccessKey: expired.SecretAccessKey,
        sessionToken: expired.SessionToken,
      }),
    ).toMatchObject({ name: "ExpiredTokenException", status: 400 });
  });

  it("works with temporary credentials and their session token", async () => {
    const temporary = await server.table.accounts.createTemporaryCredentials("000000000000", 900);
    await sdk({
      accessKeyId: temporary.AccessKeyId,
      secretAccessKey: temporary.SecretAccessKey,
      sessionToken: temporary.SessionToken,
    }).send(new ListDocumentsCommand({}));
  });
});

describe("the aws CLI", () => {
  it("works with the default credentials and temporary ones", async () => {
    expect(
      (await cli({ accessKeyId: "test", secretAccessKey: "test" }, "list-documents", "--max-items", "1")).code,
    ).toBe(0);
    const temporary = await server.table.accounts.createTemporaryCredentials("000000000000", 900);
    const withToken = {
      accessKeyId: temporary.AccessKeyId,
      secretAccessKey: temporary.SecretAccessKey,
      sessionToken: temporary.SessionToken,
    };
    expect((await cli(withToken, "list-documents", "--max-items", "1")).code).toBe(0);
  }, 60_000);

  it("reports each authentication error", async () => {
    const unknown = await cli({ accessKeyId: "nobody", secretAccessKey: "x" }, "list-documents");
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain("(UnrecognizedClientException)");
    expect(unknown.stderr).toContain("The security token included in the request is invalid.");
    const wrong = await cli({ accessKeyId: "test", secretAccessKey: "wrong" }, "list-documents");
    expect(wrong.stderr).toContain("(InvalidSignatureException)");
  }, 60_000);
});
