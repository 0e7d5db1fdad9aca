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

describe("npm start's known-empty queues (a queue read empty, nothing sent to it here since, is trusted empty for a while)", () => {
  const TRUST_MS = 60_000;

  it("a poll of a queue read empty is answered without a read", async () => {
    const mailbox = new Mailbox(store, new MessageSignal(), 100, TRUST_MS);
    const destination = nextNode();
    meter.reset();
    expect(await mailbox.receive(scope, destination, 10, 0)).toEqual([]);
    expect(await mailbox.receive(scope, destination, 10, 100)).toEqual([]);
    expect(await mailbox.receive(scope, destination, 10, 0)).toEqual([]);
    expect(reads()).toBe(1);
  });

  it("a send of the same process ends the trust: the held poll wakes, and the next poll reads again", async () => {
    const signal = new MessageSignal();
    const mailbox = new Mailbox(store, signal, 60_000, TRUST_MS);
    const destination = nextNode();
    expect(await mailbox.receive(scope, destination, 10, 0)).toEqual([]);
    const polled = mailbox.receive(scope, destination, 10, 30_000);
    await sleep(50);
    const first = message(destination);
    // Another part of the same process (Run Command, a pushed run): the same signal.
    await new Mailbox(store, signal).send(scope, [first]);
    expect((await polled).map((m) => m.MessageId)).toEqual([first.MessageId]);
    // Taken off for good (the agent's reply), the queue is empty again: read once more, then trusted.
    await mailbox.take(scope, destination, first.MessageId);
    meter.reset();
    expect(await mailbox.receive(scope, destination, 10, 0)).toEqual([]);
    expect(await mailbox.receive(scope, destination, 10, 0)).toEqual([]);
    expect(reads()).toBe(1);
    const second = message(destination);
    await new Mailbox(store, signal).send(scope, [second]);
    expect((await mailbox.receive(scope, destination, 10, 0)).map((m) => m.MessageId)).toEqual([second.MessageId]);
  });

  it("a message another process writes reaches its node once the trust lapses", async () => {
    const mailbox = new Mailbox(store, new MessageSignal(), 100, 500);
    const destination = nextNode();
    expect(await mailbox.receive(scope, destination, 10, 0)).toEqual([]);
    const sent = message(destination);
    await new Mailbox(store, new MessageSignal()).send(scope, [sent]);
    expect(await mailbox.receive(scope, destination, 10, 0)).toEqual([]);
    await sleep(550);
    expect((await mailbox.receive(scope, destination, 10, 0)).map((m) => m.MessageId)).toEqual([sent.MessageId]);
  });

  it("a send that overlaps the read is neither trusted away nor slept through: the poll reads again at once", async () => {
    const signal = new MessageSignal();
    let duringRead: (() => Promise<void>) | undefined;
    // The read's answer (empty) comes back only after the send is written and told.
    const slowStore = Object.assign(Object.create(store) as DynamoMessageQueueStore, {
      queued: async (s: typeof scope, id: string) => {
        const queued = await store.queued(s, id);
        const during = duringRead;
        duringRead = undefined;
        await during?.();
        return queued;
      },
    });
    const mailbox = new Mailbox(slowStore, signal, 60_000, TRUST_MS);
    const destination = nextNode();
    const sent = message(destination);
    duringRead = () => new Mailbox(store, signal).send(scope, [sent]);
    const started = Date.now();
    expect((await mailbox.receive(scope, destination, 10, 10_000)).map((m) => m.MessageId)).toEqual([sent.MessageId]);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("a message handed out and never settled is not an empty queue: it is handed out again after its visibility timeout", async () => {
    const mailbox = new Mailbox(store, new MessageSignal(), 100, TRUST_MS);
    const destination = nextNode();
    const sent = message(destination);
    await new Mailbox(store, new MessageSignal()).send(scope, [sent]);
    expect((await mailbox.receive(scope, destination, 1, 0)).map((m) => m.Deliveries)).toEqual([1]);
    expect(await mailbox.receive(scope, destination, 1, 0)).toEqual([]);
    await sleep(1_100);
    expect((await mailbox.receive(scope, destination, 1, 0)).map((m) => m.Deliveries)).toEqual([2]);
  });

  it("a new process (a restart) trusts nothing: its first poll reads", async () => {
    const destination = nextNode();
    expect(await new Mailbox(store, new MessageSignal(), 100, TRUST_MS).receive(scope, destination, 10, 0)).toEqual([]);
    const sent = message(destination);
    await new Mailbox(store, new MessageSignal()).send(scope, [sent]);
    const restarted = new Mailbox(store, new MessageSignal(), 100, TRUST_MS);
    expect((await restarted.receive(scope, destination, 10, 0)).map((m) => m.MessageId)).toEqual([sent.MessageId]);
  });
});
