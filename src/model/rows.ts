// Builders for model rows with every optional field defaulted, so connectors write only what they know.
import type { Credential, Identity } from './types.js';

/** An identity with defaults for what the caller leaves out (not human, not an agent, no owner, no dates). */
export function identityRow(
  row: Pick<Identity, 'id' | 'provider' | 'kind' | 'name'> & Partial<Identity>,
): Identity {
  return {
    account: null,
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
    ...row,
  };
}

/** A credential with defaults for what the caller leaves out (status unknown, no scopes, no fingerprint). */
export function credentialRow(
  row: Pick<Credential, 'id' | 'identityId' | 'kind'> & Partial<Credential>,
): Credential {
  return {
    keyId: null,
    createdAt: null,
    lastRotatedAt: null,
    lastUsedAt: null,
    expiresAt: null,
    status: 'unknown',
    scopes: [],
    fingerprint: null,
    hint: null,
    attributes: {},
    ...row,
  };
}
