/** Compliance items and summaries: a part of the runtime (runtime.ts). */
import { Compliance } from "../domain/compliance/compliance.ts";
import { DynamoComplianceStore } from "../store/compliance-store.ts";
import { nodes } from "./nodes.ts";
import type { Runtime } from "./runtime.ts";

export const compliance = (r: Runtime) => new Compliance(new DynamoComplianceStore(r.db, r.tableName), r.get(nodes));
