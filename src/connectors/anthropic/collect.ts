// Reads one Anthropic organization through the Admin API: API keys, members, workspaces, service accounts, usage per key.
import type { CollectContext } from '../contract.js';
import { createApiSession, type ApiSession } from '../http/apiSession.js';
import type { Fetch } from '../http/fetch.js';
import type {
  AnthropicApiKey,
  AnthropicList,
  AnthropicOrganization,
  AnthropicServiceAccount,
  AnthropicUsageBucket,
  AnthropicUsagePage,
  AnthropicUser,
  AnthropicWorkspace,
} from './types.js';

/** How to reach the organization. */
export interface AnthropicCollectOptions {
  /** `https://api.anthropic.com` (or a loopback URL in tests). */
  baseUrl: string;
  /** An Admin API key (`sk-ant-admin…`, sent as x-api-key) or an OAuth access token with `org:admin` (Bearer). */
  credential: string;
  fetch?: Fetch;
  sleep?: (ms: number) => Promise<void>;
}

/** Anthropic lists page with `has_more` and `after_id=<last_id>`. */
const idPages =
  <T>() =>
  (body: unknown, _response: Response, url: string) => {
    const page = (body ?? {}) as AnthropicList<T>;
    let next: string | null = null;
    if (page.has_more && page.last_id) {
      const nextUrl = new URL(url);
      nextUrl.searchParams.set('after_id', page.last_id);
      next = nextUrl.toString();
    }
    return { items: page.data ?? [], next };
  };

/** The usage report pages with `has_more` and `page=<next_page>`. */
const reportPages = (body: unknown, _response: Response, url: string) => {
  const page = (body ?? {}) as AnthropicUsagePage;
  let next: string | null = null;
  if (page.has_more && page.next_page) {
    const nextUrl = new URL(url);
    nextUrl.searchParams.set('page', page.next_page);
    next = nextUrl.toString();
  }
  return { items: page.data ?? [], next };
};

/** Headers for an Admin API key or an OAuth token. */
function authHeaders(credential: string): Record<string, string> {
  const auth: Record<string, string> = credential.startsWith('sk-ant-')
    ? { 'x-api-key': credential }
    : { authorization: `Bearer ${credential}` };
  return { ...auth, 'anthropic-version': '2023-06-01' };
}

/** Reads the organization. Never throws for an HTTP failure: those are in `session.errors`. */
export async function collectAnthropic(
  options: AnthropicCollectOptions,
  context: Pick<CollectContext, 'httpCache' | 'snapshot' | 'progress' | 'window'>,
): Promise<{ organization: AnthropicOrganization; session: ApiSession }> {
  const session = createApiSession({
    baseUrl: options.baseUrl,
    headers: authHeaders(options.credential),
    secret: options.credential,
    context,
    fetch: options.fetch,
    sleep: options.sleep,
  });
  context.progress({ phase: 'update', message: 'listing Anthropic API keys, members and workspaces' });
  const users = await session.list<AnthropicUser>(
    session.url('/v1/organizations/users', { limit: 100 }),
    idPages<AnthropicUser>(),
  );
  const workspaces = await session.list<AnthropicWorkspace>(
    session.url('/v1/organizations/workspaces', { limit: 100, include_archived: true }),
    idPages<AnthropicWorkspace>(),
  );
  const keys = await session.list<AnthropicApiKey>(
    session.url('/v1/organizations/api_keys', { limit: 100 }),
    idPages<AnthropicApiKey>(),
  );
  const serviceAccounts = await session.list<AnthropicServiceAccount>(
    session.url('/v1/organizations/service_accounts', { limit: 100 }),
    idPages<AnthropicServiceAccount>(),
  );
  context.progress({ phase: 'update', message: 'reading the Anthropic usage report' });
  const usage = await session.list<AnthropicUsageBucket>(
    session.url('/v1/organizations/usage_report/messages', {
      starting_at: context.window.since,
      ending_at: context.window.until,
      bucket_width: '1d',
      'group_by[]': ['api_key_id', 'model'],
      limit: 31,
    }),
    reportPages,
  );
  return {
    organization: {
      keys: keys.items,
      users: users.complete ? new Map(users.items.map((user) => [user.id, user])) : null,
      workspaces: new Map(workspaces.items.map((workspace) => [workspace.id, workspace])),
      serviceAccounts: serviceAccounts.complete ? serviceAccounts.items : null,
      usage: usage.complete ? usage.items : null,
    },
    session,
  };
}
