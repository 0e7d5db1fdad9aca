/**
 * Association runs (executions): a part of the runtime (runtime.ts). The association store is
 * here, not in associations.ts, because a run reads its association and associations.ts builds
 * on the executions.
 */
import { associationNotFound } from "../domain/associations/errors.ts";
import { Executions } from "../domain/executions/executions.ts";
import { appliesTo } from "../domain/targets.ts";
import { SsmError } from "../errors.ts";
import { DynamoAssociationStore } from "../store/association-store.ts";
import { DynamoExecutionStore } from "../store/execution-store.ts";
import { documentReader } from "./document-reader.ts";
import { nodes } from "./nodes.ts";
import type { Runtime } from "./runtime.ts";

export const associationStore = (r: Runtime) => new DynamoAssociationStore(r.db, r.tableName);
export const executionStore = (r: Runtime) => new DynamoExecutionStore(r.db, r.tableName);

export const executions = (r: Runtime) =>
  new Executions(
    r.get(executionStore),
    {
      association: (scope, id) => r.get(associationStore).get(scope, id),
      targetedNodeIds: (scope, association) =>
        r.get(nodes).targetedNodeIds(scope, association, (node) => appliesTo(association, node)),
      documentVersion: async (scope, association) => {
        try {
          // The version's number only: its content's parameters are not read (reader.ts).
          const version = await r
            .get(documentReader)
            .runnableVersion(scope, association.Name, association.DocumentVersion);
          return String(version.DocumentVersion);
        } catch (error) {
          if (error instanceof SsmError) return undefined;
          throw error;
        }
      },
      notFound: associationNotFound,
    },
    r.options.clock,
  );
