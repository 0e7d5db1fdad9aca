/**
 * How a held GetMessages reads its node's queue (shared/domain/messages/mailbox.ts), on the real
 * queue store and DynamoDB Local, its reads counted at the wire: once when it is woken by a
 * sender of the same process, every `rereadMs` for a sender elsewhere, and never at the end of a
 * quiet hold (the agent's next poll, sent at once, reads first). `npm start` re-reads only at
 * the next poll (infra/local/start.ts): before issue 30 a held poll read every second, and a
 * fleet of 20,000 held polls was 20,000 DynamoDB reads a second.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { Mailbox } from "../../shared/domain/messages/mailbox.ts";
import { MessageSignal } from "../../shared/domain/messages/signal.ts";
import { DynamoMessageQueueStore } from "../../shared/store/message-queue-store.ts";
import { type CallMeter, meterCalls } from "../support/call-meter.ts";
import { freshTable, type TestTable } from "../support/table.ts";

const scope = { accountId: "000000000000", region: "us-east-1" };
let table: TestTable;
let store: DynamoMessageQueueStore;
let meter: CallMeter;
let node = 0;

beforeAll(async () => {
  table = await freshTable();
  store = new DynamoMessageQueueStore(table.db, table.name);
  meter = meterCalls(table.db);
});

const nextNode = () => `mi-0000000000000${String(++node).padStart(4, "0")}`;
const message = (destination: string) => ({
  MessageId: `aws.ssm.${crypto.randomUUID()}.${destination}`,
  Destination: destination,
  Topic: "aws.ssm.sendCommand.us.east.1.1",
  Payload: "{}",
  CreatedDate: new Date().toISOString(),
});
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const reads = () => meter.calls.filter((call) => call === "Query").length;

describe("a held GetMessages poll's reads of its queue", () => {
  it("npm start's setting (re-read at the hold): a quiet hold of 600 ms reads the queue once", async () => {
    const mailbox = new Mailbox(store, new MessageSignal(), 600);
    meter.reset();
    const started = Date.now();
    expect(await mailbox.receive(scope, nextNode(), 10, 600)).toEqual([]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(590);
    expect(reads()).toBe(1);
  });

  it("a sender of the same process wakes it at once: the message in the second read", async () => {
    const signal = new MessageSignal();
    const mailbox = new Mailbox(store, signal, 60_000);
    const destination = nextNode();
    meter.reset();
    const started = Date.now();
    const polled = mailbox.receive(scope, destination, 10, 30_000);
    await sleep(100);
    const sent = message(destination);
    await new Mailbox(store, signal).send(scope, [sent]);
    expect((await polled).map((m) => m.MessageId)).toEqual([sent.MessageId]);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(reads()).toBe(2);
  });

  it("the default (deployed, every sender elsewhere): a message another process writes is found by the next re-read", async () => {
    const mailbox = new Mailbox(store, new MessageSignal(), 200);
    const destination = nextNode();
    const polled = mailbox.receive(scope, destination, 10, 20_000);
    await sleep(50);
    const sent = message(destination);
    // Another process: its own signal, which this poll does not hear.
    await new Mailbox(store, new MessageSignal()).send(scope, [sent]);
    expect((await polled).map((m) => m.MessageId)).toEqual([sent.MessageId]);
  });

  it("npm start's setting: a message another process writes waits for the node's next poll, which reads it first", async () => {
    const mailbox = new Mailbox(store, new MessageSignal(), 400);
    const destination = nextNode();
    const polled = mailbox.receive(scope, destination, 10, 400);
    await sleep(50);
    const sent = message(destination);
    await new Mailbox(store, new MessageSignal()).send(scope, [sent]);
    expect(await polled).toEqual([]);
    meter.reset();
    expect((await mailbox.receive(scope, destination, 10, 400)).map((m) => m.MessageId)).toEqual([sent.MessageId]);
    expect(reads()).toBe(1);
  });
});
