/**
 * Admission control of the local server (infra/local/admission.ts): under overload a request is
 * refused before its handler runs, as AWS refuses a caller going too fast (`ThrottlingException`,
 * HTTP 400, "Rate exceeded": the SSM model's ThrottlingException shape, and Parameter Store's
 * documented "Rate exceeded" answer), never answered 500 after a long wait or dropped. Real parts:
 * DynamoDB Local, the handlers, the HTTP server, the real SDK v3 client and the agent's calls
 * replayed over HTTP. Small limits make overload here what a 10,000-node fleet makes it on
 * `npm start` (BENCHMARKS.md, "Admission control", has the figures).
 */

import { globalAgent } from "node:http";
import { GetParameterCommand, PutParameterCommand, type SSMClient, ThrottlingException } from "@aws-sdk/client-ssm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Admission, type Admitted, admissionLimitsFrom, DEFAULT_ADMISSION } from "../../infra/local/admission.ts";
import { type LocalServer, startLocalServer } from "../../infra/local/server.ts";
import { sendRaw } from "../support/agent-http.ts";
import { postTo, sdkClient } from "../support/endpoint.ts";
import { DEFAULT_IDENTITY, signedHeaders } from "../support/identity.ts";
import { ReplayedAgent } from "../support/run-command-agent.ts";
import { freshTable, type TestTable } from "../support/table.ts";

/** How long an empty GetMessages is held here: long enough for the test's calls to happen under it. */
const HOLD_MS = 4000;

let table: TestTable;
const servers: LocalServer[] = [];
const clients: SSMClient[] = [];

beforeAll(async () => {
  table = await freshTable({ messagePollHoldMs: HOLD_MS });
});

afterAll(async () => {
  for (const client of clients) client.destroy();
  await Promise.all(servers.map((server) => server.close()));
});

async function serverWith(limits: { working: number; queued: number; maxWaitMs: number }): Promise<LocalServer> {
  const server = await startLocalServer({ port: 0, admission: limits });
  servers.push(server);
  return server;
}

const endpointOf = (server: LocalServer) => ({ url: server.url, host: new URL(server.url).host });

function client(server: LocalServer, maxAttempts?: number): SSMClient {
  const ssm = sdkClient(server.url, maxAttempts ? { maxAttempts } : {});
  clients.push(ssm);
  return ssm;
}

async function until(condition: () => boolean): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 20));
  for (let i = 0; i < 100 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 20));
}

/** Takes every place at work, as requests in progress would, until `free` is called. */
async function fill(server: LocalServer): Promise<{ free: () => void }> {
  const taken: Admitted[] = [];
  for (let i = 0; i < server.admission.limits.working; i++) taken.push((await server.admission.enter()) as Admitted);
  return {
    free: () => {
      for (const slot of taken) slot.leave();
    },
  };
}

describe("admission control's limits", () => {
  it("come from ADMISSION_WORKING, ADMISSION_QUEUED and ADMISSION_MAX_WAIT_MS, else the measured defaults", () => {
    expect(admissionLimitsFrom({})).toEqual(DEFAULT_ADMISSION);
    expect(
      admissionLimitsFrom({ ADMISSION_WORKING: "8", ADMISSION_QUEUED: "0", ADMISSION_MAX_WAIT_MS: "250" }),
    ).toEqual({ working: 8, queued: 0, maxWaitMs: 250 });
    expect(() => admissionLimitsFrom({ ADMISSION_WORKING: "many" })).toThrow(/ADMISSION_WORKING/);
  });

  it("admit in order of arrival, and refuse one that waited longer than maxWaitMs", async () => {
    const admission = new Admission({ working: 1, queued: 10, maxWaitMs: 100 });
    const first = (await admission.enter()) as Admitted;
    const order: string[] = [];
    const second = Promise.resolve(admission.enter()).then((slot) => {
      order.push("second");
      return slot;
    });
    const third = Promise.resolve(admission.enter()).then((slot) => {
      order.push("third");
      return slot;
    });
    first.leave();
    const admittedSecond = (await second) as Admitted;
    expect(order).toEqual(["second"]);
    // The second holds the place past the third's wait: the third is refused.
    expect(await third).toBeUndefined();
    admittedSecond.leave();
    expect(admission.load).toEqual({ working: 0, waiting: 0 });
    expect(admission.refused).toBe(1);
  });

  it("serve a message poll after the calls in line (they wait 1 s, a poll its hold), not counted against queued", async () => {
    const admission = new Admission({ working: 1, queued: 1, maxWaitMs: 1000 });
    const first = (await admission.enter()) as Admitted;
    const order: string[] = [];
    const poll = Promise.resolve(admission.enter({ patienceMs: 5000 })).then((slot) => {
      order.push("poll");
      return slot as Admitted;
    });
    const call = Promise.resolve(admission.enter()).then((slot) => {
      order.push("call");
      return slot as Admitted;
    });
    first.leave();
    (await call).leave();
    (await poll).leave();
    expect(order).toEqual(["call", "poll"]);
    expect(admission.refused).toBe(0);
  });
});

describe("a server over its admission limit", () => {
  it("answers a flood of valid calls with 200 or ThrottlingException 'Rate exceeded' only, and a refused call wrote nothing", async () => {
    const server = await serverWith({ working: 4, queued: 8, maxWaitMs: 50 });
    const endpoint = endpointOf(server);
    const names = Array.from({ length: 300 }, (_, i) => `/flood/p${i}`);
    const answers = await Promise.all(
      names.map(async (name) => {
        const body = JSON.stringify({ Name: name, Value: "v", Type: "String" });
        const headers = await signedHeaders("PutParameter", body, DEFAULT_IDENTITY, { host: endpoint.host });
        // sendRaw rejects on a dropped connection (ECONNRESET): the test then fails with it.
        return sendRaw(endpoint.url, headers, body);
      }),
    );
    const byOutcome = new Map<string, number>();
    for (const answer of answers) {
      const key = answer.status === 200 ? "200" : `${answer.status} ${answer.body}`;
      byOutcome.set(key, (byOutcome.get(key) ?? 0) + 1);
    }
    const throttled = '400 {"__type":"ThrottlingException","message":"Rate exceeded"}';
    expect([...byOutcome.keys()].sort()).toEqual(["200", throttled]);
    // Every answered call wrote its parameter; every refused one wrote none.
    const stored = new Set(
      (await table.items()).filter((item) => item.Type === "Parameter").map((item) => item.Name as string),
    );
    names.forEach((name, i) => {
      expect({ name, stored: stored.has(name) }).toEqual({ name, stored: answers[i]?.status === 200 });
    });
  });

  it("refuses before the handler runs: a throttled PutParameter leaves the table (audit trail included) as it was", async () => {
    const server = await serverWith({ working: 1, queued: 0, maxWaitMs: 0 });
    const ssm = client(server, 1);
    const before = { items: await table.items(), audit: await table.auditItems() };
    const busy = await fill(server);
    const refused = await ssm
      .send(new PutParameterCommand({ Name: "/refused/one", Value: "v", Type: "String" }))
      .catch((error: unknown) => error);
    busy.free();
    expect(refused).toBeInstanceOf(ThrottlingException);
    expect((refused as ThrottlingException).$metadata.httpStatusCode).toBe(400);
    expect((refused as ThrottlingException).message).toBe("Rate exceeded");
    expect({ items: await table.items(), audit: await table.auditItems() }).toEqual(before);
  });

  it("the real SDK v3 client retries a throttled call with backoff, to success", async () => {
    const server = await serverWith({ working: 1, queued: 0, maxWaitMs: 0 });
    const ssm = client(server);
    const busy = await fill(server);
    // The place frees while the SDK backs off (its throttling backoff starts at about 500 ms, jittered).
    setTimeout(busy.free, 50);
    const put = await ssm.send(new PutParameterCommand({ Name: "/retried/one", Value: "v", Type: "String" }));
    expect(server.admission.refused).toBeGreaterThanOrEqual(1);
    expect(put.$metadata.attempts).toBeGreaterThanOrEqual(2);
    const read = await ssm.send(new GetParameterCommand({ Name: "/retried/one" }));
    expect(read.Parameter?.Value).toBe("v");
  });

  it("keeps the agent's message poll in line instead of refusing it (a refused poll comes back in 2-2.5 s, not 19), and holds it only for what is left of its hold", async () => {
    const server = await serverWith({ working: 1, queued: 0, maxWaitMs: 0 });
    const endpoint = endpointOf(server);
    const agent = await ReplayedAgent.register(endpoint);
    const busy = await fill(server);
    const refusedBefore = server.admission.refused;
    const started = performance.now();
    // ReplayedAgent.call throws on any answer but 200: a ThrottlingException fails the test here.
    const poll = agent.poll();
    const inLineMs = 1500;
    setTimeout(busy.free, inLineMs);
    expect(await poll).toEqual([]);
    const tookMs = performance.now() - started;
    expect(server.admission.refused).toBe(refusedBefore);
    // Held for the rest of its hold, not a whole hold after its wait in line.
    expect(tookMs).toBeGreaterThanOrEqual(HOLD_MS - 100);
    expect(tookMs).toBeLessThan(HOLD_MS + inLineMs - 500);
  });

  it("does not count held GetMessages polls against the limit: a fleet's polls wait while other calls are served", async () => {
    const server = await serverWith({ working: 2, queued: 0, maxWaitMs: 0 });
    const endpoint = endpointOf(server);
    const agents = await Promise.all(Array.from({ length: 6 }, () => ReplayedAgent.register(endpoint)));
    const started = performance.now();
    // Six held polls, three times the places at work, each sent once the one before is held (a
    // poll works before it waits: its read of the queue takes a place). ReplayedAgent.call throws
    // on any answer but 200.
    const polls: Promise<unknown>[] = [];
    for (const agent of agents) {
      polls.push(agent.poll());
      await until(() => server.admission.load.working === 0);
    }
    expect(server.admission.load).toEqual({ working: 0, waiting: 0 });
    const answer = await postTo(endpoint, "DescribeInstanceInformation", "{}");
    expect(answer.status).toBe(200);
    expect(await Promise.all(polls)).toEqual(agents.map(() => []));
    // They were held (not refused, not answered at once).
    expect(performance.now() - started).toBeGreaterThanOrEqual(HOLD_MS - 100);
    expect(server.admission.refused).toBe(0);
  });
});

describe("the server's keep-alive", () => {
  it("outlasts Node's client (http.globalAgent closes an idle socket after 5 s), so a reused socket is never closed under a call", async () => {
    const server = await serverWith(DEFAULT_ADMISSION);
    const answer = await fetch(`${server.url}/`, { method: "OPTIONS" });
    await answer.arrayBuffer();
    // The server announces when it will close an idle connection; it must be past the client's 5 s.
    const hint = /timeout=(\d+)/.exec(answer.headers.get("keep-alive") ?? "")?.[1];
    expect(Number(hint) * 1000).toBeGreaterThan(
      (globalAgent as unknown as { options: { timeout: number } }).options.timeout,
    );
  });
});
