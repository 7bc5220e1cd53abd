// Report inputs for the renderer tests: a partial scan with findings across severities, and a clean complete one.
import type { AgentScorecard, PostureCheck } from '../../src/analysis/posture.js';
import { findingFingerprint } from '../../src/model/ids.js';
import type { CloudTrailCoverage, JsonObject, RuleReference, RuleStat } from '../../src/model/types.js';
import type { ReportInput, ReportRule } from '../../src/report/types.js';
import type { StoredFinding } from '../../src/store/reads.js';

const OWASP_NHI: RuleReference = {
  id: 'NHI2:2025',
  title: 'Secret Leakage',
  url: 'https://owasp.org/www-project-non-human-identities-top-10/',
};
const AWS_KEYS_DOC: RuleReference = {
  id: 'aws-access-keys',
  title: 'Manage access keys for IAM users',
  url: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html',
};

/** Fake secrets, assembled at run time so no token-shaped string is ever committed. */
export const FAKE_SECRETS = {
  githubToken: ['gh', 'p_', 'A1b2C3d4'.repeat(4), 'WXYZ'].join(''),
  githubFineGrainedPat: ['github', '_pat_', '11AAAAAAA0', 'x'.repeat(12), '_', 'Zq9'.repeat(19), 'TAIL'].join(
    '',
  ),
  awsSecretKey: ['wJalrXUtnFEMI', '/K7MDENG/bPxRfiCY', 'EXAMPLEKEY'].join(''),
  anthropicKey: ['sk', '-ant-', 'api03-', 'Qw3rTy'.repeat(8), 'LAST'].join(''),
  slackToken: ['xo', 'xb-', '2417171717-', '9876543210123-', 'AbCdEfGhIjKlMnOpQrStUvWx'].join(''),
  privateKeyBody: ['MIIEowIBAAKCAQEA', 'q7'.repeat(30), 'SECRETBODY'].join(''),
};

/** A PEM private key block around the fake body. */
export const fakePrivateKey = (): string =>
  [
    `-----BEGIN RSA ${'PRIVATE'} KEY-----`,
    FAKE_SECRETS.privateKeyBody,
    `-----END RSA ${'PRIVATE'} KEY-----`,
  ].join('\n');

const rule = (
  id: string,
  severity: ReportRule['severity'],
  category: ReportRule['category'],
  title: string,
  references: RuleReference[] = [OWASP_NHI],
): ReportRule => ({
  id,
  title,
  severity,
  category,
  description: `${title}. Evaluated over every identity in the cache.`,
  risk: 'An attacker holding this credential acts with all of its permissions, unnoticed.',
  remediation: `Fix ${id}: rotate or remove the credential, then give each workload its own short-lived identity.`,
  references,
});

/** The rule catalogue of the fixture scan (one rule ran without alarming, one failed). */
export const RULES: ReportRule[] = [
  rule(
    'aws-access-key-shared-by-agents',
    'critical',
    'shared-credential',
    'Access key shared by several agents',
    [OWASP_NHI, AWS_KEYS_DOC],
  ),
  rule('aws-human-user-driven-by-agent', 'high', 'human-credential', 'Human IAM user driven by an AI agent'),
  rule('github-classic-pat-without-expiry', 'high', 'long-lived-secret', 'Classic PAT without expiry'),
  rule(
    'aws-role-unused-permissions',
    'medium',
    'over-privilege',
    'Role uses a small share of its permissions',
  ),
  rule('github-app-without-owner', 'low', 'orphaned-identity', 'GitHub App installation without an owner'),
  rule('aws-role-without-description', 'info', 'hygiene', 'Role has no description'),
  rule('aws-root-access-key', 'critical', 'long-lived-secret', 'Root user has an access key'),
  rule('github-deploy-key-write', 'medium', 'over-privilege', 'Deploy key with write access'),
];

const ruleById = (id: string): ReportRule => {
  const found = RULES.find((r) => r.id === id);
  if (!found) throw new Error(`no fixture rule ${id}`);
  return found;
};

/** A finding of a fixture rule, with its stable fingerprint. */
export function finding(
  ruleId: string,
  resource: string,
  reason: string,
  evidence: JsonObject = {},
): StoredFinding {
  const r = ruleById(ruleId);
  return {
    id: findingFingerprint(ruleId, resource),
    ruleId,
    title: r.title,
    severity: r.severity,
    category: r.category,
    resource,
    status: 'alarm',
    reason,
    evidence,
    remediation: r.remediation,
    references: r.references,
    suppressedBy: null,
  };
}

/** Findings across every severity and five categories, most severe first (as the store returns them). */
export const FINDINGS: StoredFinding[] = [
  finding(
    'aws-access-key-shared-by-agents',
    'arn:aws:iam::123456789012:user/ci-deploy',
    'Access key AKIAIOSFODNN7EXAMPLE is used by 3 agent clients (claude-code, cursor, aider) from 4 networks.',
    { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', clients: ['claude-code', 'cursor', 'aider'], networks: 4 },
  ),
  finding(
    'aws-human-user-driven-by-agent',
    'arn:aws:iam::123456789012:user/alice',
    "Alice's console user also signs API calls from an AI agent SDK (2,311 events in 30 days).",
    { userAgent: 'ai-sdk/4.2', events: 2311 },
  ),
  finding(
    'github-classic-pat-without-expiry',
    'https://github.com/octo-org/deploy-bot',
    'Classic PAT with repo, admin:org scopes has no expiry and was last used 2 days ago.',
    { scopes: ['repo', 'admin:org'], hint: 'WXYZ' },
  ),
  finding(
    'aws-role-unused-permissions',
    'arn:aws:iam::123456789012:role/github-actions-deploy',
    'Granted 214 actions across 11 services but used 9 of them in the 90-day CloudTrail window; the right-sized ' +
      'policy keeps s3:GetObject, s3:PutObject, cloudformation:* on the deploy stacks and drops iam:PassRole on *, ' +
      'which no event in the window exercised.',
    { granted: 214, used: 9, windowDays: 90 },
  ),
  finding(
    'github-app-without-owner',
    'github:app-installation:octo-org/12345678',
    'No owner tag, creator left.',
  ),
  finding(
    'aws-role-without-description',
    'arn:aws:iam::123456789012:role/legacy-lambda',
    'The role has no description.',
  ),
];

const stat = (ruleId: string, checked: number, alarms: number, error: string | null = null): RuleStat => ({
  ruleId,
  checked,
  alarms,
  ok: error ? 0 : checked - alarms,
  skipped: 0,
  suppressed: 0,
  error,
});

const check = (status: PostureCheck['status'], reason: string, findings: string[] = []): PostureCheck => ({
  status,
  reason,
  findings,
});

/** Two agents' scorecards: one failing distinct and scoped through findings of FINDINGS, one mostly unknown. */
export const AGENTS: AgentScorecard[] = [
  {
    identity: 'aws:iam-user:arn:aws:iam::123456789012:user/ci/github-actions-deploy',
    name: 'github-actions-deploy',
    provider: 'aws',
    kind: 'iam-user',
    properties: {
      distinct: check('fail', '1 finding of aws-access-key-shared-by-agents', [FINDINGS[0]!.id]),
      scoped: check('fail', '1 finding of aws-role-unused-permissions', [FINDINGS[3]!.id]),
      shortLived: check('pass', 'static 1 credential, the oldest set 20 days ago; no rotation rule alarmed'),
      observable: check('pass', 'CloudTrail read from 2025-03-03 to 2025-05-31, 880 events of its own'),
      owner: check('pass', 'owned by platform-team@example.com'),
      purpose: check('pass', 'a purpose is recorded'),
      expiry: check('fail', 'no expiry date recorded on it or its credentials'),
    },
  },
  {
    identity: 'slack:app:A0CLAUDE|pipe',
    name: 'Claude | <b>bot</b>',
    provider: 'slack',
    kind: 'oauth-app',
    properties: {
      distinct: check('pass', 'no rule found its credential shared between clients, machines or a person'),
      scoped: check('unknown', 'no usage evidence to compare granted with used for this slack oauth-app'),
      shortLived: check('unknown', 'no active credential of it is known'),
      observable: check('fail', 'Slack’s audit logs (Enterprise Grid) were not read'),
      owner: check('fail', 'no owner recorded (tag, description or directory)'),
      purpose: check('pass', 'a purpose is recorded'),
      expiry: check('fail', 'no expiry date recorded on it or its credentials'),
    },
  },
];

/** CloudTrail coverage with one unreadable file. */
export const CLOUDTRAIL: CloudTrailCoverage = {
  files: 12,
  events: 48210,
  duplicates: 112,
  mapped: 47650,
  unmapped: 448,
  errors: [{ file: 'trail/2025/06/01/broken.json.gz', message: 'unexpected end of file (truncated gzip)' }],
};

/** A realistic partial scan: GitHub rate-limited, one CloudTrail file truncated, one rule failed. */
export function partialScanInput(overrides: Partial<ReportInput> = {}): ReportInput {
  return {
    tool: {
      name: 'agentaudit',
      version: '0.1.0',
      informationUri: 'https://github.com/agentaudit/agentaudit',
    },
    scan: {
      id: 7,
      startedAt: '2025-06-01T10:00:00.000Z',
      finishedAt: '2025-06-01T10:02:13.000Z',
      asOf: '2025-06-01T10:00:00.000Z',
      window: { since: '2025-03-03T10:00:00Z', until: '2025-06-01T10:00:00.000Z' },
      status: 'partial',
      sources: [
        { name: 'aws', status: 'ok', detail: '42 users, 97 roles, 61 access keys' },
        {
          name: 'github',
          status: 'partial',
          detail: 'rate limited after 4,980 requests; 3 repositories not read',
        },
        {
          name: 'cloudtrail',
          status: 'partial',
          detail: '48,210 events in 12 files; could not read trail/2025/06/01/broken.json.gz',
        },
      ],
      coverage: {
        cloudtrail: CLOUDTRAIL,
        window: { firstEvent: '2025-03-03T00:00:00Z', lastEvent: '2025-05-31T23:59:59Z' },
      },
    },
    findings: FINDINGS,
    hidden: { suppressed: 2, baselined: 1 },
    agents: AGENTS,
    stats: [
      stat('aws-access-key-shared-by-agents', 61, 1),
      stat('aws-human-user-driven-by-agent', 42, 1),
      stat('github-classic-pat-without-expiry', 8, 1),
      stat('aws-role-unused-permissions', 97, 1),
      stat('github-app-without-owner', 5, 1),
      stat('aws-role-without-description', 97, 1),
      stat('aws-root-access-key', 1, 0),
      stat('github-deploy-key-write', 0, 0, 'no such column: read_only'),
    ],
    rules: RULES,
    color: false,
    ...overrides,
  };
}

/** The same estate scanned completely: every source ok, every file read, every rule evaluated. */
export function completeScanInput(overrides: Partial<ReportInput> = {}): ReportInput {
  const base = partialScanInput();
  return {
    ...base,
    scan: {
      ...base.scan,
      status: 'complete',
      sources: base.scan.sources.map((s) => ({ ...s, status: 'ok' as const })),
      coverage: { cloudtrail: { ...CLOUDTRAIL, errors: [] } },
    },
    stats: base.stats.map((s) => ({ ...s, error: null, ok: s.checked - s.alarms })),
    ...overrides,
  };
}

/** `count` medium findings on distinct roles, to exercise caps. */
export function manyFindings(count: number): StoredFinding[] {
  return Array.from({ length: count }, (_, i) =>
    finding(
      'aws-role-unused-permissions',
      `arn:aws:iam::123456789012:role/generated-role-${String(i).padStart(4, '0')}`,
      `Granted 40 actions, used ${i % 7} in 90 days.`,
    ),
  );
}
