/**
 * Target keys as AWS stores them. AWS accepts the `InstanceIds` key in any case and echoes it as
 * `InstanceIds`: awscli/examples/ssm/create-association.rst examples 2 and 3 send
 * `Key=instanceids` and print `"Key": "InstanceIds"`, and aws/aws-cli#6878 shows AWS naming the
 * key "InstanceIds" in its answer to a lowercase request. No source shows another key folded
 * (`tag:<key>` names a tag, whose keys are case-sensitive), so every other key is kept as given
 * and checked as it is.
 */
import type { Target } from "@aws-sdk/client-ssm";

const CANONICAL_KEYS = new Map([["instanceids", "InstanceIds"]]);

/** The targets with each key AWS folds written AWS's way; the same array when nothing changes. */
export function normalizeTargetKeys(targets: Target[] | undefined): Target[] | undefined {
  if (!targets?.some((target) => canonicalKey(target.Key) !== target.Key)) return targets;
  return targets.map((target) => ({ ...target, Key: canonicalKey(target.Key) }));
}

function canonicalKey(key: string | undefined): string | undefined {
  return key === undefined ? key : (CANONICAL_KEYS.get(key.toLowerCase()) ?? key);
}
