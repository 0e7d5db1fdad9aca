/**
 * Serves the built web console (console/, built by console/build.ts) at /console/: GET and HEAD
 * of its files only, nothing outside its folder, `/console` redirected to `/console/`.
 */
import { readFile } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { extname, join, resolve, sep } from "node:path";

export const CONSOLE_PATH = "/console";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".map": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
};

/** True when the request is for the console (and has been answered). */
export async function serveConsole(dir: string, request: IncomingMessage, response: ServerResponse): Promise<boolean> {
  const path = (request.url ?? "/").split("?")[0] ?? "/";
  if (path !== CONSOLE_PATH && !path.startsWith(`${CONSOLE_PATH}/`)) return false;
  if (request.method !== "GET" && request.method !== "HEAD") return false;
  if (path === CONSOLE_PATH) {
    response.writeHead(301, { Location: `${CONSOLE_PATH}/` });
    response.end();
    return true;
  }
  let relative: string;
  try {
    relative = decodeURIComponent(path.slice(CONSOLE_PATH.length + 1)) || "index.html";
  } catch {
    relative = "";
  }
  const root = resolve(dir);
  const file = resolve(join(root, relative));
  if (!relative || !file.startsWith(`${root}${sep}`)) {
    response.writeHead(404, { "Content-Type": "text/plain" });
    response.end("Not found");
    return true;
  }
  try {
    const body = await readFile(file);
    response.writeHead(200, {
      "Content-Type": TYPES[extname(file)] ?? "application/octet-stream",
      // index.html names hashed assets, so it must be revalidated; the assets never change.
      "Cache-Control": relative === "index.html" ? "no-cache" : "public, max-age=31536000, immutable",
      "X-Content-Type-Options": "nosniff",
    });
    response.end(request.method === "HEAD" ? undefined : body);
  } catch {
    response.writeHead(404, { "Content-Type": "text/plain" });
    response.end("Not found");
  }
  return true;
}
