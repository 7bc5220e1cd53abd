// Anthropic records to model rows: API keys (workspace, status, creator, expiry), service accounts, usage per key.
import { redactedKeyHint } from '../../model/keyFormats.js';
import { credentialRow, identityRow } from '../../model/rows.js';
import type { Credential, Grant, Identity, Inventory, JsonObject, Usage } from '../../model/types.js';
import { isoOrNull } from '../http/apiSession.js';
import type { AnthropicApiKey, AnthropicOrganization, AnthropicUsageBucket } from './types.js';

const STATUS: Record<string, Credential['status']> = {
  active: 'active',
  inactive: 'inactive',
  archived: 'revoked',
  expired: 'expired',
};

/** Identity (and credential) id of an Anthropic API key. */
export const anthropicKeyId = (id: string): string => `anthropic:api-key:${id}`;

const tokensOf = (result: NonNullable<AnthropicUsageBucket['results']>[number]): number =>
  (result.uncached_input_tokens ?? 0) +
  (result.cache_read_input_tokens ?? 0) +
  (result.cache_creation?.ephemeral_1h_input_tokens ?? 0) +
  (result.cache_creation?.ephemeral_5m_input_tokens ?? 0) +
  (result.output_tokens ?? 0);

/** Usage rows per key and model: `count` is the number of days with traffic, first and last day seen. */
function usageRows(buckets: AnthropicUsageBucket[], until: string): Usage[] {
  const rows = new Map<string, Usage & { tokens: number }>();
  for (const bucket of buckets) {
    for (const result of bucket.results ?? []) {
      if (!result.api_key_id || tokensOf(result) === 0) continue;
      const key = `${result.api_key_id}\u0000${result.model ?? ''}`;
      const start = isoOrNull(bucket.starting_at) ?? bucket.starting_at;
      const endIso = isoOrNull(bucket.ending_at) ?? bucket.ending_at;
      const end = endIso < until ? endIso : until;
      let row = rows.get(key);
      if (!row) {
        row = {
          identityId: anthropicKeyId(result.api_key_id),
          credentialId: anthropicKeyId(result.api_key_id),
          permission: null,
          eventSource: 'api.anthropic.com',
          eventName: 'messages',
          resource: result.model ?? null,
          firstSeen: start,
          lastSeen: end,
          count: 0,
          userAgents: [],
          sourceAddresses: [],
          sessionNames: [],
          tokens: 0,
        };
        rows.set(key, row);
      }
      row.count += 1;
      row.tokens += tokensOf(result);
      if (start < row.firstSeen) row.firstSeen = start;
      if (end > row.lastSeen) row.lastSeen = end;
    }
  }
  return [...rows.values()].map(({ tokens: _tokens, ...row }) => row);
}

function owner(
  organization: AnthropicOrganization,
  key: AnthropicApiKey,
): { owner: string | null; attributes: JsonObject } {
  const creator = key.created_by;
  if (!creator?.id) return { owner: null, attributes: { created_by_type: null } };
  if (creator.type === 'service_account') {
    return {
      owner: creator.id,
      attributes: { created_by_type: 'service_account', created_by_id: creator.id },
    };
  }
  const member = organization.users?.get(creator.id);
  const email = member?.email ?? creator.id;
  const attributes: JsonObject = { created_by_type: 'user', created_by_id: creator.id };
  if (organization.users) {
    attributes.owner_active = member !== undefined;
    attributes.owner_status = member
      ? `member (${member.role ?? 'user'})`
      : `its creator ${creator.id} is no longer a member of the organization`;
  }
  return { owner: email, attributes };
}

/** The inventory of one Anthropic organization. Pure. */
export function anthropicInventory(
  organization: AnthropicOrganization,
  window: { since: string; until: string },
): Partial<Inventory> {
  const identities: Identity[] = [];
  const credentials: Credential[] = [];
  const grants: Grant[] = [];
  const usage = organization.usage ? usageRows(organization.usage, window.until) : [];
  const lastUse = new Map<string, string>();
  for (const row of usage) {
    if (row.credentialId && row.lastSeen > (lastUse.get(row.credentialId) ?? ''))
      lastUse.set(row.credentialId, row.lastSeen);
  }
  for (const key of organization.keys) {
    const id = anthropicKeyId(key.id);
    const workspaceId = key.workspace_id ?? key.scope?.workspace_id ?? null;
    const workspace = workspaceId
      ? (organization.workspaces.get(workspaceId)?.name ?? workspaceId)
      : 'Default';
    const creator = owner(organization, key);
    const { keyPrefix, hint } = redactedKeyHint(key.partial_key_hint);
    identities.push(
      identityRow({
        id,
        provider: 'anthropic',
        kind: 'api-key',
        name: key.name ?? key.id,
        account: workspace,
        arn: `anthropic://workspaces/${workspaceId ?? 'default'}/api-keys/${key.id}`,
        owner: creator.owner,
        ownerSource: creator.owner ? 'creator' : null,
        createdAt: isoOrNull(key.created_at),
        lastUsedAt: lastUse.get(id) ?? null,
        expiresAt: isoOrNull(key.expires_at),
        attributes: {
          workspace_id: workspaceId,
          workspace,
          status: key.status ?? null,
          principal_type: key.principal?.type ?? null,
          personal: key.principal?.type === 'user_actor',
          ...creator.attributes,
        },
      }),
    );
    credentials.push(
      credentialRow({
        id,
        identityId: id,
        kind: 'api-key',
        keyId: key.id,
        createdAt: isoOrNull(key.created_at),
        lastUsedAt: lastUse.get(id) ?? null,
        expiresAt: isoOrNull(key.expires_at),
        status: STATUS[key.status ?? ''] ?? 'unknown',
        hint,
        attributes: {
          key_prefix: keyPrefix,
          usage_tracked: organization.usage !== null,
          usage_since: window.since,
        },
      }),
    );
  }
  for (const account of organization.serviceAccounts ?? []) {
    const id = `anthropic:service-account:${account.id}`;
    identities.push(
      identityRow({
        id,
        provider: 'anthropic',
        kind: 'service-account',
        name: account.name ?? account.id,
        account: 'organization',
        arn: `anthropic://service-accounts/${account.id}`,
        purpose: account.description ?? null,
        createdAt: isoOrNull(account.created_at),
        attributes: {
          organization_role: account.organization_role ?? null,
          archived_at: account.archived_at ?? null,
        },
      }),
    );
    if (account.organization_role && !account.archived_at) {
      grants.push({
        identityId: id,
        permission: `org-role:${account.organization_role}`,
        resource: 'organization',
        effect: 'allow',
        notAction: false,
        sourcePolicy: 'anthropic:organization-role',
        conditional: false,
      });
    }
  }
  const known = new Set(identities.map((identity) => identity.id));
  return { identities, credentials, grants, usage: usage.filter((row) => known.has(row.identityId)) };
}
