/**
 * The web console's weight and first paint: the size of each file of the build (raw and gzip),
 * what the first paint needs, and the first contentful paint of /console/ in Debian's Chromium,
 * fresh (the sign-in form) and signed in (the shell), median of several cold loads. Timing lives
 * here, never in tests.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { buildConsole } from "../console/build.ts";
import { serveConsole } from "../infra/local/console-files.ts";
import { launchChromium } from "../test/support/browser.ts";

const built = await buildConsole(mkdtempSync(join(tmpdir(), "osm-console-")));
const sizes = built.files.map((f) => ({
  name: f.name,
  bytes: f.bytes,
  gzip: gzipSync(readFileSync(join(built.dir, f.name))).length,
}));
const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
sizes.sort((a, b) => b.bytes - a.bytes);
console.log("console files (largest first):");
for (const f of sizes.slice(0, 6))
  console.log(`  ${f.name.padEnd(24)} ${kib(f.bytes).padStart(10)}  gzip ${kib(f.gzip)}`);
const total = sizes.reduce((s, f) => s + f.bytes, 0);
const totalGzip = sizes.reduce((s, f) => s + f.gzip, 0);
console.log(`  all ${sizes.length} files: ${kib(total)}, gzip ${kib(totalGzip)}`);
console.log(`  first paint needs: ${kib(built.entryBytes)} (entry module + stylesheet)`);

const server = createServer((request, response) => {
  void serveConsole(built.dir, request, response).then((served) => {
    if (!served) {
      response.writeHead(404);
      response.end();
    }
  });
});
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/console/`;
const browser = await launchChromium();

async function firstPaint(signedIn: boolean): Promise<number> {
  const page = await browser.context.newPage();
  await page.context().clearCookies();
  if (signedIn) {
    await page.addInitScript(() =>
      sessionStorage.setItem(
        "osm-console-session",
        JSON.stringify({
          accessKeyId: "test",
          secretAccessKey: "test",
          region: "us-east-1",
          endpoint: "http://0.0.0.0:9",
        }),
      ),
    );
  }
  // A cold load: nothing from the cache.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
  await page.goto(url);
  await page.waitForFunction(() => performance.getEntriesByName("first-contentful-paint").length > 0);
  const fcp = await page.evaluate(() => performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? -1);
  await page.close();
  return fcp;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
for (const signedIn of [false, true]) {
  const runs: number[] = [];
  for (let i = 0; i < 7; i++) runs.push(await firstPaint(signedIn));
  console.log(
    `first contentful paint, ${signedIn ? "signed in (shell)" : "fresh (sign-in form)"}: median ${median(runs).toFixed(0)} ms (${runs.map((r) => r.toFixed(0)).join(", ")})`,
  );
}
await browser.close();
server.close();
rmSync(built.dir, { recursive: true, force: true });
