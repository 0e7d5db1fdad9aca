/**
 * A server that adds nothing of its own: the ceiling `npm run bench` puts beside a ratio. An HTTP
 * server in a process of its own, as `npm start` is, on the same DynamoDB Local, that makes the
 * DynamoDB calls a request's operation makes (told by the bench beforehand: raw.ts, rawReplay
 * for a read, rawWriteReplay for a write), with the stores' own DynamoDB client, then answers
 * what our endpoint answered to the same request (the client reads an answer of the same size).
 * No SigV4, no validation, no domain, no answer to build: what is left of our endpoint when all
 * of its own time is taken out. Started by bench/lib/bare.ts; not a product.
 */
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { dynamoDbClient } from "../shared/store/dynamodb.ts";
import { type BarePlan, revive } from "./lib/bare.ts";
import { rawReplay, rawWriteReplay } from "./lib/raw.ts";

const raw = dynamoDbClient(process.env.DYNAMODB_ENDPOINT as string, process.env.AWS_REGION as string);
const plans = new Map<string, { send: () => Promise<unknown>; body: string }>();

const answer = (response: ServerResponse, status: number, body: string) => {
  response.writeHead(status, { "content-type": "application/x-amz-json-1.1", "x-amzn-requestid": "bare" });
  response.end(body);
};

/** POST /plan (a BarePlan): what a request for the operation makes and answers from now on. */
function plan(text: string): string {
  const { operation, kind, calls, body } = JSON.parse(text, revive) as BarePlan;
  const replay = kind === "read" ? rawReplay({ raw }, calls) : rawWriteReplay({ raw }, calls);
  if (!replay) throw new Error(`${operation}: its calls can't be replayed`);
  plans.set(operation, { send: replay.send, body });
  return JSON.stringify({ label: replay.label });
}

const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on("data", (chunk: Buffer) => chunks.push(chunk));
  request.on("end", async () => {
    try {
      if (request.url === "/plan") return answer(response, 200, plan(Buffer.concat(chunks).toString()));
      const target = String(request.headers["x-amz-target"] ?? "");
      const planned = plans.get(target.slice(target.indexOf(".") + 1));
      if (!planned) throw new Error(`no plan for ${target}`);
      await planned.send();
      answer(response, 200, planned.body);
    } catch (error) {
      answer(response, 500, JSON.stringify({ __type: "InternalServerError", message: String(error) }));
    }
  });
});
server.listen(0, "127.0.0.1", () => {
  console.log(`bare server at http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
