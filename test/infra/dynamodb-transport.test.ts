/**
 * The store's DynamoDB transport (shared/store/dynamodb-transport.ts): its signer must sign
 * exactly as the SDK's own SignatureV4 does (real DynamoDB checks it; DynamoDB Local does not,
 * so only this comparison can catch a difference), and its HTTP handler must hand the SDK what
 * the SDK's retry policy and deserializer expect: dropped connections and 5xx answers retried,
 * answers and binary values read back whole, aborts honoured.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { GetItemCommand } from "@aws-sdk/client-dynamodb";
import { GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { Hash } from "@smithy/hash-node";
import { HttpRequest, HttpResponse } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { documentClient, dynamoDbClient } from "../../shared/store/dynamodb.ts";
import { KeepAliveHandler, SigV4RequestSigner } from "../../shared/store/dynamodb-transport.ts";
import { freshTable, type TestTable } from "../support/table.ts";

const credentials = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" };
const session = { ...credentials, sessionToken: "IQoJb3JpZ2luX2VjEXAMPLE//token==" };

const sdkSigner = (identity: typeof credentials) =>
  new SignatureV4({
    credentials: identity,
    region: "eu-west-1",
    service: "dynamodb",
    sha256: Hash.bind(null, "sha256"),
    uriEscapePath: true,
  });
const ourSigner = (identity: typeof credentials) =>
  new SigV4RequestSigner({ credentials: async () => identity, region: "eu-west-1", service: "dynamodb" });

/** A request as the SDK hands it to the signer, with headers of every kind the signer must sort out. */
const dynamoRequest = (extra: Record<string, string> = {}) =>
  new HttpRequest({
    protocol: "https:",
    hostname: "dynamodb.eu-west-1.amazonaws.com",
    method: "POST",
    path: "/",
    headers: {
      "Content-Type": "application/x-amz-json-1.0",
      "X-Amz-Target": "DynamoDB_20120810.GetItem",
      host: "dynamodb.eu-west-1.amazonaws.com",
      "content-length": "61",
      "amz-sdk-invocation-id": "4e4c4d3a-0c4c-4d8e-9a0e-1c2b3a4d5e6f",
      "amz-sdk-request": "attempt=1; max=3",
      "user-agent": "aws-sdk-js/3",
      "x-amzn-trace-id": "Root=1-5759e988-bd862e3fe1be46a994272793",
      "proxy-authorization": "not signed",
      ...extra,
    },
    body: '{"TableName":"t","Key":{"PK":{"S":"DOC#a"},"SK":{"S":"HEAD"}}}',
  });

const signingDate = new Date("2026-11-26T10:20:30Z");

describe("the signer", () => {
  it("signs a DynamoDB call exactly as the SDK's SignatureV4", async () => {
    const request = dynamoRequest({ "X-Spaced": "  a   b\tc  " });
    const ours = await ourSigner(credentials).sign(request, { signingDate });
    const sdk = await sdkSigner(credentials).sign(dynamoRequest({ "X-Spaced": "  a   b\tc  " }), { signingDate });
    expect(ours.headers.authorization).toBe(sdk.headers.authorization);
    expect(ours.headers["x-amz-date"]).toBe("20261126T102030Z");
    expect(ours.headers.authorization).toContain("SignedHeaders=amz-sdk-invocation-id;amz-sdk-request;");
    expect(ours.headers.authorization).not.toContain("user-agent");
    // The request it was given is left as it was: a retry signs it again.
    expect(request.headers.authorization).toBeUndefined();
  });

  it("signs a session's token in, as the SDK does", async () => {
    const ours = await ourSigner(session).sign(dynamoRequest(), { signingDate });
    const sdk = await sdkSigner(session).sign(dynamoRequest(), { signingDate });
    expect(ours.headers["x-amz-security-token"]).toBe(session.sessionToken);
    expect(ours.headers.authorization).toBe(sdk.headers.authorization);
  });

  it("keeps no signing key across secrets or days", async () => {
    const other = { accessKeyId: "AKIDOTHER", secretAccessKey: "another-secret" };
    const nextDay = new Date("2026-11-27T00:00:01Z");
    for (const [identity, date] of [
      [credentials, signingDate],
      [other, signingDate],
      [other, nextDay],
      [credentials, nextDay],
    ] as const) {
      const ours = await ourSigner(identity).sign(dynamoRequest(), { signingDate: date });
      const sdk = await sdkSigner(identity).sign(dynamoRequest(), { signingDate: date });
      expect(ours.headers.authorization).toBe(sdk.headers.authorization);
    }
  });

  it("signs what the real client sends as the SDK would (the request captured at the handler)", async () => {
    const captured: HttpRequest[] = [];
    const client = dynamoDbClient("http://127.0.0.1:1", "eu-west-1");
    client.config.credentials = async () => session;
    (client.config as { requestHandler: unknown }).requestHandler = {
      handle: async (request: HttpRequest) => {
        captured.push(request);
        return { response: new HttpResponse({ statusCode: 200, headers: {}, body: Buffer.from("{}") }) };
      },
    };
    await client.send(new GetItemCommand({ TableName: "t", Key: { PK: { S: "a" }, SK: { S: "b" } } }));
    const sent = captured[0] as HttpRequest;
    const date = sent.headers["x-amz-date"] as string;
    const resigned = await new SignatureV4({
      credentials: session,
      region: "eu-west-1",
      service: "dynamodb",
      sha256: Hash.bind(null, "sha256"),
      uriEscapePath: true,
    }).sign(HttpRequest.clone(sent), {
      signingDate: new Date(
        `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 11)}:${date.slice(11, 13)}:${date.slice(13)}`,
      ),
    });
    expect(sent.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/dynamodb\//,
    );
    expect(sent.headers.authorization).toBe(resigned.headers.authorization);
    // The user agent is not built for the store's calls (withoutUnusedMiddleware).
    expect(sent.headers["user-agent"]).toBeUndefined();
  });
});

/** A stand-in DynamoDB that answers each request with the next of `answers`. */
async function fakeDynamoDb(answers: ((req: IncomingMessage, res: ServerResponse) => void)[]) {
  let seen = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => (answers[seen++] ?? answers[answers.length - 1])?.(req, res));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  servers.push(server);
  return { endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen: () => seen };
}
const servers: Server[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

const item = (_req: IncomingMessage, res: ServerResponse) => {
  res.writeHead(200, { "content-type": "application/x-amz-json-1.0" });
  res.end(JSON.stringify({ Item: { PK: { S: "a" }, SK: { S: "b" }, Data: { B: "AAEC/w==" } } }));
};
const getItem = new GetItemCommand({ TableName: "t", Key: { PK: { S: "a" }, SK: { S: "b" } } });

describe("the HTTP handler", () => {
  it("hands the SDK a dropped connection as a TimeoutError, which it retries", async () => {
    const dynamo = await fakeDynamoDb([(req) => req.socket.destroy(), item]);
    const output = await dynamoDbClient(dynamo.endpoint, "us-east-1").send(getItem);
    expect(output.$metadata.attempts).toBe(2);
    expect(output.Item?.Data?.B).toEqual(new Uint8Array([0, 1, 2, 255]));
  });

  it("hands the SDK a 500 answer, which it retries, and a modeled error with its fields", async () => {
    const internal = (_req: IncomingMessage, res: ServerResponse) => {
      res.writeHead(500, { "content-type": "application/x-amz-json-1.0" });
      res.end(JSON.stringify({ __type: "com.amazonaws.dynamodb.v20120810#InternalServerError", message: "boom" }));
    };
    const failed = (_req: IncomingMessage, res: ServerResponse) => {
      res.writeHead(400, { "content-type": "application/x-amz-json-1.0", "x-amzn-requestid": "REQ1" });
      res.end(
        JSON.stringify({
          __type: "com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException",
          message: "The conditional request failed",
          Item: { PK: { S: "a" } },
        }),
      );
    };
    const dynamo = await fakeDynamoDb([internal, failed]);
    const error = await dynamoDbClient(dynamo.endpoint, "us-east-1")
      .send(getItem)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      name: "ConditionalCheckFailedException",
      Item: { PK: { S: "a" } },
      $metadata: { httpStatusCode: 400, requestId: "REQ1", attempts: 2 },
    });
  });

  it("answers an abort at once, before or during the call", async () => {
    const handler = new KeepAliveHandler();
    const silent = await fakeDynamoDb([() => {}]);
    const url = new URL(silent.endpoint);
    const toSilent = new HttpRequest({
      protocol: "http:",
      hostname: url.hostname,
      port: Number(url.port),
      method: "POST",
      path: "/",
      headers: { "content-type": "application/x-amz-json-1.0" },
      body: "{}",
    });
    await expect(handler.handle(toSilent, { abortSignal: AbortSignal.abort() })).rejects.toMatchObject({
      name: "AbortError",
    });
    const controller = new AbortController();
    const pending = handler.handle(toSilent, { abortSignal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await expect(pending).rejects.toMatchObject({ name: "AbortError" });
    handler.destroy();
  });
});

describe("on DynamoDB Local, through the stores' document client", () => {
  let table: TestTable;
  beforeAll(async () => {
    table = await freshTable();
  });

  it("writes and reads back binary values and large items whole", async () => {
    const db = documentClient(table.endpoint, "us-east-1");
    const bytes = new Uint8Array(300_000).map((_, i) => (i * 7) % 256);
    await db.send(
      new PutCommand({ TableName: table.name, Item: { PK: "BIN#1", SK: "ITEM", Data: bytes, Text: "é😀" } }),
    );
    const { Item } = await db.send(new GetCommand({ TableName: table.name, Key: { PK: "BIN#1", SK: "ITEM" } }));
    expect(Buffer.from(Item?.Data as Uint8Array).equals(Buffer.from(bytes))).toBe(true);
    expect(Item?.Text).toBe("é😀");
  });
});
