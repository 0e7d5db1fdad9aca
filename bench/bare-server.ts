/**
 * A server that adds nothing of its own: the ceiling `npm run bench` puts beside a write's ratio.
 * An HTTP server in a process of its own, as `npm start` is, on the same DynamoDB Local, that
 * answers each request with `{}` once it has made the DynamoDB calls its operation makes (told by
 * the bench beforehand: raw.ts, rawWriteReplay), with the stores' own DynamoDB client. No SigV4,
 * no validation, no domain, no answer to build: what is left of our endpoint when all of its own
 * time is taken out. Started by bench/lib/bare.ts; not a product.
 */
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { dynamoDbClient } from "../shared/store/dynamodb.ts";
import { revive } from "./lib/bare.ts";
import type { MeteredCall } from "./lib/meter.ts";
import { rawWriteReplay } from "./lib/raw.ts";

const raw = dynamoDbClient(process.env.DYNAMODB_ENDPOINT as string, process.env.AWS_REGION as string);
const plans = new Map<string, () => Promise<unknown>>();

const answer = (response: ServerResponse, status: number, body: string) => {
  response.writeHead(status, { "content-type": "application/x-amz-json-1.1", "x-amzn-requestid": "bare" });
  response.end(body);
};

/** POST /plan {operation, calls}: what a request for that operation makes from now on. */
function plan(body: string): string {
  const { operation, calls } = JSON.parse(body, revive) as { operation: string; calls: MeteredCall[] };
  const replay = rawWriteReplay({ raw }, calls);
  if (!replay) throw new Error(`${operation}: its calls can't be replayed`);
  plans.set(operation, replay.send);
  return JSON.stringify({ label: replay.label });
}

const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on("data", (chunk: Buffer) => chunks.push(chunk));
  request.on("end", async () => {
    try {
      if (request.url === "/plan") return answer(response, 200, plan(Buffer.concat(chunks).toString()));
      const target = String(request.headers["x-amz-target"] ?? "");
      const send = plans.get(target.slice(target.indexOf(".") + 1));
      if (!send) throw new Error(`no plan for ${target}`);
      await send();
      answer(response, 200, "{}");
    } catch (error) {
      answer(response, 500, JSON.stringify({ __type: "InternalServerError", message: String(error) }));
    }
  });
});
server.listen(0, "127.0.0.1", () => {
  console.log(`bare server at http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
