/** The bench's own server processes (`npm start`, the bare server): where one serves, once it says. */
import type { ChildProcess } from "node:child_process";

/**
 * The URL a child prints once it serves (the first match of `serving`'s capture), or a refusal
 * with what it printed if it exits first. Its output is drained afterwards, so it never blocks.
 */
export async function servingUrl(child: ChildProcess, serving: RegExp, what: string): Promise<string> {
  const url = await new Promise<string>((resolve, reject) => {
    let output = "";
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const found = output.match(serving);
      if (found) {
        // Kept no longer: a server that logs every request would fill it.
        child.stdout?.off("data", read);
        resolve(found[1] as string);
      }
    };
    child.stdout?.on("data", read);
    child.once("exit", (code) => reject(new Error(`${what} exited (${code}) before serving:\n${output}`)));
  });
  child.stdout?.resume();
  return url;
}
