/**
 * Association runs (executions): a part of the runtime (runtime.ts), on the stores of
 * association-stores.ts (a run reads its association; associations.ts builds on the executions).
 */
import { associationNotFound } from "../domain/associations/errors.ts";
import { RunDispatch } from "../domain/executions/dispatch.ts";
import { Executions } from "../domain/executions/executions.ts";
import { pushFormOf } from "../domain/executions/planner.ts";
import { SsmError } from "../errors.ts";
import { associationStore, executionStore } from "./association-stores.ts";
import { changeCalendars } from "./calendars.ts";
import { documentReader } from "./document-reader.ts";
import { commandStore, mailbox } from "./messages.ts";
import { nodes } from "./nodes.ts";
import type { Runtime } from "./runtime.ts";

export const executions = (r: Runtime) =>
  new Executions(
    r.get(executionStore),
    {
      association: (scope, id) => r.get(associationStore).get(scope, id),
      targetedNodeIds: (scope, association, atMost) =>
        r.get(nodes).targetedNodeIds(scope, association, undefined, atMost),
      runnable: async (scope, association) => {
        try {
          // The version's number, and its content searched (not parsed): reader.ts.
          const version = await r
            .get(documentReader)
            .runnableVersion(scope, association.Name, association.DocumentVersion);
          // A pushed run's command carries this version's content: no read more.
          return { version: String(version.DocumentVersion), push: pushFormOf(version.Content), content: version };
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
    r.options.runDeferred,
  );

/** Pushing runs to their nodes as commands over the message channel. */
export const runDispatch = (r: Runtime) =>
  new RunDispatch(r.get(executionStore), r.get(commandStore), r.get(mailbox), r.options.clock ?? (() => new Date()));
