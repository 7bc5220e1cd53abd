// The agent posture scorecard from cache rows: findings fail the property their rule is tagged with, evidence decides the rest.
import { describe, expect, it } from 'vitest';
import { buildAgentScorecards, type PostureFinding, type PostureInput } from '../../src/analysis/posture.js';
import type { PostureAgentRow } from '../../src/store/postureReads.js';

const ROLE_ARN = 'arn:aws:iam::111122223333:role/agents/support-agent';
const USER_ARN = 'arn:aws:iam::111122223333:user/ci/deploy';

const agent = (overrides: Partial<PostureAgentRow>): PostureAgentRow => ({
  id: 'id',
  provider: 'aws',
  kind: 'iam-user',
  name: 'name',
  arn: null,
  isHuman: false,
  owner: null,
  purpose: null,
  expiresAt: null,
  usageObserved: null,
  usageSources: [],
  host: null,
  ...overrides,
});

/** An estate of three agents: an AWS role, an AWS user with a key, and a GitHub App installation. */
function input(overrides: Partial<PostureInput> = {}): PostureInput {
  const agents = [
    agent({
      id: `aws:iam-role:${ROLE_ARN}`,
      kind: 'iam-role',
      name: 'support-agent',
      arn: ROLE_ARN,
      purpose: 'tickets',
    }),
    agent({ id: `aws:iam-user:${USER_ARN}`, name: 'deploy', arn: USER_ARN, owner: 'platform@example.com' }),
    agent({
      id: 'github:github-app-installation:1',
      provider: 'github',
      kind: 'github-app-installation',
      name: 'claude',
      usageObserved: true,
      usageSources: ['audit-log'],
    }),
  ];
  return {
    agents,
    credentials: [
      {
        id: `aws:access-key:${USER_ARN}#1`,
        identityId: agents[1]!.id,
        kind: 'aws-access-key',
        status: 'active',
        createdAt: '2025-01-01T00:00:00Z',
        lastRotatedAt: '2025-01-01T00:00:00Z',
        expiresAt: null,
        usageTracked: false,
      },
    ],
    summaries: [
      {
        identityId: agents[0]!.id,
        grantedCount: 11,
        usedCount: 5,
        policiesComplete: true,
        unusedUnobservable: 0,
        unobservableServices: [],
        firstEvent: '2025-05-01T00:00:00Z',
        lastEvent: '2025-05-30T00:00:00Z',
      },
    ],
    usage: [{ identityId: agents[0]!.id, eventSource: 'bedrock.amazonaws.com', events: 40 }],
    addresses: {
      identities: agents.map(({ id, arn }) => ({ id, arn })),
      credentials: [{ id: `aws:access-key:${USER_ARN}#1`, identityId: agents[1]!.id }],
    },
    findings: [],
    rulePosture: new Map([
      ['aws-access-key-shared', 'distinct'],
      ['aws-nhi-over-privileged', 'scoped'],
      ['identity-without-owner', 'owner'],
    ]),
    coverage: { cloudtrail: { files: 3, events: 900, duplicates: 0, mapped: 900, unmapped: 0, errors: [] } },
    asOf: '2025-06-01T00:00:00Z',
    ...overrides,
  };
}

const finding = (id: string, ruleId: string, resource: string, hidden = false): PostureFinding => ({
  id,
  ruleId,
  resource,
  evidence: {},
  hidden,
});

describe('buildAgentScorecards', () => {
  it('fails a property with the ids of the findings of rules tagged with it, wherever the resource points', () => {
    // Given a shared-key finding addressed by the key's slot, an over-privilege one by the ARN, and an untagged rule
    const cards = buildAgentScorecards(
      input({
        findings: [
          finding('f-shared', 'aws-access-key-shared', `${USER_ARN}#1`),
          finding('f-over', 'aws-nhi-over-privileged', USER_ARN),
          finding('f-other', 'github-webhook-without-secret', USER_ARN),
        ],
      }),
    );
    // Then the user fails distinct and scoped, each listing its finding, and the untagged rule fails nothing
    const deploy = cards.find((c) => c.name === 'deploy')!;
    expect(deploy.properties.distinct).toMatchObject({ status: 'fail', findings: ['f-shared'] });
    expect(deploy.properties.scoped).toMatchObject({
      status: 'fail',
      reason: '1 finding of aws-nhi-over-privileged',
      findings: ['f-over'],
    });
    expect(Object.values(deploy.properties).flatMap((p) => p.findings)).not.toContain('f-other');
  });

  it('does not fail a property on a suppressed or baselined finding: the risk is accepted', () => {
    // Given the only over-privilege finding is hidden
    const cards = buildAgentScorecards(
      input({ findings: [finding('f-over', 'aws-nhi-over-privileged', USER_ARN, true)] }),
    );
    // Then scoped passes as accepted and lists no finding
    expect(cards.find((c) => c.name === 'deploy')!.properties.scoped).toEqual({
      status: 'pass',
      reason: 'accepted: 1 finding of aws-nhi-over-privileged suppressed or baselined',
      findings: [],
    });
  });

  it('decides the rest from evidence: granted vs used, temporary credentials, the logs read, owner and purpose', () => {
    // Given no findings at all
    const [role, deploy, app] = buildAgentScorecards(input());
    // Then the role is scoped (usage compared), short-lived (STS) and observable (CloudTrail read)
    expect(role!.properties.scoped).toMatchObject({
      status: 'pass',
      reason: expect.stringContaining('uses 5 of 11'),
    });
    expect(role!.properties.shortLived.status).toBe('pass');
    expect(role!.properties.observable).toMatchObject({
      status: 'pass',
      reason: expect.stringContaining('40 events'),
    });
    expect(role!.properties.owner).toMatchObject({ status: 'fail', findings: [] });
    expect(role!.properties.purpose.status).toBe('pass');
    // And the user without a usage summary is of unknown scope, its static key's age known
    expect(deploy!.properties.scoped.status).toBe('unknown');
    expect(deploy!.properties.shortLived).toMatchObject({
      status: 'pass',
      reason: expect.stringContaining('151 days'),
    });
    expect(deploy!.properties.owner.status).toBe('pass');
    expect(deploy!.properties.expiry.status).toBe('fail');
    // And the App installation's use was read from the audit log
    expect(app!.properties.observable).toMatchObject({
      status: 'pass',
      reason: expect.stringContaining('audit-log'),
    });
    expect(app!.properties.shortLived.status).toBe('pass');
  });

  it('fails observable for AWS agents when no CloudTrail was read in the scan', () => {
    // Given a scan without CloudTrail
    const [role] = buildAgentScorecards(input({ coverage: {}, summaries: [], usage: [] }));
    // Then the role's actions reach no log that was read, and its scope cannot be judged
    expect(role!.properties.observable).toMatchObject({
      status: 'fail',
      reason: expect.stringContaining('no CloudTrail was read'),
    });
    expect(role!.properties.scoped.status).toBe('unknown');
  });
});
