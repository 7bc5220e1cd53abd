// Reads one Okta org through the management API: API tokens, service apps and their scope grants, owners, System Log.
import type { CollectContext } from '../contract.js';
import { createApiSession, type ApiSession } from '../http/apiSession.js';
import type { Fetch } from '../http/fetch.js';
import { nextLink } from '../http/paginate.js';
import type {
  OktaApiToken,
  OktaApp,
  OktaGrant,
  OktaLogEvent,
  OktaRole,
  OktaTenant,
  OktaUser,
} from './types.js';

/** How to reach the org. */
export interface OktaCollectOptions {
  /** `https://acme.okta.com` (or a loopback URL in tests). */
  baseUrl: string;
  token: string;
  /** System Log pages read per token or app (1,000 events each). */
  maxLogPages?: number;
  fetch?: Fetch;
  sleep?: (ms: number) => Promise<void>;
}

/** Okta pages lists with RFC 8288 Link headers; every list is a bare JSON array. */
const linkPages =
  <T>() =>
  (body: unknown, response: Response) => ({
    items: Array.isArray(body) ? (body as T[]) : [],
    next: nextLink(response.headers.get('link')),
  });

/** SSWS API tokens, or an OAuth 2.0 access token of a service app (a JWT) as a Bearer token. */
function authHeader(token: string): string {
  return /^eyJ[\w-]+\.[\w-]+\.[\w-]+$/.test(token) ? `Bearer ${token}` : `SSWS ${token}`;
}

const isServiceApp = (app: OktaApp): boolean => app.settings?.oauthClient?.application_type === 'service';

/** Reads the org. Never throws for an HTTP failure: those are in `session.errors` and the tenant is partial. */
export async function collectOkta(
  options: OktaCollectOptions,
  context: Pick<CollectContext, 'httpCache' | 'snapshot' | 'window' | 'progress'>,
): Promise<{ tenant: OktaTenant; session: ApiSession }> {
  const session = createApiSession({
    baseUrl: options.baseUrl,
    headers: { authorization: authHeader(options.token) },
    secret: options.token,
    context,
    fetch: options.fetch,
    sleep: options.sleep,
  });
  const domain = new URL(options.baseUrl).host;
  context.progress({ phase: 'update', message: `listing API tokens and apps of ${domain}` });
  const tokens = await session.list<OktaApiToken>(
    session.url('/api/v1/api-tokens', { limit: 200 }),
    linkPages<OktaApiToken>(),
  );
  const apps = await session.list<OktaApp>(session.url('/api/v1/apps', { limit: 200 }), linkPages<OktaApp>());

  const serviceApps: OktaTenant['serviceApps'] = [];
  for (const app of apps.items.filter(isServiceApp)) {
    const grants = await session.list<OktaGrant>(
      session.url(`/api/v1/apps/${encodeURIComponent(app.id)}/grants`),
      linkPages<OktaGrant>(),
    );
    serviceApps.push({ app, grants: grants.complete ? grants.items : null });
  }

  const users = new Map<string, OktaUser | 'missing' | null>();
  const roles = new Map<string, OktaRole[]>();
  for (const userId of new Set(
    tokens.items.map((token) => token.userId).filter((id): id is string => !!id),
  )) {
    const user = await session.find<OktaUser>(session.url(`/api/v1/users/${encodeURIComponent(userId)}`));
    users.set(userId, user === 'not-found' ? 'missing' : (user?.body ?? null));
    if (user && user !== 'not-found') {
      const assigned = await session.list<OktaRole>(
        session.url(`/api/v1/users/${encodeURIComponent(userId)}/roles`),
        linkPages<OktaRole>(),
      );
      if (assigned.complete) roles.set(userId, assigned.items);
    }
  }

  context.progress({ phase: 'update', message: `reading the System Log of ${domain}` });
  const events = new Map<string, OktaLogEvent[]>();
  const readLog = async (key: string, filter: string): Promise<void> => {
    const listing = await session.list<OktaLogEvent>(
      session.url('/api/v1/logs', {
        since: context.window.since,
        until: context.window.until,
        filter,
        limit: 1000,
        sortOrder: 'ASCENDING',
      }),
      linkPages<OktaLogEvent>(),
      options.maxLogPages ?? 20,
    );
    if (listing.complete) events.set(key, listing.items);
  };
  for (const token of tokens.items) {
    await readLog(token.id, `transaction.detail.requestApiTokenId eq "${token.id}"`);
  }
  for (const { app } of serviceApps) {
    const clientId = app.credentials?.oauthClient?.client_id;
    if (clientId) await readLog(clientId, `actor.id eq "${clientId}"`);
  }
  return { tenant: { domain, tokens: tokens.items, serviceApps, users, roles, events }, session };
}
