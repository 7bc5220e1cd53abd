// Workflow analysis: the token's effective permissions (job > workflow > repository/organization default), what the
// steps need, write scopes nobody needs, pull_request_target head checkouts, and AWS roles assumed through OIDC.
import { describe, expect, it } from 'vitest';
import { analyzeWorkflow, type WorkflowContext } from '../../../src/connectors/github/workflows/analyze.js';
import { parseWorkflow } from '../../../src/connectors/github/workflows/parse.js';
import {
  defaultPermissions,
  parsePermissions,
} from '../../../src/connectors/github/workflows/permissions.js';

const context = (
  defaults: WorkflowContext['defaults'] = { mode: 'read', source: 'organization' },
): WorkflowContext => ({
  org: 'acme',
  repo: 'web',
  path: '.github/workflows/x.yml',
  defaultBranch: 'main',
  defaults,
  oidcClaimKeys: null,
});

function analyze(yaml: string, defaults?: WorkflowContext['defaults']) {
  const parsed = parseWorkflow(yaml);
  if (!parsed.ok) throw new Error(parsed.problem);
  return analyzeWorkflow(parsed.workflow, context(defaults));
}

describe('permissions', () => {
  it('reads shorthands, maps and the two defaults as GitHub documents them', () => {
    expect(parsePermissions('write-all')!.permissions.contents).toBe('write');
    expect(parsePermissions('write-all')!.permissions.models).toBe('read');
    expect(parsePermissions('read-all')!.permissions['id-token']).toBe('none');
    expect(parsePermissions({})!.permissions.contents).toBe('none');
    expect(parsePermissions({ contents: 'read', 'id-token': 'write' })!.permissions.issues).toBe('none');
    expect(parsePermissions({ content: 'read' })!.problems).toEqual(['unknown permission scope "content"']);
    expect(parsePermissions(undefined)).toBeNull();
    expect(defaultPermissions('write')['pull-requests']).toBe('write');
    expect(defaultPermissions('write')['id-token']).toBe('none');
    expect(defaultPermissions('read').contents).toBe('read');
    expect(defaultPermissions('read').issues).toBe('none');
  });
});

describe('analyzeWorkflow', () => {
  it('gives a job without permissions the repository default, and a job block wins over the workflow block', () => {
    // Given a workflow with read-all at the top and one job overriding it, and a repository default of write
    const [first, second] = analyze(
      `on: push
permissions: read-all
jobs:
  a:
    runs-on: ubuntu-latest
    steps: [{ uses: actions/checkout@v4 }]
  b:
    runs-on: ubuntu-latest
    permissions: { contents: write }
    steps: [{ uses: softprops/action-gh-release@v2 }]
`,
      { mode: 'write', source: 'repository' },
    );
    // Then job a reads everything (workflow block), job b writes contents only (job block)
    expect(first!.permissionsSource).toBe('workflow');
    expect(first!.writeAll).toBe(false);
    expect(second!.permissionsSource).toBe('job');
    expect(second!.writeScopes).toEqual(['contents']);
    expect(second!.unneededWrite).toEqual([]);
  });

  it('flags write-all under a read/write default and suggests the minimal block', () => {
    // Given a job with no permissions anywhere and a repository default of write
    const [job] = analyze(
      `on: [push]
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: make
      - uses: actions/upload-artifact@v4
        with: { name: out, path: build/ }
`,
      { mode: 'write', source: 'repository' },
    );
    // Then its token writes everything, no step needs a write, and the suggestion is contents: read
    expect(job!.permissionsSource).toBe('repository default');
    expect(job!.writeAll).toBe(true);
    expect(job!.unneededWrite).toContain('contents');
    expect(job!.unknownNeeds).toEqual([]);
    expect(job!.suggestedBlock).toBe('permissions:\n  contents: read');
  });

  it('does not know a default it could not read', () => {
    const [job] = analyze('on: push\njobs:\n  a:\n    runs-on: x\n    steps: [{ run: make }]\n', null);
    expect(job!.effective).toBeNull();
    expect(job!.writeAll).toBeNull();
  });

  it('reads what `gh` and `git push` in scripts need, and calls `gh api` unknown', () => {
    const [job] = analyze(`on: push
permissions: { contents: write, pull-requests: write, issues: write }
jobs:
  a:
    runs-on: x
    steps:
      - run: gh pr comment 1 --body hi
        env: { GH_TOKEN: '\${{ github.token }}' }
      - run: git push origin HEAD:refs/heads/bot
      - run: gh api repos/acme/web/labels
`);
    expect(job!.needed).toEqual({ 'pull-requests': 'write', contents: 'write' });
    expect(job!.unneededWrite).toEqual(['issues']);
    expect(job!.unknownNeeds).toEqual(['step 3: a `gh api` call can reach any endpoint']);
  });

  it('calls an unknown action unknown instead of guessing', () => {
    const [job] = analyze(`on: push
permissions: { contents: read, issues: write }
jobs:
  a:
    runs-on: x
    steps: [{ uses: someone/labeler@v1 }]
`);
    expect(job!.unneededWrite).toEqual(['issues']);
    expect(job!.unknownNeeds).toEqual(['step 1: unknown action someone/labeler']);
  });

  it('finds a pull_request_target job that checks out the head with secrets in reach', () => {
    const [job] = analyze(`on:
  pull_request_target:
    types: [opened]
permissions: { contents: read, pull-requests: write }
jobs:
  preview:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.pull_request.head.sha }}
      - run: npm ci && npm test
        env:
          NPM_TOKEN: \${{ secrets.NPM_TOKEN }}
`);
    expect(job!.privilegedHeadCheckout).toEqual({
      trigger: 'pull_request_target',
      step: 0,
      checkout: 'actions/checkout ref ${{ github.event.pull_request.head.sha }}',
      runsCodeAfter: true,
    });
    expect(job!.secretsInReach).toEqual(['NPM_TOKEN']);
  });

  it('does not flag a pull_request_target job that checks out the base, nor a pull_request job that checks out the head', () => {
    const [base] = analyze(`on: pull_request_target
jobs:
  label:
    runs-on: x
    steps: [{ uses: actions/checkout@v4 }, { uses: actions/labeler@v5 }]
`);
    const [untrusted] = analyze(`on: pull_request
jobs:
  test:
    runs-on: x
    steps:
      - uses: actions/checkout@v4
        with: { ref: '\${{ github.event.pull_request.head.sha }}' }
`);
    expect(base!.privilegedHeadCheckout).toBeNull();
    expect(untrusted!.privilegedHeadCheckout).toBeNull();
  });

  it('finds the AWS role a job assumes through OIDC and the subjects its token presents', () => {
    const [job, keys] = analyze(`on:
  push: { branches: [main] }
  pull_request:
permissions: { id-token: write, contents: read }
jobs:
  deploy:
    runs-on: x
    steps:
      - uses: aws-actions/configure-aws-credentials@v4
        with: { role-to-assume: 'arn:aws:iam::111122223333:role/ci/web-deploy', aws-region: us-east-1 }
      - uses: aws-actions/configure-aws-credentials@v4
        with: { role-to-assume: '\${{ vars.ROLE }}' }
  static:
    runs-on: x
    steps:
      - uses: aws-actions/configure-aws-credentials@v4
        with: { aws-access-key-id: '\${{ secrets.KEY }}', role-to-assume: 'arn:aws:iam::111122223333:role/x' }
`);
    expect(job!.oidcRoles).toEqual([
      {
        roleArn: 'arn:aws:iam::111122223333:role/ci/web-deploy',
        expression: null,
        step: 0,
        region: 'us-east-1',
      },
      { roleArn: null, expression: '${{ vars.ROLE }}', step: 1, region: null },
    ]);
    expect(job!.oidcSubjects).toEqual(['repo:acme/web:pull_request', 'repo:acme/web:ref:refs/heads/main']);
    expect(job!.needed['id-token']).toBe('write');
    expect(keys!.oidcRoles).toEqual([]);
  });

  it('names what makes a file unreadable', () => {
    expect(parseWorkflow('on: [push\njobs: {}')).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/invalid YAML/),
    });
    expect(parseWorkflow('name: x\n')).toEqual({ ok: false, problem: 'not a workflow: no `on:` triggers' });
  });
});
