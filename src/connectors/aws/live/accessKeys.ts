// Joins listed access keys (real key ids, last use) to the credential report's key slots, so keys carry their ids.
import { awsAccessKeyId } from '../../../model/ids.js';
import type { Credential, Identity, Inventory } from '../../../model/types.js';
import { latestDate } from '../exports/isoDate.js';
import type { ListedAccessKey } from './iamReader.js';

/** How listed keys met the report's slots. */
export interface AccessKeyJoin {
  inventory: Inventory;
  /** Keys listed in all. */
  listed: number;
  /** Keys matched to a credential report slot. */
  matchedToReport: number;
  /** Report slots of users whose keys were listed that no listed key matches (deleted since the report): dropped. */
  staleReportSlots: number;
}

/**
 * Replaces each user's credential-report key slots by the keys ListAccessKeys lists for that user, id'd by key id
 * (`aws:access-key:AKIA…`, the id CloudTrail usage carries, so key-level usage joins without guessing). A listed key
 * takes the slot whose last_rotated (the key's creation time) is its CreateDate; only when a creation time is unknown
 * are the one key and the one slot left taken to be the same key. The listing is newer than the report (up to 4 hours old), so a slot no listed key
 * matches is a key deleted since and is dropped. Users whose keys could not be listed keep their slots. Pure.
 */
export function joinListedAccessKeys(
  inventory: Inventory,
  keysByUserName: ReadonlyMap<string, readonly ListedAccessKey[]>,
): AccessKeyJoin {
  const usersByName = new Map<string, Identity>();
  for (const identity of inventory.identities) {
    if (identity.kind === 'iam-user') usersByName.set(identity.name, identity);
  }
  const replaced = new Set<string>();
  const added: Credential[] = [];
  const lastUseByUser = new Map<string, string | null>();
  let listed = 0;
  let matchedToReport = 0;
  let staleReportSlots = 0;

  for (const [userName, keys] of keysByUserName) {
    const user = usersByName.get(userName);
    if (!user) continue;
    const slots = inventory.credentials.filter(
      (credential) =>
        credential.identityId === user.id &&
        credential.kind === 'aws-access-key' &&
        credential.keyId === null,
    );
    const slotOf = matchSlots(keys, slots);
    for (const key of keys) {
      listed++;
      const slot = slotOf.get(key) ?? null;
      if (slot) matchedToReport++;
      added.push(listedKeyCredential(key, user.id, slot));
    }
    for (const slot of slots) {
      replaced.add(slot.id);
      if (![...slotOf.values()].includes(slot)) staleReportSlots++;
    }
    lastUseByUser.set(user.id, latestDate([user.lastUsedAt, ...keys.map((key) => key.lastUsedAt)]));
  }

  return {
    inventory: {
      ...inventory,
      identities: inventory.identities.map((identity) =>
        lastUseByUser.has(identity.id)
          ? { ...identity, lastUsedAt: lastUseByUser.get(identity.id) ?? null }
          : identity,
      ),
      credentials: [...inventory.credentials.filter((credential) => !replaced.has(credential.id)), ...added],
    },
    listed,
    matchedToReport,
    staleReportSlots,
  };
}

/** Listed key → its report slot: equal creation times first, then a single remaining pair. */
function matchSlots(
  keys: readonly ListedAccessKey[],
  slots: readonly Credential[],
): Map<ListedAccessKey, Credential> {
  const matched = new Map<ListedAccessKey, Credential>();
  const free = new Set(slots);
  for (const key of keys) {
    const sameCreation = [...free].filter(
      (slot) => key.createdAt !== null && slot.createdAt === key.createdAt,
    );
    if (sameCreation.length === 1) {
      const slot = sameCreation[0] as Credential;
      matched.set(key, slot);
      free.delete(slot);
    }
  }
  // A creation time that cannot be compared: one key and one slot left are the same key.
  const unmatchedKeys = keys.filter((key) => !matched.has(key));
  const lastKey = unmatchedKeys[0];
  const lastSlot = [...free][0];
  if (unmatchedKeys.length === 1 && free.size === 1 && lastKey && lastSlot) {
    if (lastKey.createdAt === null || lastSlot.createdAt === null) matched.set(lastKey, lastSlot);
  }
  return matched;
}

function listedKeyCredential(key: ListedAccessKey, identityId: string, slot: Credential | null): Credential {
  const status =
    key.status === 'Active' ? 'active' : key.status === 'Inactive' ? 'inactive' : (slot?.status ?? 'unknown');
  const slotAttributes = slot?.attributes ?? {};
  return {
    id: awsAccessKeyId(key.keyId),
    identityId,
    kind: 'aws-access-key',
    keyId: key.keyId,
    createdAt: key.createdAt ?? slot?.createdAt ?? null,
    lastRotatedAt: key.createdAt ?? slot?.lastRotatedAt ?? null,
    lastUsedAt: key.lastUsedKnown
      ? latestDate([key.lastUsedAt, slot?.lastUsedAt])
      : (slot?.lastUsedAt ?? null),
    expiresAt: null,
    status,
    scopes: [],
    // An access key id identifies a key and grants nothing: it is the provider's public key id.
    fingerprint: key.keyId,
    hint: key.keyId.slice(-4),
    attributes: {
      slot: slotAttributes['slot'] ?? null,
      last_used_region: key.lastUsedKnown
        ? key.lastUsedRegion
        : ((slotAttributes['last_used_region'] as string | null | undefined) ?? null),
      last_used_service: key.lastUsedKnown
        ? key.lastUsedService
        : ((slotAttributes['last_used_service'] as string | null | undefined) ?? null),
      sources: ['list-access-keys', ...(slot ? ['credential-report'] : [])],
    },
  };
}
