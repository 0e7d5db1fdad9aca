/**
 * The managed nodes' store alone: a part of the runtime (runtime.ts). Every function's wiring
 * reads a node through it (shared/handler.ts: a node credential's refusal names the node's role,
 * a node-signed request's identity), so it names nothing else: services/nodes.ts, which builds
 * the nodes service on it with the associations' statuses per node, stays out of a function that
 * does not use that service (test/infra/bundle.test.ts).
 */
import { DynamoNodeStore } from "../store/node-store.ts";
import type { Runtime } from "./runtime.ts";

export const nodeStore = (r: Runtime) => new DynamoNodeStore(r.db, r.tableName);
