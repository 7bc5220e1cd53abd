// Local discovery on a fixture home folder: every config format, fingerprints and hints only, holders, links.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { discoverLocalSecrets } from '../../src/connectors/local/discover.js';
import { discoveryInventory } from '../../src/connectors/local/inventory.js';
import { linkFoundSecrets } from '../../src/connectors/local/link.js';
import { inventoryFromCase } from '../../src/rules/selftest.js';
import { mergeInventories } from '../../src/scan/mergeInventory.js';
import { planSnapshotSources, readSnapshotManifest } from '../../src/scan/snapshot.js';
import { SOURCES } from '../../src/scan/sources.js';
import { ROOT } from '../e2e/cli.js';
import { plantedSecrets } from '../e2e/plantedSecrets.js';
import { scanWith } from './scanWith.js';

const HOME = path.join(ROOT, 'fixtures', 'agent-home');

describe('local discovery of a home folder', () => {
  it('finds a secret in every config format, with its holder, field and line, and keeps no value', async () => {
    // Given the fixture home, When it is walked
    const discovery = await discoverLocalSecrets({ paths: [HOME], host: 'laptop-maria' });
    // Then every kind of config file contributed a secret
    expect(new Set(discovery.secrets.map((secret) => secret.configKind))).toEqual(
      new Set(['claude-desktop', 'claude-code', 'cursor', 'vscode', 'windsurf', 'dotenv', 'compose', 'ci']),
    );
    expect(discovery.errors).toEqual([]);
    const byHolder = (holder: string) => discovery.secrets.filter((secret) => secret.holder === holder);
    expect(byHolder('aws-deploy')).toMatchObject([
      {
        provider: 'aws',
        keyId: 'AKIANWRDDEPLOYKEY001',
        holderType: 'mcp-server',
        field: 'env.AWS_SECRET_ACCESS_KEY',
        line: 10,
      },
    ]);
    expect(byHolder('uploader')).toMatchObject([
      { configKind: 'compose', holderType: 'service', field: 'environment[1]' },
    ]);
    expect(byHolder('smoke-test')).toMatchObject([
      { configKind: 'ci', keyId: 'ASIANWRDSESSIONKEY07', temporary: true },
    ]);
    expect(
      byHolder('fleet-api/.env')
        .map((secret) => secret.field)
        .sort(),
    ).toEqual(['ANTHROPIC_API_KEY', 'OPENAI_API_KEY']);
    // And what is kept is a sha256 fingerprint and a 4-character hint, never the value
    for (const secret of discovery.secrets) {
      expect(secret.fingerprint).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(secret.hint).toHaveLength(4);
    }
    const kept = JSON.stringify([discovery, discoveryInventory(discovery)]);
    const planted = plantedSecrets(HOME);
    expect(planted.length).toBeGreaterThanOrEqual(9);
    for (const value of planted) expect(kept).not.toContain(value);
  });

  it('looks in the usual places under the home folder when no path is given', async () => {
    // Given the fixture as a home folder, When discovery runs with no path
    const discovery = await discoverLocalSecrets({ paths: [], home: HOME, host: 'laptop-maria' });
    // Then the agents' own config files are read (projects are only those Claude Code lists)
    expect(discovery.files.map((file) => file.file).sort()).toEqual(
      [
        '~/.claude.json',
        '~/.claude/settings.json',
        '~/.codeium/windsurf/mcp_config.json',
        '~/.config/Code/User/mcp.json',
        '~/.config/Code/User/settings.json',
        '~/.cursor/mcp.json',
        '~/Library/Application Support/Claude/claude_desktop_config.json',
      ].map((file) => file.split('/').join(path.sep)),
    );
    expect(discovery.roots).toEqual(['~']);
  });

  it('reads a broken config as text, names the file, and still finds its secret', async () => {
    // Given a Cursor config cut short, holding a Slack token (built here, so no token is committed)
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agentaudit-local-'));
    const token = ['xoxb', '1234567890', '1234567890123', 'brokenConfigToken9'].join('-');
    fs.mkdirSync(path.join(dir, '.cursor'));
    fs.writeFileSync(
      path.join(dir, '.cursor', 'mcp.json'),
      `{ "mcpServers": { "slack": { "env": { "SLACK_BOT_TOKEN": "${token}" `,
    );
    // When it is scanned
    const discovery = await discoverLocalSecrets({ paths: [dir], host: 'h' });
    // Then the error names the file, and the token is still found (as the file's)
    expect(discovery.errors).toEqual([
      { file: path.join(dir, '.cursor', 'mcp.json'), message: expect.stringContaining('not valid JSON') },
    ]);
    expect(discovery.secrets).toMatchObject([{ provider: 'slack', holderType: 'file', hint: 'ken9' }]);
    expect(JSON.stringify(discovery)).not.toContain(token);
  });
});

describe('linking found secrets to the inventory', () => {
  const found = (keyId: string | null, hint: string, provider: string, keyPrefix: string | null) =>
    inventoryFromCase({
      identities: [{ id: 'local:holder:h:f#s', provider: 'local', kind: 'mcp-server', name: 'cursor:s' }],
      credentials: [
        {
          id: `local:secret:${hint}`,
          identityId: 'local:holder:h:f#s',
          kind: 'local-secret',
          keyId,
          hint,
          fingerprint: `sha256:${hint}`,
          attributes: { provider, key_prefix: keyPrefix, file: 'f', holder: 's' },
        },
      ],
    });

  it('links an AWS key by its access key id and draws a found-in edge from the IAM user', () => {
    const inventory = mergeInventories([
      inventoryFromCase({
        identities: [{ id: 'aws:iam-user:u', name: 'u' }],
        credentials: [{ id: 'aws:access-key:u#1', identityId: 'aws:iam-user:u', keyId: 'AKIAEXAMPLE00001' }],
      }),
      found('AKIAEXAMPLE00001', 'ab12', 'aws', null),
    ]);
    const linked = linkFoundSecrets(inventory);
    const secret = linked.credentials.find((credential) => credential.kind === 'local-secret')!;
    expect(secret.attributes).toMatchObject({
      linked_identity_id: 'aws:iam-user:u',
      matched_by: 'access-key-id',
    });
    expect(linked.edges).toMatchObject([
      { from: 'aws:iam-user:u', to: 'local:holder:h:f#s', kind: 'found-in' },
    ]);
    // and linking twice changes nothing
    expect(linkFoundSecrets(linked).edges).toHaveLength(1);
  });

  it('does not link a hint that two keys share, and records both candidates', () => {
    const inventory = mergeInventories([
      inventoryFromCase({
        identities: [
          { id: 'openai:api-key:a', provider: 'openai', kind: 'api-key', name: 'a' },
          { id: 'openai:api-key:b', provider: 'openai', kind: 'api-key', name: 'b' },
        ],
        credentials: [
          {
            id: 'openai:api-key:a',
            identityId: 'openai:api-key:a',
            kind: 'api-key',
            hint: 'fLt7',
            attributes: { key_prefix: 'sk-proj-' },
          },
          { id: 'openai:api-key:b', identityId: 'openai:api-key:b', kind: 'api-key', hint: 'fLt7' },
          {
            id: 'openai:api-key:c',
            identityId: 'openai:api-key:b',
            kind: 'api-key',
            hint: 'fLt7',
            attributes: { key_prefix: 'sk-svcacct-' },
          },
        ],
      }),
      found(null, 'fLt7', 'openai', 'sk-proj-'),
    ]);
    const secret = linkFoundSecrets(inventory).credentials.find(
      (credential) => credential.kind === 'local-secret',
    )!;
    expect(secret.attributes.linked_identity_id).toBeUndefined();
    expect(secret.attributes.match_candidates).toEqual(['openai:api-key:a', 'openai:api-key:b']);
  });
});

describe('snapshots of several machines', () => {
  it('reports a secret copied to two laptops as shared across hosts', async () => {
    // Given local discoveries of two laptops holding the same .env file, each in its own snapshot folder
    const project = path.join(HOME, 'src', 'fleet-api', '.env');
    const dirs: string[] = [];
    for (const host of ['laptop-a', 'laptop-b']) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), `agentaudit-${host}-`));
      const discovery = await discoverLocalSecrets({ paths: [project], host });
      fs.mkdirSync(path.join(dir, 'local'));
      fs.writeFileSync(path.join(dir, 'local', `${host}.json`), JSON.stringify(discovery));
      const manifest = {
        format: 'agentaudit-snapshot',
        version: 1,
        tool: 'test',
        createdAt: '2026-10-30T12:00:00Z',
        asOf: '2026-10-30T12:00:00Z',
        window: { since: '2026-08-01T12:00:00Z', until: '2026-10-30T12:00:00Z' },
        sources: [{ id: 'local', values: { local: [project] }, env: {}, results: [] }],
      };
      fs.writeFileSync(path.join(dir, 'snapshot.json'), JSON.stringify(manifest));
      dirs.push(dir);
    }
    // When both are replayed into one scan
    const sources = dirs.flatMap((dir) => planSnapshotSources(dir, readSnapshotManifest(dir), SOURCES, {}));
    const estate = await scanWith(sources);
    // Then each of the file's two keys is shared: one holder, two machines
    const shared = estate.findings.filter((finding) => finding.ruleId === 'local-secret-shared');
    expect(shared.map((finding) => finding.resource.split(' ')[0]).sort()).toEqual(['anthropic', 'openai']);
    expect(shared[0]!.evidence.hosts).toEqual(['laptop-a', 'laptop-b']);
    expect(estate.scan.sources.map((source) => source.name)).toEqual([
      'local:laptop-a',
      'local:laptop-b',
      'rules',
    ]);
  });
});
