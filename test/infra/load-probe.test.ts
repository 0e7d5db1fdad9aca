/**
 * `npm start`'s load probe (infra/local/load-probe.ts, LOAD_PROBE_SECONDS): what `npm run fleet`
 * reads to say where a loaded server waits. Real DynamoDB Local calls through the store's own
 * transport (shared/store/dynamodb-transport.ts): each is timed by its target, its socket wait
 * apart from its answer, and a window's line carries them with the event loop's figures.
 */
import { GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { startLoadProbe } from "../../infra/local/load-probe.ts";
import { freshTable, type TestTable } from "../support/table.ts";

let table: TestTable;
beforeAll(async () => {
  table = await freshTable();
});

let stop: (() => void) | undefined;
afterEach(() => stop?.());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("the load probe", () => {
  it("writes a window's DynamoDB calls by target (socket wait, answer) and the event loop's figures", async () => {
    const lines: string[] = [];
    const log = vi.spyOn(console, "log").mockImplementation((line: unknown) => {
      lines.push(String(line));
    });
    try {
      stop = startLoadProbe(0.3);
      const Key = { PK: "probe", SK: "probe" };
      await table.db.send(new PutCommand({ TableName: table.name, Item: { ...Key, Type: "Probe" } }));
      await Promise.all(Array.from({ length: 3 }, () => table.db.send(new GetCommand({ TableName: table.name, Key }))));
      await sleep(450);
    } finally {
      log.mockRestore();
    }
    const probes = lines.filter((line) => line.startsWith('{"probe"')).map((line) => JSON.parse(line).probe);
    const withCalls = probes.find((probe) => probe.dynamodb.GetItem);
    expect(withCalls).toBeDefined();
    expect(withCalls.dynamodb.GetItem.count).toBe(3);
    expect(withCalls.dynamodb.PutItem.count).toBe(1);
    expect(withCalls.dynamodb.GetItem.answerMs.p50).toBeGreaterThan(0);
    expect(withCalls.dynamodb.GetItem.socketWaitMs.max).toBeGreaterThanOrEqual(0);
    expect(withCalls.eventLoop).toEqual({
      utilization: expect.any(Number),
      delayP50Ms: expect.any(Number),
      delayP99Ms: expect.any(Number),
      delayMaxMs: expect.any(Number),
    });
    expect(withCalls.socketsInUse).toEqual(expect.any(Number));
  });

  it("stopped, times nothing more", async () => {
    const lines: string[] = [];
    const log = vi.spyOn(console, "log").mockImplementation((line: unknown) => {
      lines.push(String(line));
    });
    try {
      startLoadProbe(0.2)();
      await table.db.send(new GetCommand({ TableName: table.name, Key: { PK: "probe", SK: "probe" } }));
      await sleep(300);
    } finally {
      log.mockRestore();
    }
    expect(lines.filter((line) => line.startsWith('{"probe"'))).toEqual([]);
  });
});
