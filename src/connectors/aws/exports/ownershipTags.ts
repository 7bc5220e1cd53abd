// Reads IAM tags into a record and finds the owner and purpose they name.
import { asList, isRecord } from './rawValues.js';

/**
 * Tag keys that name an owner, most specific first, compared case-insensitively with `-`, `_`, `.`, `:` and
 * spaces ignored (`Owner`, `owner-email`, `OWNER_EMAIL`, `team:owner` all match). The first key present wins.
 */
export const OWNER_TAG_KEYS = [
  'owner',
  'owneremail',
  'ownedby',
  'technicalowner',
  'teamowner',
  'serviceowner',
  'businessowner',
  'contact',
  'contactemail',
  'maintainer',
  'responsible',
] as const;

/** Tag keys that say what an identity is for, first present wins (same key matching as OWNER_TAG_KEYS). */
export const PURPOSE_TAG_KEYS = ['purpose', 'description', 'usecase', 'usage'] as const;

/** IAM's `[{Key, Value}]` tag list (or the raw API's `{member: [...]}`) as a record; later duplicates win. */
export function tagsToRecord(value: unknown): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const tag of asList(value)) {
    if (isRecord(tag) && typeof tag['Key'] === 'string') {
      tags[tag['Key']] = typeof tag['Value'] === 'string' ? tag['Value'] : '';
    }
  }
  return tags;
}

/** The owner named by tags and where it came from (`tag:<key as written>`), or nulls. */
export function ownerFromTags(tags: Record<string, string>): {
  owner: string | null;
  ownerSource: string | null;
} {
  const found = firstTag(tags, OWNER_TAG_KEYS);
  return found ? { owner: found.value, ownerSource: `tag:${found.key}` } : { owner: null, ownerSource: null };
}

/** The purpose named by tags, or null. */
export function purposeFromTags(tags: Record<string, string>): string | null {
  return firstTag(tags, PURPOSE_TAG_KEYS)?.value ?? null;
}

function firstTag(
  tags: Record<string, string>,
  keys: readonly string[],
): { key: string; value: string } | null {
  const byCanonicalKey = new Map<string, { key: string; value: string }>();
  for (const [key, value] of Object.entries(tags)) {
    const canonical = key.toLowerCase().replace(/[-_.:\s]/g, '');
    if (value.trim() !== '' && !byCanonicalKey.has(canonical))
      byCanonicalKey.set(canonical, { key, value: value.trim() });
  }
  for (const key of keys) {
    const found = byCanonicalKey.get(key);
    if (found) return found;
  }
  return null;
}
