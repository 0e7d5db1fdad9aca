/**
 * The document client, with each command class's middleware resolved once instead of on every
 * call. The SDK resolves a command's middleware stack for every `send` (clone the client's
 * stack, add the command's own middleware, sort them all, build the chain): about 50 µs a call
 * on this machine, and a node's poll makes nine calls, so it was a fifth of the poll's own time.
 * The SDK's own cure, `cacheMiddleware: true`, is refused by the document client because its
 * resolved handler is bound to the command it was resolved for. This does the same caching one
 * level down: it keeps the low-level command's resolved chain (which, as with
 * `cacheMiddleware`, depends on the command's class, never on its input) and runs each new
 * command's own low-level command through it. What the chain does for a command is unchanged:
 * the document client's marshalling is part of it, and its key nodes are per class.
 *
 * A middleware added to or removed from the stack (the stores add theirs at creation; tests add
 * meters and injected faults at any time) drops what was resolved, so it applies from the next
 * call on. Calls with options or a callback, and anything that is not a document command, take
 * the SDK's own path.
 */
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, type TranslateConfig } from "@aws-sdk/lib-dynamodb";

type Chain = (command: object) => Promise<{ output: unknown }>;

/** What lib-dynamodb's commands hold (protected in its types): the low-level command and the step that adds marshalling. */
type DocumentCommand = {
  clientCommand: { resolveMiddleware(stack: unknown, config: unknown, options: unknown): Chain };
  middlewareStack: unknown;
  addMarshallingMiddleware(config: unknown): void;
};

const isDocumentCommand = (command: unknown): command is DocumentCommand =>
  typeof (command as Partial<DocumentCommand>).addMarshallingMiddleware === "function" &&
  typeof (command as Partial<DocumentCommand>).clientCommand?.resolveMiddleware === "function";

/** The stack's methods that change which middleware runs. */
const CHANGES = ["add", "addRelativeTo", "use", "remove", "removeByTag"] as const;

export class CachingDocumentClient extends DynamoDBDocumentClient {
  private readonly chains = new Map<unknown, Chain>();

  constructor(client: DynamoDBClient, translateConfig?: TranslateConfig) {
    super(client, translateConfig);
    // The stack is the low-level client's too (lib-dynamodb shares it), so a change through
    // either drops the chains.
    const stack = this.middlewareStack as unknown as Record<string, (...args: unknown[]) => unknown>;
    for (const name of CHANGES) {
      const change = stack[name] as (...args: unknown[]) => unknown;
      stack[name] = (...args: unknown[]) => {
        this.chains.clear();
        return change(...args);
      };
    }
  }

  // biome-ignore lint/suspicious/noExplicitAny: the SDK's send is overloaded over every command
  override send(command: any, options?: any, callback?: any): any {
    if (options !== undefined || callback !== undefined || !isDocumentCommand(command)) {
      return super.send(command, options, callback);
    }
    let chain = this.chains.get(command.constructor);
    if (!chain) {
      // As lib-dynamodb's own resolveMiddleware, keeping the chain rather than a closure over this command.
      command.addMarshallingMiddleware(this.config);
      const stack = (this.middlewareStack as unknown as { concat(other: unknown): unknown }).concat(
        command.middlewareStack,
      );
      chain = command.clientCommand.resolveMiddleware(stack, this.config, undefined);
      this.chains.set(command.constructor, chain);
    }
    return chain(command.clientCommand).then((result) => result.output);
  }
}
