/**
 * Association runs (executions): a part of the runtime (runtime.ts). The association store is
 * here, not in associations.ts, because a run reads its association and associations.ts builds
 * on the executions.
 */
import { associationNotFound } from "../domain/associations/errors.ts";
import { RunDispatch } from "../domain/executions/dispatch.ts";
import { Executions } from "../domain/executions/executions.ts";
import { pushFormOf } from "../domain/executions/planner.ts";
import { appliesTo } from "../domain/targets.ts";
import { SsmError } from "../errors.ts";
import { DynamoAssociationStore } from "../store/association-store.ts";
import { DynamoExecutionStore } from "../store/execution-store.ts";
import { changeCalendars } from "./calendars.ts";
import { documentReader } from "./document-reader.ts";
import { commandStore, mailbox } from "./messages.ts";
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
      runnable: async (scope, association) => {
        try {
          // The version's number, and its content searched (not parsed): reader.ts.
          const version = await r
            .get(documentReader)
            .runnableVersion(scope, association.Name, association.DocumentVersion);
          return { version: String(version.DocumentVersion), push: pushFormOf(version.Content) };
        } catch (error) {
          if (error instanceof SsmError) return undefined;
          throw error;
        }
      },
      notFound: associationNotFound,
      calendarState: (scope, names, at, contents) => r.get(changeCalendars).stateOf(scope, names, at, contents),
    },
    r.options.clock,
    r.get(runDispatch),
  );

/** Pushing runs to their nodes as commands over the message channel. */
export const runDispatch = (r: Runtime) =>
  new RunDispatch(
    r.get(executionStore),
    r.get(commandStore),
    r.get(mailbox),
    r.get(documentReader),
    r.options.clock ?? (() => new Date()),
  );
