// Okta records to model rows: API tokens (personal: they act as their user) and service apps with their granted scopes.
import { credentialRow, identityRow } from '../../model/rows.js';
import type { Credential, Grant, Identity, Inventory, JsonObject } from '../../model/types.js';
import { aggregateSaasEvents, type SaasEvent } from '../../usage/saas/aggregateEvents.js';
import { isoOrNull } from '../http/apiSession.js';
import type { OktaApiToken, OktaLogEvent, OktaTenant, OktaUser } from './types.js';

/** Identity (and credential) id of an Okta API token. */
export const oktaTokenId = (tokenId: string): string => `okta:api-token:${tokenId}`;
/** Identity id of an Okta service app. */
export const oktaServiceAppId = (appId: string): string => `okta:service-app:${appId}`;

/** Okta user statuses of someone who can still sign in; DEPROVISIONED and SUSPENDED people cannot. */
const ACTIVE_USER = new Set([
  'ACTIVE',
  'PASSWORD_EXPIRED',
  'LOCKED_OUT',
  'RECOVERY',
  'PROVISIONED',
  'STAGED',
]);

function ownerFacts(
  userId: string | undefined,
  user: OktaUser | 'missing' | null | undefined,
): { owner: string | null; attributes: JsonObject } {
  if (!userId) return { owner: null, attributes: {} };
  if (user === 'missing')
    return {
      owner: userId,
      attributes: { owner_active: false, owner_status: `its user ${userId} no longer exists in Okta` },
    };
  if (!user) return { owner: userId, attributes: {} };
  const email = user.profile?.email ?? user.profile?.login ?? userId;
  const status = user.status ?? 'UNKNOWN';
  return {
    owner: email,
    attributes: {
      owner_user_id: userId,
      owner_active: ACTIVE_USER.has(status),
      owner_status: ACTIVE_USER.has(status) ? status : `its user ${email} is ${status}`,
    },
  };
}

function events(identityId: string, credentialId: string, list: OktaLogEvent[]): SaasEvent[] {
  return list.map((event) => ({
    identityId,
    credentialId,
    eventSource: 'okta',
    eventName: event.eventType,
    permission: null,
    resource: event.target?.[0]?.alternateId ?? event.target?.[0]?.id ?? null,
    time: event.published,
    userAgent: event.client?.userAgent?.rawUserAgent ?? null,
    sourceAddress: event.client?.ipAddress ?? null,
  }));
}

const lastSeen = (list: OktaLogEvent[] | undefined): string | null =>
  list && list.length > 0
    ? isoOrNull(
        list
          .map((event) => event.published)
          .sort()
          .at(-1),
      )
    : null;

function tokenRows(tenant: OktaTenant, token: OktaApiToken, usageSince: string) {
  const id = oktaTokenId(token.id);
  const owner = ownerFacts(token.userId, token.userId ? tenant.users.get(token.userId) : undefined);
  const log = tenant.events.get(token.id);
  const identity: Identity = identityRow({
    id,
    provider: 'okta',
    kind: 'api-token',
    name: token.name,
    account: tenant.domain,
    arn: `okta://${tenant.domain}/api-tokens/${token.id}`,
    owner: owner.owner,
    ownerSource: owner.owner ? 'okta:userId' : null,
    createdAt: isoOrNull(token.created),
    lastUsedAt: lastSeen(log),
    expiresAt: isoOrNull(token.expiresAt),
    attributes: {
      // An Okta API token acts with its user's admin roles: whoever holds it is that person, to Okta.
      personal: true,
      client_name: token.clientName ?? null,
      token_window: token.tokenWindow ?? null,
      network_connection: token.network?.connection ?? null,
      network_include: token.network?.include ?? [],
      network_exclude: token.network?.exclude ?? [],
      ...owner.attributes,
    },
  });
  const credential: Credential = credentialRow({
    id,
    identityId: id,
    kind: 'api-token',
    keyId: token.id,
    createdAt: isoOrNull(token.created),
    lastUsedAt: lastSeen(log),
    expiresAt: isoOrNull(token.expiresAt),
    status: 'active',
    attributes: {
      idle_expiry: token.tokenWindow ?? null,
      usage_tracked: log !== undefined,
      usage_since: usageSince,
      network_connection: token.network?.connection ?? null,
    },
  });
  const grants: Grant[] = (token.userId ? (tenant.roles.get(token.userId) ?? []) : []).map((role) => ({
    identityId: id,
    permission: `okta-role:${role.type}`,
    resource: tenant.domain,
    effect: 'allow',
    notAction: false,
    sourcePolicy: `okta:admin-role:${role.label ?? role.type}`,
    conditional: token.network?.connection === 'ZONE',
  }));
  return { identity, credential, grants, events: log ? events(id, id, log) : [] };
}

/** The inventory of one Okta org. Pure. */
export function oktaInventory(tenant: OktaTenant, usageSince: string): Partial<Inventory> {
  const identities: Identity[] = [];
  const credentials: Credential[] = [];
  const grants: Grant[] = [];
  const logEvents: SaasEvent[] = [];
  for (const token of tenant.tokens) {
    const rows = tokenRows(tenant, token, usageSince);
    identities.push(rows.identity);
    credentials.push(rows.credential);
    grants.push(...rows.grants);
    logEvents.push(...rows.events);
  }
  for (const { app, grants: appGrants } of tenant.serviceApps) {
    const id = oktaServiceAppId(app.id);
    const clientId = app.credentials?.oauthClient?.client_id ?? null;
    const log = clientId ? tenant.events.get(clientId) : undefined;
    identities.push(
      identityRow({
        id,
        provider: 'okta',
        kind: 'service-app',
        name: app.label ?? app.name ?? app.id,
        account: tenant.domain,
        arn: `okta://${tenant.domain}/apps/${app.id}`,
        createdAt: isoOrNull(app.created),
        lastUsedAt: lastSeen(log),
        attributes: {
          status: app.status ?? null,
          client_id: clientId,
          sign_on_mode: app.signOnMode ?? null,
          token_endpoint_auth_method: app.credentials?.oauthClient?.token_endpoint_auth_method ?? null,
          grant_types: app.settings?.oauthClient?.grant_types ?? [],
          scopes_read: appGrants !== null,
        },
      }),
    );
    if (clientId) {
      credentials.push(
        credentialRow({
          id: `okta:oauth-client:${clientId}`,
          identityId: id,
          kind: 'oauth-client',
          keyId: clientId,
          createdAt: isoOrNull(app.created),
          lastUsedAt: lastSeen(log),
          status: app.status === 'ACTIVE' ? 'active' : app.status === 'INACTIVE' ? 'inactive' : 'unknown',
          attributes: { auth_method: app.credentials?.oauthClient?.token_endpoint_auth_method ?? null },
        }),
      );
    }
    for (const grant of appGrants ?? []) {
      if (grant.status && grant.status !== 'ACTIVE') continue;
      grants.push({
        identityId: id,
        permission: grant.scopeId,
        resource: grant.issuer ?? tenant.domain,
        effect: 'allow',
        notAction: false,
        sourcePolicy: 'okta:scope-consent-grant',
        conditional: false,
      });
    }
    if (log && clientId) logEvents.push(...events(id, `okta:oauth-client:${clientId}`, log));
  }
  const aggregated = aggregateSaasEvents(logEvents);
  return {
    identities,
    credentials,
    grants,
    usage: aggregated.usage,
    clientActivity: aggregated.clientActivity,
  };
}
