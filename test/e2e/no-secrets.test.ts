// No secret value reaches any output format, even when one is planted in the input where people do put them.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, removeTempDirs, runCliAsync, tempDir } from './cli.js';

afterAll(removeTempDirs);

const DEMO = path.join(ROOT, 'fixtures', 'demo');

describe('secrets never reach the output', () => {
  it('masks a token planted in an owner tag and in a user agent, in every format', async () => {
    // Given exports where someone pasted a GitHub token into an owner tag, and a CloudTrail event whose
    // user agent carries an API key (built at run time so no token-shaped string is committed)
    const githubToken = 'ghp_' + 'Z9'.repeat(18);
    const apiKey = 'sk-' + 'proj-' + 'Q7x'.repeat(12);
    const cwd = tempDir();
    const authz = JSON.parse(
      fs.readFileSync(path.join(DEMO, 'aws', 'authorization-details.json'), 'utf8'),
    ) as {
      UserDetailList: { UserName: string; Arn: string; Tags?: { Key: string; Value: string }[] }[];
    };
    // legacy-backup is a non-human user with no owner tag: its owner is checked against the directory and reported
    const user = authz.UserDetailList.find((candidate) => candidate.UserName === 'legacy-backup')!;
    user.Tags = [...(user.Tags ?? []), { Key: 'owner', Value: githubToken }];
    const authzFile = path.join(cwd, 'authz.json');
    fs.writeFileSync(authzFile, JSON.stringify(authz));
    const event = {
      eventVersion: '1.09',
      userIdentity: {
        type: 'IAMUser',
        principalId: 'AIDAEXAMPLE',
        arn: user.Arn,
        accountId: '210987654321',
        userName: user.UserName,
      },
      eventTime: '2026-10-29T10:00:00Z',
      eventSource: 's3.amazonaws.com',
      eventName: 'ListBuckets',
      awsRegion: 'us-east-1',
      sourceIPAddress: '203.0.113.7',
      userAgent: `python-requests/2.32 token=${apiKey} ${githubToken}`,
      eventID: '9f0c0c1e-0000-4000-8000-000000000001',
      eventType: 'AwsApiCall',
      recipientAccountId: '210987654321',
    };
    const trail = path.join(cwd, 'trail.json.gz');
    fs.writeFileSync(trail, zlib.gzipSync(JSON.stringify({ Records: [event] })));
    const db = path.join(cwd, 'audit.db');
    const scan = await runCliAsync(
      [
        'scan',
        '--aws-authz',
        authzFile,
        '--aws-credential-report',
        path.join(DEMO, 'aws', 'credential-report.csv'),
        '--cloudtrail',
        trail,
        '--people',
        path.join(DEMO, 'people.csv'),
        '--as-of',
        '2026-10-30',
        '--format',
        'json',
        '--db',
        db,
      ],
      cwd,
    );
    expect(scan.status).toBe(0);
    // When every format of the report and the inventory is rendered, Then neither secret appears, whole or in part beyond a 4-character hint
    for (const format of ['json', 'table', 'markdown', 'sarif']) {
      const out = await runCliAsync(['report', '--format', format, '--db', db], cwd);
      expect(out.status).toBe(0);
      const text = out.stdout + out.stderr;
      expect(text).not.toContain(githubToken);
      expect(text).not.toContain(githubToken.slice(0, 20));
      expect(text).not.toContain(apiKey);
      expect(text).not.toContain(apiKey.slice(0, 20));
    }
    for (const format of ['table', 'json', 'csv']) {
      const out = await runCliAsync(['inventory', '--format', format, '--db', db], cwd);
      expect(out.status).toBe(0);
      expect(out.stdout).not.toContain(githubToken.slice(0, 20));
      expect(out.stdout).not.toContain(apiKey.slice(0, 20));
    }
    expect(scan.stdout).not.toContain(githubToken);
    // And the owner tag did reach a finding (masked), so the check above looked where the token would show
    expect(scan.stdout).toContain('ghp_[REDACTED');
    // And the cache itself holds neither secret
    for (const file of [db, `${db}-wal`]) {
      if (!fs.existsSync(file)) continue;
      const bytes = fs.readFileSync(file).toString('latin1');
      expect(bytes).not.toContain(githubToken);
      expect(bytes).not.toContain(apiKey);
    }
  });
});
