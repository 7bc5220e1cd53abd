// The import connector: JSON and CSV in the documented schema, rows rejected with file and line, fingerprints linked.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readImportFile } from '../../src/connectors/import/read.js';
import { importSource } from '../../src/connectors/import/source.js';
import { localSource } from '../../src/connectors/local/source.js';
import { ROOT } from '../e2e/cli.js';
import { plan, scanWith } from './scanWith.js';

const FIXTURES = path.join(ROOT, 'fixtures', 'import');
const write = (name: string, text: string): string => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'agentaudit-import-')), name);
  fs.writeFileSync(file, text);
  return file;
};

describe('import files', () => {
  it('reads identities, credentials and scopes from JSON', async () => {
    const result = await readImportFile(path.join(FIXTURES, 'github-tokens.json'));
    expect(result.errors).toEqual([]);
    expect(result.inventory.identities.map((identity) => identity.id)).toEqual([
      'github:classic-pat:pat-4471',
      'datadog:api-key:fleet-metrics',
    ]);
    expect(result.inventory.credentials[0]).toMatchObject({
      identityId: 'github:classic-pat:pat-4471',
      kind: 'api-token',
      hint: 'gH42',
      fingerprint: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
      createdAt: '2025-08-01T10:00:00Z',
    });
    expect(result.inventory.grants.map((grant) => grant.permission)).toEqual([
      'repo',
      'workflow',
      'admin:org',
    ]);
  });

  it('reads one credential per CSV row, lists split on spaces', async () => {
    const result = await readImportFile(path.join(FIXTURES, 'keys.csv'));
    expect(result.errors).toEqual([]);
    expect(result.inventory.identities.map((identity) => [identity.id, identity.isAgent])).toEqual([
      ['stripe:restricted-key:rk-billing', false],
      ['sendgrid:api-key:sg-support', true],
    ]);
    expect(result.inventory.credentials.map((credential) => [credential.id, credential.expiresAt])).toEqual([
      ['stripe:api-key:rk-billing-1', null],
      ['sendgrid:api-key:sg-support-1', '2027-01-01T00:00:00Z'],
    ]);
    expect(result.inventory.grants.map((grant) => grant.permission)).toEqual([
      'charges:write',
      'refunds:read',
      'mail.send',
    ]);
  });

  it('rejects a bad JSON row with the file and the line of the bad field, and keeps the good rows', async () => {
    // Given a JSON export whose second identity has a fingerprint that is not a sha256 and no kind
    const file = write(
      'export.json',
      JSON.stringify(
        {
          identities: [
            { provider: 'vault', kind: 'approle', name: 'ci' },
            { provider: 'vault', name: 'deploy', credentials: [{ fingerprint: 'md5:abc' }] },
          ],
        },
        null,
        2,
      ),
    );
    // When it is read
    const result = await readImportFile(file);
    // Then each problem names the file and its line, and the first row still imports
    expect(result.errors).toEqual([
      { file: `${file}:8`, message: 'row: missing "kind"' },
      { file: `${file}:13`, message: expect.stringContaining('credentials.0.fingerprint: must be sha256:') },
    ]);
    expect(result.inventory.identities.map((identity) => identity.name)).toEqual(['ci']);
  });

  it('rejects a CSV row holding a secret value, naming the line but never the value', async () => {
    // Given a CSV whose third line pastes a token into the hint column (built here, so no token is committed)
    const token = ['ghp', 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8'].join('_');
    const file = write(
      'keys.csv',
      `provider,kind,name,hint,owner\nnpm,token,publish,ab12,ana@example.com\nnpm,token,ci,9z9z,${token}\n`,
    );
    const result = await readImportFile(file);
    expect(result.errors).toEqual([
      { file: `${file}:3`, message: expect.stringContaining('owner: looks like a secret value') },
    ]);
    expect(JSON.stringify(result)).not.toContain(token);
    expect(result.rows).toBe(1);
  });

  it('names an unknown CSV column and an unreadable file', async () => {
    const typo = await readImportFile(write('typo.csv', 'provider,kind,name,ownr\nnpm,token,ci,ana\n'));
    expect(typo.errors).toEqual([
      { file: expect.stringMatching(/typo\.csv:1$/), message: 'unknown column(s) ownr (see docs/import.md)' },
    ]);
    const missing = await readImportFile(path.join(FIXTURES, 'nope.json'));
    expect(missing.errors[0]!.message).toMatch(/cannot read the file/);
  });
});

describe('an import next to local discovery', () => {
  it('links the token found in Claude Desktop to the imported GitHub PAT by fingerprint, and raises its rules', async () => {
    // Given a GitHub PAT inventory exported from another tool, and María's laptop
    const estate = await scanWith([
      plan(
        importSource,
        { import: [path.join(FIXTURES, 'github-tokens.json'), path.join(FIXTURES, 'keys.csv')] },
        {},
      ),
      plan(localSource, { local: [path.join(ROOT, 'fixtures', 'agent-home')] }, {}),
    ]);
    // Then the PAT in the Claude Desktop config is María's own token (personal), not an unmanaged one
    const human = estate.findings.find(
      (finding) => finding.ruleId === 'local-secret-human-identity' && finding.resource.startsWith('github '),
    )!;
    expect(human.severity).toBe('critical');
    expect(human.reason).toContain('maria-mcp-github');
    // And the imported keys are audited like any SaaS key
    expect(estate.alarms('saas-key-not-rotated')).toContain('datadog:api-key:dd-key-1');
    expect(estate.alarms('saas-key-no-expiry')).toContain('stripe:api-key:rk-billing-1');
    expect(estate.scan.sources.map((source) => source.name)).toEqual(
      expect.arrayContaining(['import:github-tokens.json', 'import:keys.csv']),
    );
  });
});
