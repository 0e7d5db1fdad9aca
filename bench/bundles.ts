/**
 * Bundle sizes and import times on their own (`npx tsx bench/bundles.ts`); `npm run bench`
 * includes them. Budget: 600 KB and 60 ms per function.
 */
import { measureBundles } from "./lib/bundles.ts";

const BUDGET_BYTES = 600 * 1024;
const BUDGET_MS = 60;
const { rows, emptyModuleMs } = await measureBundles(Number(process.env.IMPORT_RUNS ?? 5));
console.log(`an empty module imports in ${emptyModuleMs?.toFixed(1) ?? "-"} ms (the floor on this machine now)`);
console.log("function                                   size KB   import ms    CPU ms");
for (const row of rows) {
  const over = row.bytes > BUDGET_BYTES || (row.importMs ?? 0) > BUDGET_MS;
  console.log(
    `${row.name.padEnd(40)} ${(row.bytes / 1024).toFixed(0).padStart(8)} ${(row.importMs?.toFixed(1) ?? "-").padStart(10)}${(row.importCpuMs?.toFixed(1) ?? "-").padStart(10)}${over ? "  over budget" : ""}`,
  );
}
const sample = rows.find((r) => r.name === "CreateDocument");
if (sample) {
  console.log(
    `largest parts of CreateDocument: ${sample.largest.map(([owner, bytes]) => `${owner} ${(bytes / 1024).toFixed(0)} KB`).join(", ")}`,
  );
}
