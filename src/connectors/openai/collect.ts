// Reads one OpenAI organization through the Administration API: admin keys, members, projects, project keys, service accounts.
import type { CollectContext } from '../contract.js';
import { createApiSession, type ApiSession } from '../http/apiSession.js';
import type { Fetch } from '../http/fetch.js';
import type {
  OpenAiAdminKey,
  OpenAiList,
  OpenAiOrganization,
  OpenAiProject,
  OpenAiProjectKey,
  OpenAiServiceAccount,
  OpenAiUser,
} from './types.js';

/** How to reach the organization. */
export interface OpenAiCollectOptions {
  /** `https://api.openai.com/v1` (or a loopback URL in tests). */
  baseUrl: string;
  adminKey: string;
  fetch?: Fetch;
  sleep?: (ms: number) => Promise<void>;
}

/** OpenAI lists page with a cursor: `has_more`, and `after=<last_id>` for the next page. */
const cursorPages =
  <T>() =>
  (body: unknown, _response: Response, url: string) => {
    const page = (body ?? {}) as OpenAiList<T>;
    let next: string | null = null;
    if (page.has_more && page.last_id) {
      const nextUrl = new URL(url);
      nextUrl.searchParams.set('after', page.last_id);
      next = nextUrl.toString();
    }
    return { items: page.data ?? [], next };
  };

/** Reads the organization. Never throws for an HTTP failure: those are in `session.errors`. */
export async function collectOpenAi(
  options: OpenAiCollectOptions,
  context: Pick<CollectContext, 'httpCache' | 'snapshot' | 'progress'>,
): Promise<{ organization: OpenAiOrganization; session: ApiSession }> {
  const session = createApiSession({
    baseUrl: options.baseUrl,
    headers: { authorization: `Bearer ${options.adminKey}` },
    secret: options.adminKey,
    context,
    fetch: options.fetch,
    sleep: options.sleep,
  });
  context.progress({ phase: 'update', message: 'listing OpenAI admin keys, members and projects' });
  const adminKeys = await session.list<OpenAiAdminKey>(
    session.url('organization/admin_api_keys', { limit: 100 }),
    cursorPages<OpenAiAdminKey>(),
  );
  const users = await session.list<OpenAiUser>(
    session.url('organization/users', { limit: 100 }),
    cursorPages<OpenAiUser>(),
  );
  const projects = await session.list<OpenAiProject>(
    session.url('organization/projects', { limit: 100 }),
    cursorPages<OpenAiProject>(),
  );
  const perProject: OpenAiOrganization['projects'] = [];
  for (const project of projects.items) {
    const base = `organization/projects/${encodeURIComponent(project.id)}`;
    const keys = await session.list<OpenAiProjectKey>(
      // `any`: every enabled key, including those whose owner lost access to the project.
      session.url(`${base}/api_keys`, { limit: 100, owner_project_access: 'any' }),
      cursorPages<OpenAiProjectKey>(),
    );
    const serviceAccounts = await session.list<OpenAiServiceAccount>(
      session.url(`${base}/service_accounts`, { limit: 100 }),
      cursorPages<OpenAiServiceAccount>(),
    );
    perProject.push({ project, keys: keys.items, serviceAccounts: serviceAccounts.items });
  }
  return {
    organization: {
      adminKeys: adminKeys.items,
      users: users.complete ? new Map(users.items.map((user) => [user.id, user])) : null,
      projects: perProject,
    },
    session,
  };
}
