/**
 * MaxConcurrency and MaxErrors of one run, resolved against its number of targets: the one rule
 * for associations and for commands (Run Command's runs use it with their own defaults).
 *
 * AWS (CreateAssociation): MaxConcurrency is "a number, for example 10, or a percentage of the
 * target set"; "the default value is 100%". MaxErrors is a number or a percentage; "If you specify
 * 3, for example, the system stops sending requests when the fourth error is received. If you
 * specify 0, then the system stops sending requests after the first error is returned. If you run
 * an association on 50 managed nodes and set MaxError to 10%, then the system stops sending the
 * request when the sixth error is received", so a run stops once errors > MaxErrors. With no
 * MaxErrors, the user guide says "a threshold of 100% failures", which never stops a run.
 * SendCommand: MaxConcurrency "The default value is 50", MaxErrors "The default value is 0"
 * ("When the command fails one more time beyond the value of MaxErrors, the systems stops sending
 * the command to additional targets").
 *
 * Rounding a percentage: MaxErrors rounds down, as AWS's examples show for every kind of run
 * (10% of 50 stops at the 6th error; Config's SsmControls, "40% for 10 non-compliant resources
 * ... stops ... when the fifth error is received"), so 10% of 15 targets stops at the 2nd error.
 * MaxConcurrency's rounding is not published for associations. We round it down too, and never
 * below 1, as AWS documents for the same kind of setting in CloudFormation StackSets
 * (MaxConcurrentPercentage: "rounds down to the next whole number ... except in cases where
 * rounding down would result is zero. In this case, CloudFormation sets the number as one"). The
 * MaxConcurrency pattern forbids 0 and 0% for the same reason: a run always moves.
 */

export type RateDefaults = { maxConcurrency: string; maxErrors: string };

/** An association's: "The default value is 100%" (MaxConcurrency); "a threshold of 100% failures" (MaxErrors). */
export const ASSOCIATION_DEFAULTS: RateDefaults = { maxConcurrency: "100%", maxErrors: "100%" };
/** A command's (SendCommand): MaxConcurrency 50, MaxErrors 0. */
export const COMMAND_DEFAULTS: RateDefaults = { maxConcurrency: "50", maxErrors: "0" };

function resolve(value: string, targets: number): number {
  if (value.endsWith("%")) return Math.floor((Number(value.slice(0, -1)) * targets) / 100);
  return Number(value);
}

/** How many of the run's targets may run at once. */
export function concurrencyLimit(
  maxConcurrency: string | undefined,
  targets: number,
  defaults: RateDefaults = ASSOCIATION_DEFAULTS,
): number {
  return Math.max(1, resolve(maxConcurrency ?? defaults.maxConcurrency, targets));
}

/** How many errors the run tolerates: it stops once it has more (`errorsStop`). */
export function errorLimit(
  maxErrors: string | undefined,
  targets: number,
  defaults: RateDefaults = ASSOCIATION_DEFAULTS,
): number {
  return resolve(maxErrors ?? defaults.maxErrors, targets);
}

/**
 * Whether a run with this many errors starts no more targets: past its limit. (The store holds
 * the same rule as a condition on the run's own item, `Errors <= MaxErrors`, on every release:
 * shared/store/execution-store.ts.)
 */
export const errorsStop = (errors: number, limit: number): boolean => errors > limit;
