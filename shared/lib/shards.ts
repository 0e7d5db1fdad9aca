/**
 * The arithmetic of counter shards (shared/store/counter-shards.ts says what they are and why):
 * how many shards a subject gets, which one a member reports to, and each shard's share of a
 * rate control's limit. Pure, so planners in the domain and the stores agree on it.
 */

/** The most shards a subject has: one BatchGetItem (100 keys) reads a few subjects' shards. */
export const MAX_SHARDS = 32;

/** The shards of a subject with `members` members, at most `concurrency` of them running at once. */
export function shardCount(members: number, concurrency: number): number {
  return Math.max(1, Math.min(MAX_SHARDS, members, concurrency));
}

/** A member's shard by its position among the members: consecutive members never share one. */
export const shardOfIndex = (index: number, shards: number): number => index % shards;

/** A member's shard by its id (FNV-1a), for a member the plan did not include. */
export function shardOfId(id: string, shards: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    hash ^= id.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % shards;
}

/** A shard's share of `limit`: the limit split as evenly as it goes (the shares add up to it). */
export function shardCapacity(limit: number, shards: number, shard: number): number {
  return Math.floor(limit / shards) + (shard < limit % shards ? 1 : 0);
}
