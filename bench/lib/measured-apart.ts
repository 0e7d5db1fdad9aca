/**
 * Decisions measured once, apart from a run of the bench, with the bench's own measures: their
 * numbers are kept here so that every BENCHMARKS.md the bench writes still shows them.
 */
export const MEASURED_APART: readonly string[] = [
  "## Measured apart: the request log and metrics (issue 31)",
  "",
  "One JSON line per request, which carries the metrics in CloudWatch's embedded metric format when deployed: written by a small logger of our own (`shared/lib/request-log.ts`, about 4 KB of each bundle), or by Powertools for AWS Lambda (TypeScript) Logger and Metrics 2.36.0. Measured with the bench's own bundle measure (`bench/lib/bundles.ts` `measureBundles`: `npm run build`'s bundles, 5 fresh-process imports of each of the 61 functions, the median), on Node.js v24.22.3, three variants of the same code, two rounds each in turns, on 2026-12-07 while the machine was shared (load average 2.8 to 6.6 on its 2 cores, so wall-clock imports are noisy; CPU time holds up better):",
  "",
  "| variant | bundle KB, median / largest | import CPU ms, median (round 1 / round 2) | import wall ms, median (round 1 / round 2) |",
  "|---|---|---|---|",
  "| no request log (before issue 31) | 273.2 / 396.5 | 47.4 / 46.4 | 47.7 / 45.8 |",
  "| small logger (kept) | 277.5 / 400.6 | 50.3 / 47.0 | 93.7 / 39.8 |",
  "| Powertools Logger + Metrics | 308.1 / 431.2 | 49.8 / 51.6 | 40.6 / 53.1 |",
  "",
  "Both stay within the goals (600 KB; 60 ms). Powertools adds about 31 KB to every function over the small logger (+11%, 35 KB over none: its Logger, Metrics and commons) and, within this noise, 2 to 4 ms of CPU to each cold start's import; the small logger about 4 KB. Kept: the small logger, because what Powertools would bring is not used here and what it does differently is against the issue's line: its Metrics writes its own EMF line per flush (and a second one for a metric with other dimensions, `singleMetric`: errors by code), so a request would take two or three lines instead of one, and the Logger's JSON is what `JSON.stringify` of the same fields makes. Its correlation of Lambda's context (cold start, function name, X-Ray trace) is not needed: the line has the request id, the log group names the function.",
  "",
  "DynamoDB calls and consumed capacity are counted per request at the client (`shared/store/dynamodb.ts`, in the request's AsyncLocalStorage scope; on Node.js 24 AsyncLocalStorage runs on AsyncContextFrame, without promise hooks). Every data-plane call asks for `ReturnConsumedCapacity: TOTAL`; measured on DynamoDB Local through the stores' client (8 interleaved rounds of 200 GetItem and 100 Query of 20 items, each with and without): GetItem median 1.10 ms without, 1.32 ms with, fastest round 0.77 / 0.76 ms; Query median 2.25 ms without, 1.61 ms with, fastest round 1.10 / 1.07 ms (same shared machine): no difference that stands above the noise, in either direction. DynamoDB itself charges nothing for it.",
  "",
];
