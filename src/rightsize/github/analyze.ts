// Right-sizing of GitHub identities: granted vs used permissions of a fine-grained PAT or an App installation, with
// the permission set to grant instead; and the minimal `permissions:` block of a workflow's jobs. Pure.
import type { JsonObject } from '../../model/types.js';
import type { GithubIdentityRow, GithubUsageRow } from '../../store/githubRightsizeReads.js';

const RANK: Record<string, number> = { none: 0, read: 1, write: 2, admin: 3 };

/** One permission key: what was granted, what the window saw used, and what to grant. */
export interface PermissionVerdict {
  key: string;
  granted: string;
  /** Strongest level used, or null when never used. */
  used: string | null;
  /** What to grant instead: the used level, or null to remove. */
  suggested: string | null;
  action: 'keep' | 'downgrade' | 'remove';
  /** Requests seen exercising the key, and the last time. */
  count: number;
  lastSeen: string | null;
}

/** The right-sizing of a fine-grained PAT or an App installation. */
export interface GithubTokenRightsize {
  type: 'github-token';
  identity: { id: string; kind: string; name: string; account: string | null };
  scan: { id: number; asOf: string; since: string | null };
  permissions: PermissionVerdict[];
  /** Used permissions the identity was not granted (a table gap, or a grant read from elsewhere). */
  usedNotGranted: string[];
  /** The permission set to grant: key → level. */
  suggested: Record<string, string>;
  removed: number;
  downgraded: number;
  /** Routes that map to no permission (GraphQL, endpoints the tables do not list), with their request counts. */
  unmapped: { route: string; count: number }[];
  /** Routes GitHub lists with alternative permissions, all of which were kept. */
  ambiguous: { route: string; permissions: string[] }[];
  window: { firstSeen: string | null; lastSeen: string | null; sawNothing: boolean; sources: string[] };
  caveats: string[];
}

/** One job of a workflow right-sized. */
export interface WorkflowJobRightsize {
  job: string;
  id: string;
  permissionsSource: string;
  effective: JsonObject | null;
  needed: JsonObject;
  unneededWrite: string[];
  unknownNeeds: string[];
  suggestedBlock: string;
}

/** The right-sizing of a workflow file (every job, or the one job named). */
export interface GithubWorkflowRightsize {
  type: 'github-workflow';
  repository: string;
  path: string;
  scan: { id: number; asOf: string };
  jobs: WorkflowJobRightsize[];
  /** The `jobs:` section with each job's minimal `permissions:`, ready to paste over the workflow's. */
  suggestedYaml: string;
  caveats: string[];
}

/** Any GitHub right-sizing result. */
export type GithubRightsize = GithubTokenRightsize | GithubWorkflowRightsize;

function split(permission: string): [string, string] {
  const at = permission.lastIndexOf(':');
  return [permission.slice(0, at), permission.slice(at + 1)];
}

const stronger = (a: string | null, b: string): string => (a === null || RANK[b]! > RANK[a]! ? b : a);

/**
 * Compares what a PAT or installation was granted with the permissions its usage exercised (API Insights routes
 * and audit-log Git events mapped with GitHub's tables), and suggests the permission set it needs: used write stays,
 * write used only to read becomes read, unused goes. `metadata: read` stays whenever repository access stays (GitHub
 * requires it). When no usage could be read, nothing is suggested for removal.
 */
export function analyzeGithubToken(input: {
  identity: GithubIdentityRow;
  scan: { id: number; asOf: string; since: string | null };
  grants: readonly string[];
  usage: readonly GithubUsageRow[];
}): GithubTokenRightsize {
  const granted = new Map<string, string>();
  for (const permission of input.grants) {
    const [key, level] = split(permission);
    granted.set(key, stronger(granted.get(key) ?? null, level));
  }
  const used = new Map<string, { level: string; count: number; lastSeen: string }>();
  const unmapped = new Map<string, number>();
  const byRoute = new Map<string, Set<string>>();
  for (const row of input.usage) {
    if (row.permission === null) {
      unmapped.set(row.eventName, (unmapped.get(row.eventName) ?? 0) + row.count);
      continue;
    }
    const [key, level] = split(row.permission);
    const entry = used.get(key) ?? { level, count: 0, lastSeen: row.lastSeen };
    entry.level = stronger(entry.level, level);
    entry.count += row.count;
    if (row.lastSeen > entry.lastSeen) entry.lastSeen = row.lastSeen;
    used.set(key, entry);
    if (row.eventSource === 'github:api-insights') {
      byRoute.set(row.eventName, (byRoute.get(row.eventName) ?? new Set()).add(row.permission));
    }
  }
  const observed = input.identity.attributes['usage_observed'] === true;
  const sawNothing = !observed || input.usage.length === 0;
  const keepsRepositories = [...granted.keys()].some((key) => key !== 'metadata' && used.has(key));
  const permissions: PermissionVerdict[] = [...granted.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, level]) => {
      const use = used.get(key) ?? null;
      let suggested: string | null = use ? (RANK[use.level]! >= RANK[level]! ? level : use.level) : null;
      if (key === 'metadata' && suggested === null && keepsRepositories) suggested = 'read';
      if (!observed) suggested = level;
      const action: PermissionVerdict['action'] =
        suggested === null ? 'remove' : suggested === level ? 'keep' : 'downgrade';
      return {
        key,
        granted: level,
        used: use?.level ?? null,
        suggested,
        action,
        count: use?.count ?? 0,
        lastSeen: use?.lastSeen ?? null,
      };
    });
  const usedNotGranted = [...used.entries()]
    .filter(([key, use]) => !granted.has(key) || RANK[use.level]! > RANK[granted.get(key)!]!)
    .map(([key, use]) => `${key}:${use.level}`)
    .sort();
  const seen = input.usage.map((row) => row.lastSeen).sort();
  const sources = [...new Set(input.usage.map((row) => row.eventSource.replace(/^github:/, '')))].sort();
  const ambiguous = [...byRoute.entries()]
    .filter(([, set]) => set.size > 1)
    .map(([route, set]) => ({ route, permissions: [...set].sort() }));
  const caveats: string[] = [];
  if (!observed) {
    caveats.push(
      'its usage could not be read (API Insights needs organization_api_insights:read, GitHub Enterprise Cloud for the audit log): nothing is suggested for removal',
    );
  } else if (input.usage.length === 0) {
    caveats.push(
      'the evidence window saw no request at all: it may run rarely; revoke it rather than trimming it if it is truly unused',
    );
  }
  if (unmapped.size > 0) {
    caveats.push(
      `${[...unmapped.values()].reduce((a, b) => a + b, 0)} requests went to routes no permission table lists (GraphQL among them): permissions they needed may be missing from the suggestion`,
    );
  }
  if (ambiguous.length > 0) {
    caveats.push(
      'some routes need one of several permissions depending on their target (GitHub marks them "additional permissions"); every candidate the token holds was kept',
    );
  }
  caveats.push(
    'API Insights counts requests per route, not per repository: the suggestion narrows permissions, not the repositories they apply to',
  );
  const suggested: Record<string, string> = {};
  for (const verdict of permissions) if (verdict.suggested) suggested[verdict.key] = verdict.suggested;
  return {
    type: 'github-token',
    identity: {
      id: input.identity.id,
      kind: input.identity.kind,
      name: input.identity.name,
      account: input.identity.account,
    },
    scan: input.scan,
    permissions,
    usedNotGranted,
    suggested,
    removed: permissions.filter((p) => p.action === 'remove').length,
    downgraded: permissions.filter((p) => p.action === 'downgrade').length,
    unmapped: [...unmapped.entries()].map(([route, count]) => ({ route, count })),
    ambiguous,
    window: { firstSeen: seen[0] ?? null, lastSeen: seen.at(-1) ?? null, sawNothing, sources },
    caveats,
  };
}

/** The minimal `permissions:` per job of a workflow, from the connector's step analysis. */
export function analyzeGithubWorkflow(input: {
  jobs: readonly GithubIdentityRow[];
  scan: { id: number; asOf: string };
}): GithubWorkflowRightsize {
  const first = input.jobs[0]!;
  const jobs: WorkflowJobRightsize[] = input.jobs.map((job) => ({
    job: String(job.attributes['job']),
    id: job.id,
    permissionsSource: String(job.attributes['permissions_source'] ?? 'unknown'),
    effective: (job.attributes['effective_permissions'] as JsonObject | null) ?? null,
    needed: (job.attributes['needed_permissions'] as JsonObject | null) ?? {},
    unneededWrite: ((job.attributes['unneeded_write'] as string[] | null) ?? []).map(String),
    unknownNeeds: ((job.attributes['unknown_needs'] as string[] | null) ?? []).map(String),
    suggestedBlock: String(job.attributes['suggested_permissions'] ?? 'permissions: {}'),
  }));
  const yaml = [
    'permissions: {}',
    'jobs:',
    ...jobs.flatMap((job) => [
      `  ${job.job}:`,
      ...job.suggestedBlock.split('\n').map((line) => `    ${line}`),
    ]),
  ].join('\n');
  const caveats: string[] = [];
  const unknown = jobs.filter((job) => job.unknownNeeds.length > 0);
  if (unknown.length > 0) {
    caveats.push(
      `${unknown.map((job) => job.job).join(', ')}: some steps' needs are unknown (${unknown
        .flatMap((job) => job.unknownNeeds)
        .join('; ')}); check them before applying the block`,
    );
  }
  caveats.push(
    'needs come from a table of well-known actions and from `gh` and `git push` in scripts; an action that calls the API with the token on its own may need more',
  );
  return {
    type: 'github-workflow',
    repository: String(first.attributes['repository'] ?? first.account ?? ''),
    path: String(first.attributes['workflow_path'] ?? ''),
    scan: input.scan,
    jobs,
    suggestedYaml: yaml,
    caveats,
  };
}
