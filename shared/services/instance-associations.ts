/** The SSM Agent's association loop and a node's view of its associations: a part of the runtime (runtime.ts). */
import { InstanceAssociations } from "../domain/associations/instance-associations.ts";
import { AgentRuns } from "../domain/executions/agent-runs.ts";
import { associationStore, executionStore } from "./association-stores.ts";
import { compliance } from "./compliance.ts";
import { documentReader } from "./document-reader.ts";
import { executions, runDispatch } from "./executions.ts";
import { associationTargetStore, nodes } from "./nodes.ts";
import type { Runtime } from "./runtime.ts";

export const instanceAssociations = (r: Runtime) => {
  const runs = r.get(executions);
  return new InstanceAssociations(
    r.get(associationStore),
    r.get(associationTargetStore),
    r.get(documentReader),
    r.get(nodes),
    r.get(compliance),
    new AgentRuns(
      r.get(executionStore),
      runs.clock,
      async (scope, association, now) => (await runs.calendarGate(scope, association, now))?.state !== "CLOSED",
    ),
    runs,
    r.get(runDispatch),
  );
};
