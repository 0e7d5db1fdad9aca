/**
 * MaxConcurrency and MaxErrors of one run, resolved against its number of targets.
 *
 * AWS (CreateAssociation): MaxConcurrency is "a number, for example 10, or a percentage of the
 * target set"; "the default value is 100%". MaxErrors is a number or a percentage; "If you specify
 * 3, for example, the system stops sending requests when the fourth error is received. If you
 * specify 0, then the system stops sending requests after the first error is returned", so a run
 * stops once errors > MaxErrors. With no MaxErrors, the user guide says "a threshold of 100%
 * failures", which never stops a run.
 *
 * Rounding a percentage is not published for associations. We round down, and a concurrency never
 * below 1, as AWS documents for the same kind of setting in CloudFormation StackSets
 * (MaxConcurrentPercentage: "rounds down to the next whole number ... except in cases where
 * rounding down would result is zero. In this case, CloudFormation sets the number as one"). The
 * MaxConcurrency pattern forbids 0 and 0% for the same reason: a run always moves. Rounding
 * MaxErrors down stops a run no later than the percentage says (10% of 15 targets stops at the
 * 2nd error).
 */

function resolve(value: string | undefined, targets: number): number | undefined {
  if (value === undefined) return undefined;
  if (value.endsWith("%")) return Math.floor((Number(value.slice(0, -1)) * targets) / 100);
  return Number(value);
}

export function concurrencyLimit(maxConcurrency: string | undefined, targets: number): number {
  return Math.max(1, resolve(maxConcurrency, targets) ?? targets);
}

export function errorLimit(maxErrors: string | undefined, targets: number): number {
  return resolve(maxErrors, targets) ?? targets;
}
