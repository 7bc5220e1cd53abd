// Generates fixtures/demo/saas-laptop/: Northwind Robotics' Okta, OpenAI, Anthropic and Slack tenants and María's laptop as
// one snapshot folder, recorded by the real `agentaudit collect` from the connector fixtures (fixtures/saas/*) served
// on 127.0.0.1 and rewritten to the vendors' hosts. Run: npm run build && npx vite-node scripts/demo-saas.js
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFixtureServer } from '../test/connectors/fixtureServer.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT = path.join(ROOT, 'fixtures', 'demo', 'saas-laptop');
/** María's laptop (fixtures/agent-home) as local discovery recorded it, under the host and home it stands for. */
const LAPTOP = { host: 'maria-mbp', home: '/Users/maria' };
const AS_OF = '2026-10-30T12:00:00Z';

/**
 * The connector fixtures test partial coverage and retries (a 403, a 429 first); the demo tenant answers everything,
 * so these become the empty lists the vendors return.
 */
const EMPTY = {
  okta: () => [],
  openai: () => ({ object: 'list', data: [], first_id: null, last_id: null, has_more: false }),
  anthropic: () => ({ data: [], has_more: false, first_id: null, last_id: null }),
  slack: () => ({ ok: true, approved_apps: [], response_metadata: { next_cursor: '' } }),
};
/** Where each vendor's API lives, for the recorded URLs. */
const HOSTS = {
  okta: 'https://northwind-robotics.okta.com',
  openai: 'https://api.openai.com',
  anthropic: 'https://api.anthropic.com',
  slack: 'https://slack.com',
};

async function serve(vendor) {
  const fixture = JSON.parse(
    fs.readFileSync(path.join(ROOT, 'fixtures', 'saas', vendor, 'tenant.json'), 'utf8'),
  );
  fixture.routes = fixture.routes.map(({ first: _first, ...route }) =>
    (route.status ?? 200) === 200 ? route : { ...route, status: 200, headers: {}, body: EMPTY[vendor]() },
  );
  const file = path.join(os.tmpdir(), `agentaudit-demo-${vendor}.json`);
  fs.writeFileSync(file, JSON.stringify(fixture));
  return startFixtureServer(file);
}

const servers = Object.fromEntries(
  await Promise.all(Object.keys(HOSTS).map(async (vendor) => [vendor, await serve(vendor)])),
);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'agentaudit-demo-saas-'));
try {
  // Asynchronously: the fixture servers answer from this process.
  const child = spawn(
    process.execPath,
    [
      path.join(ROOT, 'bin', 'agentaudit.js'),
      'collect',
      '--okta',
      servers.okta.base,
      '--openai',
      '--anthropic',
      '--slack',
      '--local',
      'fixtures/agent-home',
      '--as-of',
      AS_OF,
      '--since',
      '90d',
      '--output',
      tmp,
    ],
    {
      cwd: ROOT,
      stdio: 'inherit',
      env: {
        ...process.env,
        OKTA_API_TOKEN: 'demo-okta-token',
        OPENAI_ADMIN_KEY: 'demo-openai-admin-key',
        OPENAI_BASE_URL: `${servers.openai.base}/v1`,
        ANTHROPIC_ADMIN_KEY: 'demo-anthropic-admin-key',
        ANTHROPIC_BASE_URL: servers.anthropic.base,
        SLACK_TOKEN: 'demo-slack-token',
        SLACK_API_URL: `${servers.slack.base}/api`,
      },
    },
  );
  const status = await new Promise((resolve) => child.on('close', resolve));
  if (status !== 0) throw new Error(`collect exited ${status}`);
} finally {
  await Promise.all(Object.values(servers).map((server) => server.close()));
}

// The recording, as if made against the vendors by María at the demo's date: hosts, URLs and dates rewritten.
const bases = Object.fromEntries(Object.entries(servers).map(([vendor, server]) => [vendor, server.base]));
const rewrite = (text) => {
  let out = text;
  for (const [vendor, base] of Object.entries(bases)) out = out.replaceAll(base, HOSTS[vendor]);
  return out
    .replace(/"date": "[^"]*"/g, `"date": "${new Date(AS_OF).toUTCString()}"`)
    .replaceAll('fixtures/agent-home', LAPTOP.home);
};
fs.rmSync(OUT, { recursive: true, force: true });
for (const entry of fs.readdirSync(tmp, { withFileTypes: true })) {
  if (!entry.isDirectory()) continue;
  const from = path.join(tmp, entry.name);
  const base = Object.values(bases).find(
    (b) => new URL(b).host.replace(/[^A-Za-z0-9.-]/g, '_') === entry.name,
  );
  const vendor = Object.keys(bases).find((v) => bases[v] === base);
  const to = path.join(OUT, vendor ? new URL(HOSTS[vendor]).host : entry.name);
  fs.mkdirSync(to, { recursive: true });
  for (const file of fs.readdirSync(from).sort()) {
    let text = rewrite(fs.readFileSync(path.join(from, file), 'utf8'));
    let name = file;
    if (entry.name === 'local') {
      const recorded = JSON.parse(text);
      recorded.host = LAPTOP.host;
      recorded.scannedAt = AS_OF;
      text = `${JSON.stringify(recorded, null, 2)}\n`;
      name = `${LAPTOP.host}.json`;
    }
    fs.writeFileSync(path.join(to, name), text);
  }
}
const manifest = JSON.parse(rewrite(fs.readFileSync(path.join(tmp, 'snapshot.json'), 'utf8')));
manifest.tool = 'scripts/demo-saas.js';
manifest.createdAt = AS_OF;
for (const source of manifest.sources) {
  source.env = {};
  if (source.id === 'okta') source.values.okta = new URL(HOSTS.okta).host;
  for (const result of source.results) {
    result.name = result.name
      .replace(/^okta:.*/, `okta:${new URL(HOSTS.okta).host}`)
      .replace(/^local:.*/, `local:${LAPTOP.host}`);
    result.detail = result.detail.replace(/ on \S+$/, ` on ${LAPTOP.host}`);
  }
}
fs.writeFileSync(path.join(OUT, 'snapshot.json'), `${JSON.stringify(manifest, null, 2)}\n`);
fs.rmSync(tmp, { recursive: true, force: true });
console.log(`wrote ${path.relative(ROOT, OUT)}`);
