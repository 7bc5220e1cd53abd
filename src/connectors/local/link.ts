// Joins secrets found on disk to the inventory: an AWS access key id to its IAM user, a SaaS key hint to its key.
import type { Credential, Edge, Identity, Inventory, JsonObject } from '../../model/types.js';
import { LOCAL_SECRET_KIND } from './inventory.js';

/** How a found secret was matched to an inventory credential. */
export type MatchMethod = 'access-key-id' | 'fingerprint' | 'key-hint';

interface Match {
  credential: Credential;
  identity: Identity;
  method: MatchMethod;
}

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

/** Whether two public prefixes can be the same key's (`sk-proj-` and `sk-proj-`; either unknown). */
function prefixesAgree(found: string | null, known: string | null): boolean {
  if (!found || !known) return true;
  return found.startsWith(known) || known.startsWith(found);
}

/**
 * Links every secret found on disk (credentials of kind `local-secret`) to the inventory credential it is, when
 * exactly one identity matches:
 * - an AWS secret access key by the access key id written next to it (the IAM user's key, from CloudTrail or an export);
 * - any secret by its sha256 fingerprint (a token agentaudit itself was given, or one an import lists);
 * - an OpenAI, Anthropic or other SaaS key by its public prefix and last characters against the redacted hint the
 *   vendor's admin API returns (`sk-ant-api03-…igAA`).
 * Each match is written into the found secret's attributes (`linked_identity_id`, `linked_credential_id`,
 * `matched_by`) and as a `found-in` edge from the inventory identity to the config that holds its key. Several
 * candidates are recorded as ambiguous and not linked. Pure: returns a new inventory.
 */
export function linkFoundSecrets(inventory: Inventory): Inventory {
  const identities = new Map(inventory.identities.map((identity) => [identity.id, identity]));
  const known = inventory.credentials.filter(
    (credential) => credential.kind !== LOCAL_SECRET_KIND && identities.has(credential.identityId),
  );
  const byKeyId = new Map<string, Credential[]>();
  const byFingerprint = new Map<string, Credential[]>();
  const withHint: Credential[] = [];
  for (const credential of known) {
    if (credential.keyId && credential.kind === 'aws-access-key') push(byKeyId, credential.keyId, credential);
    if (credential.fingerprint) push(byFingerprint, credential.fingerprint, credential);
    const provider = identities.get(credential.identityId)!.provider;
    if (provider !== 'aws' && credential.hint && credential.hint.length >= 3) withHint.push(credential);
  }

  const edges: Edge[] = [];
  const credentials = inventory.credentials.map((credential) => {
    if (credential.kind !== LOCAL_SECRET_KIND || credential.attributes.match_checked === true)
      return credential;
    const matches = candidates(credential, identities, byKeyId, byFingerprint, withHint);
    const distinct = [...new Map(matches.map((match) => [match.identity.id, match])).values()];
    const attributes: JsonObject = { ...credential.attributes, match_checked: true };
    if (distinct.length === 1) {
      const match = distinct[0]!;
      attributes.linked_identity_id = match.identity.id;
      attributes.linked_credential_id = match.credential.id;
      attributes.matched_by = match.method;
      edges.push({
        from: match.identity.id,
        to: credential.identityId,
        kind: 'found-in',
        evidence: {
          credential: match.credential.id,
          found: credential.id,
          file: credential.attributes.file ?? null,
          holder: credential.attributes.holder ?? null,
          line: credential.attributes.line ?? null,
          matched_by: match.method,
          hint: credential.hint,
          key_id: credential.keyId,
        },
      });
    } else if (distinct.length > 1) {
      attributes.match_candidates = distinct.map((match) => match.identity.id);
    }
    return { ...credential, attributes };
  });
  return { ...inventory, credentials, edges: [...inventory.edges, ...edges] };
}

function push(map: Map<string, Credential[]>, key: string, credential: Credential): void {
  const list = map.get(key) ?? [];
  list.push(credential);
  map.set(key, list);
}

function candidates(
  found: Credential,
  identities: Map<string, Identity>,
  byKeyId: Map<string, Credential[]>,
  byFingerprint: Map<string, Credential[]>,
  withHint: Credential[],
): Match[] {
  const toMatches = (list: Credential[] | undefined, method: MatchMethod): Match[] =>
    (list ?? []).map((credential) => ({
      credential,
      identity: identities.get(credential.identityId)!,
      method,
    }));
  if (found.keyId) {
    const byId = toMatches(byKeyId.get(found.keyId), 'access-key-id');
    if (byId.length > 0) return byId;
  }
  if (found.fingerprint) {
    const exact = toMatches(byFingerprint.get(found.fingerprint), 'fingerprint');
    if (exact.length > 0) return exact;
  }
  const provider = text(found.attributes.provider);
  if (!provider || provider === 'aws' || !found.hint) return [];
  const prefix = text(found.attributes.key_prefix);
  return toMatches(
    withHint.filter((credential) => {
      if (identities.get(credential.identityId)!.provider !== provider) return false;
      if (!found.hint!.endsWith(credential.hint!)) return false;
      return prefixesAgree(prefix, text(credential.attributes.key_prefix));
    }),
    'key-hint',
  );
}
