// Every GitHub endpoint agentaudit reads (all GET), what each needs (plan, App permission, classic scope), and why it may be unreachable.
import { loadPermissionTable } from './usage/permissionTable.js';

/** One endpoint the connector reads, with what it needs beyond a read permission. */
export interface ReadEndpoint {
  /** `GET /orgs/{org}/members`: Octokit route and coverage label. */
  route: string;
  /** What the endpoint covers, for people. */
  what: string;
  /** A plan or set-up the endpoint needs (absent: every plan). */
  plan?: string;
  /** Who may call it, beyond the token's permission. */
  role?: string;
  /** Classic PAT scope that reads it. */
  classicScope: string;
  /** Only a GitHub App can call it (fine-grained PAT listings). */
  appOnly?: boolean;
}

/** Every endpoint the connector calls, in the order it calls them. */
export const READ_ENDPOINTS: readonly ReadEndpoint[] = [
  { route: 'GET /orgs/{org}', what: 'the organization and its plan', classicScope: 'read:org' },
  { route: 'GET /orgs/{org}/members', what: 'members (people, for ownership)', classicScope: 'read:org' },
  {
    route: 'GET /orgs/{org}/outside_collaborators',
    what: 'outside collaborators',
    classicScope: 'read:org',
    role: 'an organization owner',
  },
  {
    route: 'GET /orgs/{org}/installations',
    what: 'GitHub App installations',
    classicScope: 'read:org',
    role: 'an organization owner',
  },
  {
    route: 'GET /orgs/{org}/personal-access-tokens',
    what: 'fine-grained PATs with access to the organization',
    classicScope: 'none (GitHub Apps only)',
    appOnly: true,
  },
  {
    route: 'GET /orgs/{org}/personal-access-token-requests',
    what: 'pending fine-grained PAT requests',
    classicScope: 'none (GitHub Apps only)',
    appOnly: true,
  },
  {
    route: 'GET /orgs/{org}/credential-authorizations',
    what: 'credentials authorized for SAML SSO (classic PATs, SSH keys)',
    plan: 'GitHub Enterprise Cloud with SAML single sign-on',
    role: 'an organization owner',
    classicScope: 'read:org',
  },
  {
    route: 'GET /orgs/{org}/actions/secrets',
    what: 'organization Actions secrets',
    classicScope: 'admin:org',
    role: 'an organization owner',
  },
  {
    route: 'GET /orgs/{org}/actions/secrets/{secret_name}/repositories',
    what: 'repositories an organization secret is shared with',
    classicScope: 'admin:org',
    role: 'an organization owner',
  },
  {
    route: 'GET /orgs/{org}/actions/permissions/workflow',
    what: 'default workflow token permissions of the organization',
    classicScope: 'admin:org',
    role: 'an organization owner',
  },
  {
    route: 'GET /orgs/{org}/actions/oidc/customization/sub',
    what: 'OIDC subject claim customisation of the organization',
    classicScope: 'read:org',
  },
  {
    route: 'GET /orgs/{org}/actions/runner-groups',
    what: 'self-hosted runner groups',
    classicScope: 'admin:org',
    role: 'an organization owner',
  },
  {
    route: 'GET /orgs/{org}/hooks',
    what: 'organization webhooks',
    classicScope: 'admin:org_hook',
    role: 'an organization owner',
  },
  { route: 'GET /orgs/{org}/repos', what: 'repositories', classicScope: 'repo' },
  {
    route: 'GET /repos/{owner}/{repo}/keys',
    what: 'deploy keys',
    classicScope: 'repo',
    role: 'a repository admin',
  },
  {
    route: 'GET /repos/{owner}/{repo}/actions/secrets',
    what: 'repository Actions secrets',
    classicScope: 'repo',
    role: 'a repository admin',
  },
  {
    route: 'GET /repos/{owner}/{repo}/environments',
    what: 'deployment environments',
    classicScope: 'repo',
    plan: 'a public repository, or a paid plan for private ones',
  },
  {
    route: 'GET /repos/{owner}/{repo}/environments/{environment_name}/secrets',
    what: 'environment secrets',
    classicScope: 'repo',
    role: 'a repository admin',
  },
  {
    route: 'GET /repos/{owner}/{repo}/actions/permissions/workflow',
    what: 'default workflow token permissions of a repository',
    classicScope: 'repo',
    role: 'a repository admin',
  },
  {
    route: 'GET /repos/{owner}/{repo}/actions/oidc/customization/sub',
    what: 'OIDC subject claim customisation of a repository',
    classicScope: 'repo',
  },
  {
    route: 'GET /repos/{owner}/{repo}/hooks',
    what: 'repository webhooks',
    classicScope: 'read:repo_hook',
    role: 'a repository admin',
  },
  {
    route: 'GET /repos/{owner}/{repo}/collaborators',
    what: 'outside collaborators of a repository and their roles',
    classicScope: 'repo',
    role: 'push access to the repository',
  },
  {
    route: 'GET /repos/{owner}/{repo}/contents/{path}',
    what: 'workflow files (.github/workflows)',
    classicScope: 'repo',
  },
  {
    route: 'GET /orgs/{org}/audit-log',
    what: 'the audit log (usage, creators)',
    plan: 'GitHub Enterprise Cloud (or Server)',
    role: 'an organization owner',
    classicScope: 'read:audit_log',
  },
  {
    route: 'GET /orgs/{org}/insights/api/route-stats/{actor_type}/{actor_id}',
    what: 'API Insights route statistics per PAT and App installation (usage)',
    classicScope: 'read:org',
    role: 'an organization owner',
  },
];

const BY_ROUTE = new Map(READ_ENDPOINTS.map((endpoint) => [endpoint.route, endpoint]));

/** The endpoint entry of a route; throws for a route the connector does not declare (a bug). */
export function readEndpoint(route: string): ReadEndpoint {
  const endpoint = BY_ROUTE.get(route);
  if (!endpoint) throw new Error(`undeclared GitHub endpoint ${route}`);
  return endpoint;
}

/** The App (installation) permission GitHub's table says an endpoint needs, e.g. `members:read`, or null. */
export function appPermissionFor(route: string): string | null {
  const [method, path] = route.split(' ') as [string, string];
  const found = loadPermissionTable('installation').lookup(method, path);
  return found ? found.permissions.join(' or ') : null;
}

/**
 * The read-only permissions a GitHub App needs to read everything agentaudit reads, from GitHub's own table:
 * what docs/github.md and the README list.
 */
export function requiredAppPermissions(): string[] {
  const needed = new Set<string>();
  for (const endpoint of READ_ENDPOINTS) {
    const permission = appPermissionFor(endpoint.route);
    if (permission) for (const one of permission.split(' or ')) needed.add(one);
  }
  return [...needed].sort();
}

/** Why an endpoint answered 403/404: what it needs, for the coverage entry. */
export function unavailableReason(route: string, status: number, message: string): string {
  const endpoint = readEndpoint(route);
  const needs: string[] = [];
  if (endpoint.plan) needs.push(endpoint.plan);
  if (endpoint.appOnly) needs.push('a GitHub App (tokens cannot list fine-grained PATs)');
  const permission = appPermissionFor(route);
  if (permission) needs.push(`App/fine-grained permission ${permission}`);
  needs.push(`classic scope ${endpoint.classicScope}`);
  if (endpoint.role) needs.push(endpoint.role);
  const said = message.trim() ? `: ${message.trim().slice(0, 160)}` : '';
  return `${status}${said} — ${endpoint.what} needs ${needs.join('; ')}`;
}
