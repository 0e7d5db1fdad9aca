/**
 * How long Run Command and association-run history is kept, through the table's TTL (`ExpiresAt`,
 * template.yaml TimeToLiveSpecification): "Run Command stores the command history for 30 days"
 * (the EC2 user guide's "Manage Amazon EC2 Instances Remotely"). AWS publishes no retention of
 * its own for association executions (not in the API reference, the service model nor the user
 * guide's "Viewing association histories"); a pushed run's targets name their command as their
 * OutputSource, so a run is kept exactly as long as the command that holds its output.
 */
export const HISTORY_RETENTION_SECONDS = 30 * 24 * 3600;

/**
 * Epoch seconds at which the history an id names expires: HISTORY_RETENTION_SECONDS after the
 * time the id carries (command and execution ids are time-ordered UUIDs whose first 48 bits are
 * their creation time in ms), so every item of a command or a run expires at once, whoever
 * writes it and when.
 */
export function historyExpiresAt(timeOrderedId: string): number {
  const ms = Number.parseInt(timeOrderedId.slice(0, 8) + timeOrderedId.slice(9, 13), 16);
  return Math.floor(ms / 1000) + HISTORY_RETENTION_SECONDS;
}
