// End to end through runScan and a config file: a key used in a prod and a non-prod account raises credential-crosses-environments; a prod-only key does not.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PlannedSource } from '../../src/connectors/contract.js';
import { loadConfig } from '../../src/config/config.js';
import { inventoryFromCase } from '../../src/rules/selftest.js';
import type { AgentauditConfig } from '../../src/rules/schema.js';
import { runScan } from '../../src/scan/service.js';
import { openDatabaseReadOnly } from '../../src/store/database.js';

const AS_OF = '2026-06-01T00:00:00Z';
const RULE = 'credential-crosses-environments';
const STAGING_KEY = 'aws:access-key:arn:aws:iam::444455556666:user/deploy#1';
const PROD_KEY = 'aws:access-key:arn:aws:iam::111122223333:user/release#1';

/** Two accounts' IAM users with one key each, and their CloudTrail use: the staging key assumes a prod role. */
const estate: PlannedSource = {
  id: 'fake-aws',
  collect: () =>
    Promise.resolve([
      {
        name: 'fake-aws',
        inventory: inventoryFromCase({
          identities: [
            {
              id: 'aws:iam-user:arn:aws:iam::444455556666:user/deploy',
              name: 'deploy',
              account: '444455556666',
              arn: 'arn:aws:iam::444455556666:user/deploy',
            },
            {
              id: 'aws:iam-user:arn:aws:iam::111122223333:user/release',
              name: 'release',
              account: '111122223333',
              arn: 'arn:aws:iam::111122223333:user/release',
            },
          ],
          credentials: [
            {
              id: STAGING_KEY,
              identityId: 'aws:iam-user:arn:aws:iam::444455556666:user/deploy',
              keyId: 'AKIAEXAMPLESTAGE001',
            },
            {
              id: PROD_KEY,
              identityId: 'aws:iam-user:arn:aws:iam::111122223333:user/release',
              keyId: 'AKIAEXAMPLEPROD0001',
            },
          ],
          usage: [
            {
              identityId: 'aws:iam-user:arn:aws:iam::444455556666:user/deploy',
              credentialId: STAGING_KEY,
              eventSource: 'sts.amazonaws.com',
              eventName: 'AssumeRole',
              resource: 'arn:aws:iam::111122223333:role/deploy',
            },
            {
              identityId: 'aws:iam-user:arn:aws:iam::111122223333:user/release',
              credentialId: PROD_KEY,
              eventSource: 'lambda.amazonaws.com',
              eventName: 'UpdateFunctionCode20150331v2',
              resource: 'arn:aws:lambda:us-east-1:111122223333:function:api',
            },
          ],
        }),
        coverage: {},
        errors: [],
        detail: '2 users',
      },
    ]),
};

async function scanWith(config: AgentauditConfig) {
  const dbPath = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'agentaudit-envs-')), 'agentaudit.db');
  const outcome = await runScan({
    dbPath,
    asOf: AS_OF,
    since: '2026-03-03T00:00:00Z',
    sources: [estate],
    rulesDirs: [],
    config,
    baseline: null,
    concurrency: 1,
  });
  const db = openDatabaseReadOnly(dbPath);
  try {
    const findings = db
      .prepare('SELECT resource, severity, reason, evidence FROM findings WHERE scan_id = ? AND rule_id = ?')
      .all(outcome.scanId, RULE) as {
      resource: string;
      severity: string;
      reason: string;
      evidence: string;
    }[];
    const stat = db
      .prepare('SELECT checked, alarms, ok, skipped FROM rule_stats WHERE scan_id = ? AND rule_id = ?')
      .get(outcome.scanId, RULE);
    return { outcome, findings, stat };
  } finally {
    db.close();
  }
}

describe('environment isolation through a scan', () => {
  it('raises the finding on a staging key that assumes a prod role, and not on a key used only in prod', async () => {
    // Given a config file that says which account is prod and which is not
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'agentaudit-envs-config-'));
    const file = path.join(folder, 'agentaudit.config.yaml');
    fs.writeFileSync(
      file,
      ['environments:', '  accounts:', "    '111122223333': prod", "    '444455556666': nonprod", ''].join(
        '\n',
      ),
    );
    const { config } = loadConfig(file);
    // When the estate is scanned with it
    const { outcome, findings, stat } = await scanWith(config);
    // Then the scan is complete and exactly the staging key alarms, naming the key and both accounts with evidence
    expect(outcome.status).toBe('complete');
    expect(findings.map((f) => f.resource)).toEqual(['arn:aws:iam::444455556666:user/deploy#1']);
    const [finding] = findings;
    expect(finding!.severity).toBe('high');
    expect(finding!.reason).toBe(
      'AKIAEXAMPLESTAGE001 of deploy is in prod — AWS account 111122223333 (config environments.accounts) via ' +
        'AssumeRole arn:aws:iam::111122223333:role/deploy — and in non-prod — AWS account 444455556666 ' +
        '(config environments.accounts) via its own account',
    );
    expect(JSON.parse(finding!.evidence)).toMatchObject({
      identity: 'arn:aws:iam::444455556666:user/deploy',
      credential_kind: 'credential',
    });
    // And the prod-only key was checked and passed
    expect(stat).toEqual({ checked: 2, alarms: 1, ok: 1, skipped: 0 });
  });

  it('raises nothing when no config, tag or name says which account is prod', async () => {
    // Given the same estate and an empty config
    // When it is scanned
    const { findings, stat } = await scanWith({});
    // Then neither key alarms: both are skipped as of unknown environment
    expect(findings).toEqual([]);
    expect(stat).toEqual({ checked: 0, alarms: 0, ok: 0, skipped: 2 });
  });
});
