/**
 * The scheduler's Lambda function: EventBridge invokes it every minute (template.yaml,
 * `rate(1 minute)`). Not an SSM operation: it has no route, and lives outside functions/*.ts so
 * that neither the local server nor the template generator takes it for one. `npm start` runs
 * the same tick on a timer (infra/local/start.ts).
 */
import { scheduledTask } from "../../shared/handler.ts";
import { scheduler } from "../../shared/services/scheduler.ts";

export const handler = scheduledTask("Scheduler", async (runtime) => {
  const result = await runtime.get(scheduler).tick();
  if (result.due > 0) console.log(JSON.stringify({ scheduler: result }));
  return result;
});
