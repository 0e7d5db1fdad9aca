/** The scheduler's tick (due associations, their runs, commands' deadlines, housekeeping): a part of the runtime (runtime.ts). */
import { Scheduler } from "../domain/scheduler/scheduler.ts";
import { DynamoScheduleStore } from "../store/schedule-store.ts";
import { executions } from "./executions.ts";
import { commandProgress } from "./message-channel.ts";
import type { Runtime } from "./runtime.ts";

export const scheduler = (r: Runtime) =>
  new Scheduler(new DynamoScheduleStore(r.db, r.tableName), r.get(executions), r.get(commandProgress));
