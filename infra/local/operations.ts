/**
 * The operations this service serves: exactly the handler files in functions/. The local
 * server and the deployment both derive their routes from this one list.
 */
import { readdirSync } from "node:fs";
import type { OperationHandler } from "../../shared/protocol/operation.ts";

const FUNCTIONS_DIR = new URL("../../functions/", import.meta.url);

export function operationNames(): string[] {
  return readdirSync(FUNCTIONS_DIR)
    .filter((file) => /^[A-Z][A-Za-z]+\.ts$/.test(file))
    .map((file) => file.slice(0, -".ts".length))
    .sort();
}

/** Imports every handler module once, the way Lambda would load each function. */
export async function loadHandlers(): Promise<Map<string, OperationHandler>> {
  const handlers = new Map<string, OperationHandler>();
  for (const name of operationNames()) {
    const module = (await import(new URL(`${name}.ts`, FUNCTIONS_DIR).href)) as { handler: OperationHandler };
    handlers.set(name, module.handler);
  }
  return handlers;
}
