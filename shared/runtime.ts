/**
 * Every service at once, for the callers that serve every operation from one process: tests
 * (test/support/table.ts), the local server (infra/local/start.ts), the admin command and the
 * benchmark. Each service is the same part a deployed function builds for itself
 * (shared/services/), built on first use, so this object and the handlers of the process share
 * one instance of each once it is installed (`installRuntime`).
 *
 * A function file never imports this module: its handler reaches only its own operation's part,
 * so its bundle carries nothing else (see shared/services/runtime.ts).
 */
import type { Accounts } from "./domain/accounts/accounts.ts";
import type { Authenticator } from "./domain/accounts/authenticator.ts";
import type { Associations } from "./domain/associations/associations.ts";
import type { InstanceAssociations } from "./domain/associations/instance-associations.ts";
import type { ChangeCalendars } from "./domain/calendars/calendars.ts";
import type { Commands } from "./domain/commands/commands.ts";
import type { CommandProgress } from "./domain/commands/progress.ts";
import type { Compliance } from "./domain/compliance/compliance.ts";
import type { Documents } from "./domain/documents/documents.ts";
import type { DocumentSharing } from "./domain/documents/sharing.ts";
import type { Executions } from "./domain/executions/executions.ts";
import type { Inventory } from "./domain/inventory/inventory.ts";
import type { MessageChannel } from "./domain/messages/messages.ts";
import type { Nodes } from "./domain/nodes/nodes.ts";
import type { Parameters } from "./domain/parameters/parameters.ts";
import type { ResourceTags } from "./domain/resource-tags.ts";
import type { Scheduler } from "./domain/scheduler/scheduler.ts";
import { accounts, authenticator } from "./services/accounts.ts";
import { associations } from "./services/associations.ts";
import { changeCalendars } from "./services/calendars.ts";
import { commands } from "./services/commands.ts";
import { compliance } from "./services/compliance.ts";
import { documentSharing } from "./services/document-registry.ts";
import { documents } from "./services/documents.ts";
import { executions } from "./services/executions.ts";
import { instanceAssociations } from "./services/instance-associations.ts";
import { inventory } from "./services/inventory.ts";
import { commandProgress, messageChannel } from "./services/message-channel.ts";
import { nodes } from "./services/nodes.ts";
import { parameters } from "./services/parameters.ts";
import { resourceTags } from "./services/resource-tags.ts";
import { Runtime, type RuntimeOptions } from "./services/runtime.ts";
import { scheduler } from "./services/scheduler.ts";

export { installRuntime, Runtime, type RuntimeOptions, runtime, runtimeOptionsFrom } from "./services/runtime.ts";

/** Everything an operation can call, built on first use, once per runtime. */
export type Services = Runtime & {
  readonly documents: Documents;
  readonly documentSharing: DocumentSharing;
  readonly nodes: Nodes;
  readonly associations: Associations;
  readonly instanceAssociations: InstanceAssociations;
  readonly compliance: Compliance;
  readonly resourceTags: ResourceTags;
  /** Runs of associations (executions), and the scheduler that starts them on schedule. */
  readonly executions: Executions;
  readonly scheduler: Scheduler;
  /** Change Calendar's state: GetCalendarState, and the gate of associations with CalendarNames. */
  readonly changeCalendars: ChangeCalendars;
  readonly inventory: Inventory;
  /** The ec2messages channel the SSM Agent polls. */
  readonly messageChannel: MessageChannel;
  /** Run Command, and its state machine (what replies, cancels and deadlines do to invocations). */
  readonly commands: Commands;
  readonly commandProgress: CommandProgress;
  /** Need the sealing key, which may have to be loaded first. */
  accounts(): Promise<Accounts>;
  authenticator(): Promise<Authenticator>;
  /** Parameter Store: SecureString values are sealed with the same key as credential secrets. */
  parameters(): Promise<Parameters>;
};

class AllServices extends Runtime implements Services {
  get documents() {
    return this.get(documents);
  }
  get documentSharing() {
    return this.get(documentSharing);
  }
  get nodes() {
    return this.get(nodes);
  }
  get associations() {
    return this.get(associations);
  }
  get instanceAssociations() {
    return this.get(instanceAssociations);
  }
  get compliance() {
    return this.get(compliance);
  }
  get resourceTags() {
    return this.get(resourceTags);
  }
  get executions() {
    return this.get(executions);
  }
  get scheduler() {
    return this.get(scheduler);
  }
  get changeCalendars() {
    return this.get(changeCalendars);
  }
  get inventory() {
    return this.get(inventory);
  }
  get messageChannel() {
    return this.get(messageChannel);
  }
  get commands() {
    return this.get(commands);
  }
  get commandProgress() {
    return this.get(commandProgress);
  }
  accounts() {
    return this.get(accounts);
  }
  authenticator() {
    return this.get(authenticator);
  }
  parameters() {
    return this.get(parameters);
  }
}

export function createRuntime(options: RuntimeOptions): Services {
  return new AllServices(options);
}
