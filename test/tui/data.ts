// A small triage data set for the reducer and component tests: two providers, every severity state, one baselined.
import type { AgentScorecard, PostureCheck } from '../../src/analysis/posture.js';
import type { Severity } from '../../src/model/types.js';
import type { TriageData, TriageFinding, TriageIdentity } from '../../src/triage/types.js';

const finding = (
  id: string,
  severity: Severity,
  ruleId: string,
  identity: TriageIdentity,
  overrides: Partial<TriageFinding> = {},
): TriageFinding => ({
  id,
  ruleId,
  title: `${ruleId} title`,
  severity,
  category: 'long-lived-secret',
  resource: identity.arn ?? identity.id,
  reason: `${ruleId} fired on ${identity.name}`,
  evidence: { identity: identity.arn, age_days: 400 },
  remediation: `fix ${ruleId}`,
  references: [{ id: 'OWASP-NHI7', title: 'Long-Lived Secrets', url: 'https://owasp.org/nhi7' }],
  identityId: identity.id,
  provider: identity.provider,
  state: 'open',
  acceptance: null,
  baselinedByScan: false,
  ...overrides,
});

const identity = (
  id: string,
  name: string,
  provider: string,
  overrides: Partial<TriageIdentity> = {},
): TriageIdentity => ({
  id,
  provider,
  kind: provider === 'aws' ? 'iam-user' : 'deploy-key',
  name,
  arn: provider === 'aws' ? `arn:aws:iam::111122223333:user/${name}` : null,
  account: provider === 'aws' ? '111122223333' : 'octo-org',
  owner: null,
  ownerSource: null,
  ownerStatus: null,
  purpose: null,
  createdAt: '2024-01-01T00:00:00Z',
  lastUsedAt: '2026-05-30T00:00:00Z',
  expiresAt: null,
  isHuman: false,
  isAgent: false,
  agentEvidence: [],
  credentials: [],
  findingIds: [],
  ...overrides,
});

/** Given an estate: deploy-bot (aws, two findings), build-agent (aws, owned by a departed person), web-key (github). */
export function sampleData(options: { baselineFile?: string | null } = {}): TriageData {
  const deployBot = identity('aws:iam-user:deploy-bot', 'deploy-bot', 'aws', {
    credentials: [
      {
        id: 'aws:access-key:deploy-bot#1',
        kind: 'aws-access-key',
        keyId: 'AKIAEXAMPLEKEY000001',
        hint: null,
        status: 'active',
        createdAt: '2024-01-01T00:00:00Z',
        lastRotatedAt: null,
        lastUsedAt: '2026-05-30T00:00:00Z',
        expiresAt: null,
      },
    ],
  });
  const buildAgent = identity('aws:iam-user:build-agent', 'build-agent', 'aws', {
    owner: 'tom@example.com',
    ownerSource: 'tag:owner',
    ownerStatus: 'departed',
    isAgent: true,
    agentEvidence: ['name matches \\bagent\\b'],
  });
  const webKey = identity('github:deploy-key:web', 'web-key', 'github');
  const quiet = identity('aws:iam-role:quiet', 'quiet-role', 'aws');
  const findings = [
    finding('f-crit-1', 'critical', 'aws-access-key-not-rotated', deployBot),
    finding('f-crit-2', 'critical', 'github-deploy-key-write', webKey),
    finding('f-high-1', 'high', 'identity-owner-departed', buildAgent),
    finding('f-med-1', 'medium', 'aws-access-key-unused', deployBot, {
      state: 'baselined',
      acceptance: { reason: 'accepted in Q2', expiresAt: null, createdAt: null, createdBy: null },
    }),
    finding('f-low-1', 'low', 'aws-user-two-active-keys', buildAgent),
  ];
  deployBot.findingIds = ['f-crit-1', 'f-med-1'];
  buildAgent.findingIds = ['f-high-1', 'f-low-1'];
  webKey.findingIds = ['f-crit-2'];
  const check = (status: PostureCheck['status'], reason: string, ids: string[] = []): PostureCheck => ({
    status,
    reason,
    findings: ids,
  });
  // build-agent's scorecard: its owner left (f-high-1), its two keys are not rotated away (f-low-1)
  const agents: AgentScorecard[] = [
    {
      identity: buildAgent.id,
      name: buildAgent.name,
      provider: 'aws',
      kind: 'iam-user',
      properties: {
        distinct: check('pass', 'no rule found its credential shared between clients, machines or a person'),
        scoped: check('unknown', 'no granted-vs-used summary: no policy of it was read'),
        shortLived: check('fail', '1 finding of aws-user-two-active-keys', ['f-low-1']),
        observable: check('pass', 'CloudTrail read from 2026-05-01 to 2026-05-31, 12 events of its own'),
        owner: check('fail', '1 finding of identity-owner-departed', ['f-high-1']),
        purpose: check('fail', 'no purpose recorded (description or tag)'),
        expiry: check('fail', 'no expiry date recorded on it or its credentials'),
      },
    },
  ];
  return {
    scan: { id: 7, asOf: '2026-06-01T00:00:00Z', startedAt: '2026-06-01T00:00:05Z', status: 'complete' },
    findings,
    identities: [buildAgent, deployBot, quiet, webKey],
    agents,
    baselineFile: options.baselineFile === undefined ? 'baseline.json' : options.baselineFile,
  };
}
