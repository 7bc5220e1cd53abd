// The GitHub OIDC → AWS join: workflow jobs that assume a role through OIDC get a can-assume edge to the role's identity.
import { describe, expect, it } from 'vitest';
import { linkWorkflowsToAwsRoles } from '../../../src/connectors/github/link.js';
import { githubIdentity } from '../../../src/connectors/github/model.js';
import { emptyInventory, type Identity } from '../../../src/model/types.js';

const role = (arn: string): Identity => ({
  ...githubIdentity({
    id: `aws:iam-role:${arn}`,
    kind: 'iam-role',
    name: arn.split('/').pop()!,
    account: '111122223333',
  }),
  provider: 'aws',
  arn,
});
const job = (org: string, roleArn: string | null, expression: string | null = null): Identity =>
  githubIdentity({
    id: `github:github-workflow:${org}/web/.github/workflows/deploy.yml#deploy`,
    kind: 'github-workflow',
    name: 'web/.github/workflows/deploy.yml#deploy',
    account: org,
    attributes: {
      repository: `${org}/web`,
      workflow_path: '.github/workflows/deploy.yml',
      job: 'deploy',
      oidc_roles: [{ roleArn, expression, step: 1, region: 'us-east-1' }],
      oidc_subjects: [`repo:${org}/web:ref:refs/heads/main`],
      id_token_write: true,
    },
  });

describe('linkWorkflowsToAwsRoles', () => {
  it('links by exact ARN, by account and name when the workflow omits the path, and keeps unknown roles visible', () => {
    // Given a role with a path, and three jobs: exact ARN, path-less ARN, a role in another account
    const inventory = {
      ...emptyInventory(),
      identities: [
        role('arn:aws:iam::111122223333:role/ci/web-deploy'),
        job('acme', 'arn:aws:iam::111122223333:role/ci/web-deploy'),
        { ...job('beta', 'arn:aws:iam::111122223333:role/web-deploy') },
        { ...job('gamma', 'arn:aws:iam::999999999999:role/elsewhere') },
        { ...job('delta', null, '${{ vars.ROLE }}') },
      ],
    };
    // When each organization's link runs
    let linked = inventory;
    for (const org of ['acme', 'beta', 'gamma', 'delta']) linked = linkWorkflowsToAwsRoles(org)(linked);
    // Then three edges: two to the role's identity, one to the unknown ARN; the expression is not guessed
    expect(
      linked.edges.map((e) => [e.from.split(':')[2]!.split('/')[0], e.to, e.evidence['matched_by']]),
    ).toEqual([
      ['acme', 'aws:iam-role:arn:aws:iam::111122223333:role/ci/web-deploy', 'arn'],
      ['beta', 'aws:iam-role:arn:aws:iam::111122223333:role/ci/web-deploy', 'account and role name'],
      ['gamma', 'aws:iam-role:arn:aws:iam::999999999999:role/elsewhere', null],
    ]);
    expect(linked.edges[0]).toMatchObject({
      kind: 'can-assume',
      evidence: { via: 'github-oidc', role_in_inventory: true },
    });
    expect(linked.edges[2]!.evidence['role_in_inventory']).toBe(false);
    expect(inventory.edges).toEqual([]);
  });
});
