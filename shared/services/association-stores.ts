/**
 * The stores of associations and their runs alone: parts of the runtime (runtime.ts). The
 * executions part builds on them (a run reads its association), and so do the tag operations
 * (an association's tagging port), which carry none of the runs' code for it
 * (test/infra/bundle.test.ts).
 */
import { DynamoAssociationStore } from "../store/association-store.ts";
import { DynamoExecutionStore } from "../store/execution-store.ts";
import type { Runtime } from "./runtime.ts";

export const associationStore = (r: Runtime) => new DynamoAssociationStore(r.db, r.tableName);
export const executionStore = (r: Runtime) => new DynamoExecutionStore(r.db, r.tableName);
