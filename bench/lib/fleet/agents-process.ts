/**
 * One process of a fleet's agents (forked by workers.ts): its share of the nodes, each a
 * FleetNode (node.ts) with its own sockets. A process may open 20,000 files at most here
 * (`ulimit -Hn`), and every node with the message channel on keeps a connection open, so a large
 * fleet is spread over several of these. It answers the fleet's messages (workers.ts `Order`)
 * and tells it of every run its nodes start or finish, as they happen.
 */

import { inBatches } from "../../../test/support/managed-node.ts";
import type { CallSamples } from "./calls.ts";
import { CallLog } from "./calls.ts";
import { agentIntervals } from "./intervals.ts";
import { keyPool } from "./keys.ts";
import { type FleetContext, FleetNode } from "./node.ts";
import type { Order, Told } from "./workers.ts";

const tell = (told: Told) => process.send?.(told);

let running = true;
const calls = new CallLog();
let nodes: FleetNode[] = [];
let live: FleetNode[] = [];

process.on("message", async (order: Order) => {
  if (order.type === "enroll") {
    const { setup } = order;
    const { pairs } = await keyPool(setup.keyPool);
    const fleet: FleetContext = {
      endpoint: setup.endpoint,
      intervals: agentIntervals(setup.scale),
      calls,
      holdMs: setup.holdMs,
      runMs: setup.runMs,
      running: () => running,
      ran: (run) => tell({ type: "ran", run }),
      received: (node, id, at) => tell({ type: "received", node, id, at }),
    };
    nodes = setup.indices.map(
      (i) => new FleetNode(fleet, pairs[i % pairs.length] as (typeof pairs)[number], setup.failing.includes(i)),
    );
    const ids: (string | null)[] = nodes.map(() => null);
    await inBatches(nodes, setup.inFlight, async (node, k) => {
      const index = setup.indices[k] as number;
      const activation = setup.activations[Math.floor(index / setup.perActivation)] as (typeof setup.activations)[0];
      if (await node.enroll(activation)) ids[k] = node.id;
      tell({ type: "enrolled", count: 1 });
    });
    live = nodes.filter((_, k) => ids[k] !== null);
    tell({ type: "enrollment", ids });
  } else if (order.type === "live") {
    for (const node of live) void node.live({ messages: order.messages, spreadMs: order.spreadMs });
    const ticks = setInterval(
      () => tell({ type: "tick", answered: calls.answered, errors: calls.errorCount() }),
      5_000,
    );
    ticks.unref();
  } else if (order.type === "take") {
    const samples: CallSamples = calls.take();
    tell({ type: "samples", samples, cpuMs: cpuMs() });
  } else if (order.type === "stop") {
    running = false;
    tell({ type: "stopped", cpuMs: cpuMs() });
    // Held polls end within a hold; the other loops are asleep and are not waited for.
    setTimeout(() => process.exit(0), order.afterMs).unref();
  }
});

function cpuMs(): number {
  const used = process.cpuUsage();
  return (used.user + used.system) / 1000;
}

tell({ type: "ready" });
