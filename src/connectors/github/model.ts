// Small builders shared by the GitHub inventory modules: timestamps in the cache's form and identities with defaults.
import type { Credential, Identity } from '../../model/types.js';

/** A GitHub timestamp (ISO with offset or milliseconds, or epoch milliseconds) as ISO-8601 UTC without milliseconds. */
export function isoTime(value: string | number | null | undefined): string | null {
  if (value === null || value === undefined || value === '') return null;
  const ms = typeof value === 'number' ? value : Date.parse(value);
  if (Number.isNaN(ms)) return null;
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** An identity of provider `github` with every optional field defaulted. */
export function githubIdentity(
  fields: Pick<Identity, 'id' | 'kind' | 'name' | 'account'> & Partial<Identity>,
): Identity {
  return {
    provider: 'github',
    arn: null,
    isHuman: false,
    owner: null,
    ownerSource: null,
    purpose: null,
    createdAt: null,
    lastUsedAt: null,
    expiresAt: null,
    isAgent: false,
    agentEvidence: [],
    tags: {},
    attributes: {},
    ...fields,
  };
}

/** A credential with every optional field defaulted. */
export function githubCredential(
  fields: Pick<Credential, 'id' | 'identityId' | 'kind'> & Partial<Credential>,
): Credential {
  return {
    keyId: null,
    createdAt: null,
    lastRotatedAt: null,
    lastUsedAt: null,
    expiresAt: null,
    status: 'active',
    scopes: [],
    fingerprint: null,
    hint: null,
    attributes: {},
    ...fields,
  };
}

/** The permission strings of a GitHub permissions object: `{ contents: 'write' }` → `['contents:write']`. */
export function permissionList(permissions: Readonly<Record<string, unknown>> | null | undefined): string[] {
  return Object.entries(permissions ?? {})
    .filter(([, level]) => typeof level === 'string' && level !== '' && level !== 'none')
    .map(([key, level]) => `${key}:${String(level)}`)
    .sort();
}

/** Runs `work` over `items`, at most `limit` at a time, keeping the order of results. */
export async function mapWithLimit<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    for (let index = next++; index < items.length; index = next++) results[index] = await work(items[index]!);
  });
  await Promise.all(workers);
  return results;
}
