/** Rewrites BENCHMARKS.md from bench/results.json (after a change to the report, without a new run). */
import { readFileSync } from "node:fs";
import { type BenchResults, writeMarkdown } from "./lib/report.ts";

const results = JSON.parse(readFileSync(new URL("./results.json", import.meta.url), "utf8")) as BenchResults;
writeMarkdown(results, new URL("../BENCHMARKS.md", import.meta.url));
console.log("wrote BENCHMARKS.md from bench/results.json");
