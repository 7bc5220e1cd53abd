// Webhooks of the organization and its repositories → identities: whether deliveries are signed with a secret.
import type { Credential, Identity } from '../../../model/types.js';
import { webhookId } from '../ids.js';
import { githubCredential, githubIdentity, isoTime } from '../model.js';
import type { GithubHook, RepositoryFacts } from './repositories.js';

/** Who created each webhook, from the audit log, by hook id. */
export type HookCreators = ReadonlyMap<number, string>;

/**
 * The host a webhook delivers to. Only the host is kept: webhook URLs often carry a token in their path or query
 * (chat incoming-webhook URLs are credentials themselves).
 */
export function webhookHost(url: string | undefined): string | null {
  if (!url) return null;
  try {
    return new URL(url).host;
  } catch {
    return null;
  }
}

function hookRows(
  org: string,
  hook: GithubHook,
  repo: string | undefined,
  creators: HookCreators,
): { identity: Identity; credential: Credential | null } {
  const id = webhookId(org, hook.id, repo);
  const host = webhookHost(hook.config.url);
  // GitHub shows a set secret as "********" and omits the field when there is none.
  const hasSecret = typeof hook.config.secret === 'string' && hook.config.secret !== '';
  const insecureSsl = String(hook.config.insecure_ssl ?? '0') === '1';
  const owner = creators.get(hook.id) ?? null;
  return {
    identity: githubIdentity({
      id,
      kind: 'webhook',
      name: `${repo ?? org} → ${host ?? 'unknown host'}`,
      account: org,
      owner,
      ownerSource: owner ? 'audit-log:created-by' : null,
      createdAt: isoTime(hook.created_at),
      attributes: {
        hook_id: hook.id,
        scope: repo ? 'repository' : 'organization',
        repository: repo ? `${org}/${repo}` : null,
        url_host: host,
        has_secret: hasSecret,
        insecure_ssl: insecureSsl,
        active: hook.active,
        events: hook.events,
        content_type: hook.config.content_type ?? null,
        updated_at: isoTime(hook.updated_at),
      },
    }),
    credential: hasSecret
      ? githubCredential({
          id: `${id}#secret`,
          identityId: id,
          kind: 'webhook-secret',
          createdAt: isoTime(hook.created_at),
          status: hook.active ? 'active' : 'inactive',
        })
      : null,
  };
}

/** Identities (and signing-secret credentials, when set) of every organization and repository webhook read. */
export function webhookRows(
  org: string,
  orgHooks: readonly GithubHook[] | null,
  repositories: readonly RepositoryFacts[],
  creators: HookCreators = new Map(),
): { identities: Identity[]; credentials: Credential[] } {
  const identities: Identity[] = [];
  const credentials: Credential[] = [];
  const all: [GithubHook, string | undefined][] = [
    ...(orgHooks ?? []).map((hook) => [hook, undefined] as [GithubHook, undefined]),
    ...repositories.flatMap((facts) =>
      (facts.hooks ?? []).map((hook) => [hook, facts.repository.name] as [GithubHook, string]),
    ),
  ];
  for (const [hook, repo] of all) {
    const rows = hookRows(org, hook, repo, creators);
    identities.push(rows.identity);
    if (rows.credential) credentials.push(rows.credential);
  }
  return { identities, credentials };
}
