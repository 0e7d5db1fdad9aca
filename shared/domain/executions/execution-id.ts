/**
 * Execution ids: UUIDs whose first 48 bits are the creation time in milliseconds (RFC 9562,
 * version 7). They match the API's UUID pattern, and their text sorts by creation time, which is
 * what lets the store list executions newest first and turn a CreatedTime filter into a key range
 * while still reading an execution by its id alone.
 */
import { randomBytes } from "node:crypto";

const hex = (value: number, digits: number) => value.toString(16).padStart(digits, "0");

/** The id's time part: the first 13 characters (`xxxxxxxx-xxxx`) of any id made at this millisecond. */
export function executionIdPrefix(time: Date): string {
  const ms = hex(Math.max(0, Math.floor(time.getTime())), 12);
  return `${ms.slice(0, 8)}-${ms.slice(8, 12)}`;
}

export function newExecutionId(time: Date): string {
  const random = randomBytes(10);
  const r = random.toString("hex");
  const variant = hex(0x8 | ((random[2] as number) & 0x3), 1);
  return `${executionIdPrefix(time)}-7${r.slice(0, 3)}-${variant}${r.slice(3, 6)}-${r.slice(6, 18)}`;
}

/** When an execution was created: the time its id carries. */
export function executionTime(executionId: string): Date {
  return new Date(Number.parseInt(executionId.slice(0, 8) + executionId.slice(9, 13), 16));
}
