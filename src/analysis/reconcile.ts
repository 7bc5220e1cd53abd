// Joins what audit logs observed to the inventory: sessions to roles, access key ids to credential-report slots, unknown principals.
import { awsAccessKeyId } from '../model/ids.js';
import type { ClientActivity, Credential, Identity, Inventory, Usage } from '../model/types.js';
import type { ObservedAccessKey, ObservedPrincipal } from '../usage/cloudtrail/ingest.js';

/** What CloudTrail saw, as the reconciler needs it. */
export interface Observations {
  usage: Usage[];
  clientActivity: ClientActivity[];
  accessKeys: ObservedAccessKey[];
  principals: ObservedPrincipal[];
}

const dayOf = (iso: string | null): string | null => (iso ? iso.slice(0, 10) : null);

/**
 * Returns a new inventory with the observations merged in (their usage and client activity appended to the
 * inventory's own, re-pointed where needed):
 * - usage of an assumed-role session whose role ARN lost its path is re-pointed to the inventory's role of that name;
 * - a long-term access key id seen in the logs is linked to the user's credential-report slot when that is unambiguous
 *   (one active slot, or the slot whose last-used day matches), so per-key rules see one credential, not two;
 * - keys and IAM principals seen in the logs but absent from the inventory are added, marked `observed_only`,
 *   so activity of deleted or unexported identities is still audited.
 */
export function reconcileObservations(inventory: Inventory, observed: Observations): Inventory {
  const identities = new Map(inventory.identities.map((identity) => [identity.id, identity]));
  const remap = new Map<string, string>();

  // Roles by account and name: a session ARN carries no path, the inventory's role ARN does.
  const rolesByName = new Map<string, string>();
  for (const identity of inventory.identities) {
    if (identity.kind !== 'iam-role' || !identity.arn) continue;
    const match = /^arn:[^:]+:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(identity.arn);
    if (match) rolesByName.set(`${match[1]}/${match[2]}`, identity.id);
  }
  for (const principal of observed.principals) {
    if (identities.has(principal.identityId)) continue;
    const match = /^aws:iam-role:arn:[^:]+:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(principal.identityId);
    const known = match ? rolesByName.get(`${match[1]}/${match[2]}`) : undefined;
    if (known) remap.set(principal.identityId, known);
  }

  // Access key ids to credential-report slots.
  const credentials = new Map(inventory.credentials.map((credential) => [credential.id, credential]));
  const credentialRemap = new Map<string, string>();
  const slotsByUser = new Map<string, Credential[]>();
  for (const credential of inventory.credentials) {
    if (credential.kind !== 'aws-access-key' || credential.keyId) continue;
    const list = slotsByUser.get(credential.identityId) ?? [];
    list.push(credential);
    slotsByUser.set(credential.identityId, list);
  }
  const longTermKeys = observed.accessKeys.filter((key) => !key.temporary);
  const keysByUser = new Map<string, ObservedAccessKey[]>();
  for (const key of longTermKeys) {
    const owner = remap.get(key.identityId) ?? key.identityId;
    const list = keysByUser.get(owner) ?? [];
    list.push(key);
    keysByUser.set(owner, list);
  }
  for (const [userId, keys] of keysByUser) {
    const slots = (slotsByUser.get(userId) ?? []).filter((slot) => slot.status === 'active');
    const unclaimed = new Set(slots.map((slot) => slot.id));
    for (const key of keys) {
      const candidates = slots.filter((slot) => unclaimed.has(slot.id));
      const byDay = candidates.filter((slot) => dayOf(slot.lastUsedAt) === dayOf(key.lastSeen));
      const slot =
        candidates.length === 1 && keys.length === 1
          ? candidates[0]
          : byDay.length === 1
            ? byDay[0]
            : undefined;
      if (slot) {
        unclaimed.delete(slot.id);
        credentials.set(slot.id, { ...slot, keyId: key.keyId });
        credentialRemap.set(awsAccessKeyId(key.keyId), slot.id);
      }
    }
  }
  for (const key of longTermKeys) {
    const id = awsAccessKeyId(key.keyId);
    if (credentialRemap.has(id) || credentials.has(id)) continue;
    credentials.set(id, {
      id,
      identityId: remap.get(key.identityId) ?? key.identityId,
      kind: 'aws-access-key',
      keyId: key.keyId,
      createdAt: null,
      lastRotatedAt: null,
      lastUsedAt: key.lastSeen,
      expiresAt: null,
      status: 'unknown',
      scopes: [],
      fingerprint: key.keyId,
      hint: key.keyId.slice(-4),
      attributes: { observed_only: true, first_seen: key.firstSeen, events: key.count },
    });
  }

  // IAM principals seen only in the logs.
  for (const principal of observed.principals) {
    const id = remap.get(principal.identityId) ?? principal.identityId;
    if (identities.has(id)) continue;
    const identity = observedIdentity(principal, id);
    if (identity) identities.set(id, identity);
  }

  const identityOf = (id: string): string => remap.get(id) ?? id;
  const credentialOf = (id: string | null): string | null => (id ? (credentialRemap.get(id) ?? id) : null);
  return {
    ...inventory,
    identities: [...identities.values()],
    credentials: [...credentials.values()],
    usage: [
      ...inventory.usage,
      ...observed.usage.map((row) => ({
        ...row,
        identityId: identityOf(row.identityId),
        credentialId: credentialOf(row.credentialId),
      })),
    ],
    clientActivity: [
      ...inventory.clientActivity,
      ...observed.clientActivity.map((row) => ({
        ...row,
        identityId: identityOf(row.identityId),
        credentialId: credentialOf(row.credentialId),
      })),
    ],
  };
}

function observedIdentity(principal: ObservedPrincipal, id: string): Identity | null {
  const kind = id.startsWith('aws:iam-user:')
    ? 'iam-user'
    : id.startsWith('aws:iam-role:')
      ? 'iam-role'
      : id.startsWith('aws:root:')
        ? 'aws-root'
        : null;
  if (!kind) return null;
  const arn = id.replace(/^aws:(iam-user|iam-role|root):/, '');
  const name = kind === 'aws-root' ? 'root' : (arn.split('/').pop() ?? arn);
  return {
    id,
    provider: 'aws',
    kind,
    name,
    account: principal.accountId ?? /::(\d{12}):/.exec(arn)?.[1] ?? null,
    arn,
    isHuman: kind === 'aws-root',
    owner: null,
    ownerSource: null,
    purpose: null,
    createdAt: null,
    lastUsedAt: principal.lastSeen,
    expiresAt: null,
    isAgent: false,
    agentEvidence: [],
    tags: {},
    attributes: {
      observed_only: true,
      first_seen: principal.firstSeen,
      events: principal.count,
      session_names: principal.sessionNames,
    },
  };
}
