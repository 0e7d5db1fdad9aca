/**
 * Tag arithmetic shared by every taggable resource: add (overwriting values of existing keys),
 * remove, and the per-resource limit.
 */
import type { Tag } from "@aws-sdk/client-ssm";
import { TooManyTagsError, ValidationException } from "../errors.ts";

/** "Most resources can have a maximum of 50 tags." */
export const MAX_TAGS_PER_RESOURCE = 50;

export function assertTagsWithinLimit(tags: readonly Tag[]): void {
  if (tags.length > MAX_TAGS_PER_RESOURCE) {
    throw new TooManyTagsError(`A resource can have at most ${MAX_TAGS_PER_RESOURCE} tags.`);
  }
}

/** Tags given at creation: keys must be unique. */
export function initialTags(tags: readonly Tag[] | undefined): Tag[] {
  const result = mergeTags([], tags ?? []);
  if (result.length !== (tags ?? []).length) {
    throw new ValidationException("Duplicate tag keys are not allowed.");
  }
  assertTagsWithinLimit(result);
  return result;
}

export function mergeTags(existing: readonly Tag[], added: readonly Tag[]): Tag[] {
  const byKey = new Map(existing.map((tag) => [tag.Key, tag.Value]));
  for (const tag of added) byKey.set(tag.Key, tag.Value);
  return [...byKey].map(([Key, Value]) => ({ Key, Value }));
}

export function removeTags(existing: readonly Tag[], keys: readonly string[]): Tag[] {
  const removed = new Set(keys);
  return existing.filter((tag) => !removed.has(tag.Key as string));
}
