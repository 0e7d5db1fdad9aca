import { execFileSync } from "node:child_process";
import { afterAll, beforeAll, it } from "vitest";
import { type LocalServer, startLocalServer } from "../../infra/local/server.ts";
import { commandContent } from "../support/fixtures.ts";
import { freshTable } from "../support/table.ts";
let server: LocalServer;
beforeAll(async () => { await freshTable(); server = await startLocalServer({ port: 0 }); });
afterAll(async () => { await server.close(); });
function run(...a: string[]) { try { return execFileSync("aws", ["ssm", ...a, "--endpoint-url", server.url, "--region", "us-east-1", "--output", "json"], { env: { ...process.env, AWS_ACCESS_KEY_ID: "t", AWS_SECRET_ACCESS_KEY: "t" }, stdio: "pipe" }).toString(); } catch (e: any) { return `EXIT ${e.status} ${e.stderr}`; } }
it("cli probe", { timeout: 60000 }, async () => {
  for (const n of ["c-1", "c-2", "c-3"]) console.log("PROBE", run("create-document", "--content", commandContent(n), "--name", n).slice(0, 50));
  const first = run("list-documents", "--filters", "Key=Owner,Values=Self", "--max-items", "2");
  console.log("PROBE first", first);
  const token = JSON.parse(first).NextToken;
  console.log("PROBE second", run("list-documents", "--filters", "Key=Owner,Values=Self", "--max-items", "2", "--starting-token", token));
  console.log("PROBE yaml", run("get-document", "--name", "c-1", "--document-format", "YAML"));
  console.log("PROBE validation", run("describe-document", "--name", "a b"));
  console.log("PROBE del-ver", run("delete-document", "--name", "c-1", "--document-version", "1"));
  console.log("PROBE noop", run("list-documents", "--filters", "Key=Owner,Values=Nobody"));
});
