// GitHub right-sizing: granted vs used permissions of a PAT or App installation, and a workflow's permissions blocks.
import { describe, expect, it } from 'vitest';
import { analyzeGithubToken, analyzeGithubWorkflow } from '../../src/rightsize/github/analyze.js';
import type { GithubUsageRow } from '../../src/store/githubRightsizeReads.js';

const scan = { id: 1, asOf: '2026-10-30T12:00:00Z', since: '2026-08-01T12:00:00Z' };
const use = (permission: string | null, eventName: string, count = 1): GithubUsageRow => ({
  permission,
  eventSource: 'github:api-insights',
  eventName,
  firstSeen: '2026-10-01T00:00:00Z',
  lastSeen: '2026-10-29T00:00:00Z',
  count,
});
const installation = (observed: boolean) => ({
  id: 'github:github-app-installation:1',
  kind: 'github-app-installation',
  name: 'bot',
  account: 'acme',
  arn: null,
  attributes: { usage_observed: observed },
});

describe('analyzeGithubToken', () => {
  it('keeps used writes, downgrades writes used only to read, removes the unused, and keeps metadata', () => {
    // Given an installation granted four permissions and seen using two of them
    const result = analyzeGithubToken({
      identity: installation(true),
      scan,
      grants: ['contents:write', 'issues:write', 'metadata:read', 'workflows:write'],
      usage: [
        use('contents:write', 'POST /repos/:owner/:repo/git/commits', 5),
        use('issues:read', 'GET /repos/:owner/:repo/issues/:issue_number', 3),
        use(null, 'POST /graphql', 7),
      ],
    });
    // Then the suggestion is contents write, issues read, metadata read, and the GraphQL calls are a caveat
    expect(result.suggested).toEqual({ contents: 'write', issues: 'read', metadata: 'read' });
    expect(result).toMatchObject({
      removed: 1,
      downgraded: 1,
      unmapped: [{ route: 'POST /graphql', count: 7 }],
    });
    expect(result.caveats.join(' ')).toMatch(/7 requests went to routes no permission table lists/);
  });

  it('suggests removing nothing when its usage could not be read', () => {
    const result = analyzeGithubToken({
      identity: installation(false),
      scan,
      grants: ['contents:write', 'metadata:read'],
      usage: [],
    });
    expect(result.suggested).toEqual({ contents: 'write', metadata: 'read' });
    expect(result.removed).toBe(0);
    expect(result.window.sawNothing).toBe(true);
    expect(result.caveats[0]).toMatch(/could not be read/);
  });

  it('keeps every candidate of a route with alternative permissions, and says so', () => {
    const result = analyzeGithubToken({
      identity: installation(true),
      scan,
      grants: ['contents:write', 'workflows:write', 'metadata:read'],
      usage: [
        use('contents:write', 'PUT /repos/:owner/:repo/contents/:path'),
        use('workflows:write', 'PUT /repos/:owner/:repo/contents/:path'),
      ],
    });
    expect(result.suggested).toEqual({ contents: 'write', metadata: 'read', workflows: 'write' });
    expect(result.ambiguous).toEqual([
      { route: 'PUT /repos/:owner/:repo/contents/:path', permissions: ['contents:write', 'workflows:write'] },
    ]);
  });
});

describe('analyzeGithubWorkflow', () => {
  it('writes a permissions block per job under an empty workflow-level block', () => {
    const job = (name: string, block: string) => ({
      id: `github:github-workflow:acme/web/.github/workflows/ci.yml#${name}`,
      kind: 'github-workflow',
      name,
      account: 'acme',
      arn: null,
      attributes: {
        repository: 'acme/web',
        workflow_path: '.github/workflows/ci.yml',
        job: name,
        permissions_source: 'repository default',
        suggested_permissions: block,
        unknown_needs: [],
        unneeded_write: ['contents'],
      },
    });
    const result = analyzeGithubWorkflow({
      jobs: [job('build', 'permissions:\n  contents: read'), job('lint', 'permissions: {}')],
      scan,
    });
    expect(result.suggestedYaml).toBe(
      'permissions: {}\njobs:\n  build:\n    permissions:\n      contents: read\n  lint:\n    permissions: {}',
    );
    expect(result).toMatchObject({ repository: 'acme/web', path: '.github/workflows/ci.yml' });
  });
});
