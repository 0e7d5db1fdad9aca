/**
 * The scheduler's Lambda function: EventBridge invokes it every minute (template.yaml,
 * `rate(1 minute)`). Not an SSM operation: it has no route, and lives outside functions/*.ts so
 * that neither the local server nor the template generator takes it for one. `npm start` runs
 * the same tick on a timer (infra/local/start.ts).
 */
import { scheduledTask } from "../../shared/handler.ts";

export const handler = scheduledTask(async (services) => {
  const result = await services.scheduler.tick();
  if (result.due > 0) console.log(JSON.stringify({ scheduler: result }));
  return result;
});
