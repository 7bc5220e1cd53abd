// Reads Slack: who the token is and its scopes (auth.test and its x-oauth-scopes header), and approved apps (Enterprise).
import type { CollectContext } from '../contract.js';
import { ApiBodyError, createApiSession, type ApiSession } from '../http/apiSession.js';
import type { Fetch } from '../http/fetch.js';
import type { SlackApprovedApp, SlackApprovedAppsPage, SlackAuthTest, SlackWorkspace } from './types.js';

/** How to reach Slack. */
export interface SlackCollectOptions {
  /** `https://slack.com/api` (or a loopback URL in tests). */
  baseUrl: string;
  token: string;
  fetch?: Fetch;
  sleep?: (ms: number) => Promise<void>;
}

const slackError = (body: { error?: string; needed?: string }): string =>
  `${body.error ?? 'error'}${body.needed ? ` (needs scope ${body.needed})` : ''}`;

/** Reads what the token may see. Never throws for an HTTP or API failure: those are in `session.errors`. */
export async function collectSlack(
  options: SlackCollectOptions,
  context: Pick<CollectContext, 'httpCache' | 'snapshot' | 'progress'>,
): Promise<{ workspace: SlackWorkspace; session: ApiSession }> {
  const session = createApiSession({
    baseUrl: options.baseUrl,
    headers: { authorization: `Bearer ${options.token}` },
    secret: options.token,
    context,
    fetch: options.fetch,
    sleep: options.sleep,
    errorSummary: (body) => {
      try {
        return slackError(JSON.parse(body) as { error?: string; needed?: string });
      } catch {
        return body.trim() || null;
      }
    },
  });
  context.progress({ phase: 'update', message: 'asking Slack who the token is' });
  const authUrl = session.url('auth.test');
  const auth = await session.get<SlackAuthTest>(authUrl);
  if (!auth || !auth.body.ok) {
    if (auth) session.fail(authUrl, slackError(auth.body));
    return {
      workspace: { auth: null, tokenScopes: [], approvedApps: null, approvedAppsNote: 'auth.test failed' },
      session,
    };
  }
  const tokenScopes = (auth.headers.get('x-oauth-scopes') ?? '')
    .split(',')
    .map((scope) => scope.trim())
    .filter((scope) => scope !== '');
  const enterprise = auth.body.enterprise_id ?? null;
  if (!enterprise && !auth.body.is_enterprise_install) {
    return {
      workspace: {
        auth: auth.body,
        tokenScopes,
        approvedApps: null,
        approvedAppsNote: 'not an Enterprise org: approved apps are an Enterprise feature',
      },
      session,
    };
  }
  context.progress({ phase: 'update', message: 'listing approved apps' });
  const apps = await session.list<SlackApprovedApp>(
    session.url('admin.apps.approved.list', { limit: 1000, enterprise_id: enterprise ?? undefined }),
    (body, _response, url) => {
      const page = body as SlackApprovedAppsPage;
      if (!page.ok) throw new ApiBodyError(url, slackError(page));
      const cursor = page.response_metadata?.next_cursor;
      let next: string | null = null;
      if (cursor) {
        const nextUrl = new URL(url);
        nextUrl.searchParams.set('cursor', cursor);
        next = nextUrl.toString();
      }
      return { items: page.approved_apps ?? [], next };
    },
  );
  return {
    workspace: {
      auth: auth.body,
      tokenScopes,
      approvedApps: apps.complete ? apps.items : null,
      approvedAppsNote: apps.complete ? null : 'admin.apps.approved.list could not be read',
    },
    session,
  };
}
