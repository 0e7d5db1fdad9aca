/** The audit trail: a part of the runtime (runtime.ts), which every handler's observer writes to. */
import { AuditTrail } from "../domain/audit/audit.ts";
import { DynamoAuditStore } from "../store/audit-store.ts";
import type { Runtime } from "./runtime.ts";

export const auditTrail = (r: Runtime) => new AuditTrail(new DynamoAuditStore(r.db, r.tableName), r.options.clock);
