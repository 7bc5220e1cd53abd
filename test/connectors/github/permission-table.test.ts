// Endpoint → fine-grained permission, with GitHub's own tables (data/github-permissions): templates with parameters,
// API Insights' `:param` routes, id-addressed repositories, paths that span segments, alternatives.
import { describe, expect, it } from 'vitest';
import {
  requiredAppPermissions,
  READ_ENDPOINTS,
  appPermissionFor,
} from '../../../src/connectors/github/endpoints.js';
import { exercisedPermissions, grantLevels } from '../../../src/connectors/github/usage/exercised.js';
import { canonicalRoute, loadPermissionTable } from '../../../src/connectors/github/usage/permissionTable.js';

const apps = loadPermissionTable('installation');
const pats = loadPermissionTable('fine-grained-pat');

describe('the tables', () => {
  it('load GitHub’s published entries for Apps and fine-grained PATs', () => {
    // Given the shipped copies, Then they hold the counts the source documents (1,203 and 1,080 entries)
    expect(apps.entries).toBe(1203);
    expect(pats.entries).toBe(1080);
    expect(apps.keys.has('organization_personal_access_tokens')).toBe(true);
    expect(pats.keys.has('organization_personal_access_tokens')).toBe(false);
  });
});

describe('lookup', () => {
  it.each([
    ['GET', '/repos/{owner}/{repo}/contents/{path}', ['contents:read']],
    ['GET', '/repos/:owner/:repo/contents/:path', ['contents:read']],
    ['GET', '/repos/northwind/firmware/contents/src/main.c', ['contents:read']],
    ['POST', '/repos/:owner/:repo/pulls', ['pull_requests:write']],
    ['GET', '/repos/:owner/:repo/pulls', ['pull_requests:read']],
    ['GET', '/repositories/:repository_id', ['metadata:read']],
    ['GET', '/repositories/123456/issues/42', ['issues:read']],
    ['GET', '/orgs/acme/members', ['members:read']],
    ['GET', 'https://api.github.com/orgs/acme/hooks?per_page=100', ['organization_hooks:read']],
    ['GET', 'https://ghe.example/api/v3/repos/a/b/keys', ['administration:read']],
    [
      'GET',
      '/orgs/{org}/insights/api/route-stats/{actor_type}/{actor_id}',
      ['organization_api_insights:read'],
    ],
  ])('%s %s → %j', (method, route, expected) => {
    // Given a route as a table template, an API Insights route or a concrete path
    // When it is looked up in the App table, Then GitHub's permission comes back
    expect(apps.lookup(method, route)?.permissions).toEqual(expected);
  });

  it('prefers a literal segment over a parameter', () => {
    // Given `/actions/secrets/public-key` (its own entry) beside `/actions/secrets/{secret_name}`
    const key = apps.lookup('GET', '/repos/a/b/actions/secrets/public-key');
    const secret = apps.lookup('GET', '/repos/a/b/actions/secrets/NPM_TOKEN');
    // Then each resolves to its own template
    expect(key?.template).toBe('/repos/{owner}/{repo}/actions/secrets/public-key');
    expect(secret?.template).toBe('/repos/{owner}/{repo}/actions/secrets/{secret_name}');
  });

  it('tells methods apart and knows what it does not list', () => {
    expect(apps.lookup('DELETE', '/repos/:owner/:repo')?.permissions).toEqual(['administration:write']);
    expect(apps.lookup('POST', '/graphql')).toBeNull();
    expect(apps.lookup('GET', '/orgs/{org}')).toBeNull();
  });

  it('lists an endpoint’s alternative permissions, and resolves them against what the caller holds', () => {
    // Given an issue comment, which needs issues:write on an issue and pull_requests:write on a pull request
    const comment = apps.lookup('POST', '/repos/:owner/:repo/issues/:issue_number/comments')!;
    expect(comment.permissions).toEqual(['issues:write', 'pull_requests:write']);
    expect(comment.additional).toBe(true);
    // When the caller holds only one, Then that one was exercised; when both, both are kept (ambiguous)
    expect(exercisedPermissions(comment, grantLevels(['pull_requests:write', 'issues:read']))).toEqual({
      permissions: ['pull_requests:write'],
      ambiguous: false,
    });
    expect(exercisedPermissions(comment, grantLevels(['pull_requests:write', 'issues:write']))).toEqual({
      permissions: ['issues:write', 'pull_requests:write'],
      ambiguous: true,
    });
  });

  it('maps PAT routes with the PAT table', () => {
    expect(pats.lookup('POST', '/repos/:owner/:repo/releases')?.permissions).toEqual([
      'contents:write',
      'workflows:write',
    ]);
    expect(pats.lookup('GET', '/orgs/{org}/personal-access-tokens')).toBeNull();
  });
});

describe('canonicalRoute', () => {
  it('turns API Insights routes into the tables’ form', () => {
    expect(canonicalRoute('/repositories/:repository_id/pulls/:pull_number')).toBe(
      '/repos/{owner}/{repo}/pulls/{pull_number}',
    );
    expect(canonicalRoute('/organizations/:organization_id/team/:team_id')).toBe(
      '/orgs/{org}/team/{team_id}',
    );
    expect(canonicalRoute('/repos/:owner/:repo/git/refs/*ref')).toBe('/repos/{owner}/{repo}/git/refs/{ref}');
  });
});

describe('what agentaudit’s own App needs', () => {
  it('is read-only and comes from the table for every endpoint but the organization itself', () => {
    // Given every endpoint the connector reads, When GitHub's table is asked what each needs
    const needed = requiredAppPermissions();
    // Then every permission is a read, and only GET /orgs/{org} (public) needs none
    expect(needed.every((permission) => permission.endsWith(':read'))).toBe(true);
    expect(READ_ENDPOINTS.filter((e) => appPermissionFor(e.route) === null).map((e) => e.route)).toEqual([
      'GET /orgs/{org}',
    ]);
    expect(needed).toEqual([
      'actions:read',
      'administration:read',
      'contents:read',
      'environments:read',
      'members:read',
      'metadata:read',
      'organization_administration:read',
      'organization_api_insights:read',
      'organization_hooks:read',
      'organization_personal_access_token_requests:read',
      'organization_personal_access_tokens:read',
      'organization_secrets:read',
      'organization_self_hosted_runners:read',
      'repository_hooks:read',
      'secrets:read',
    ]);
  });
});
