// Times the scan's granted-vs-used step on a synthetic estate against a baseline that expands every identity's policies anew.
// Usage: npm run build && node bench/granted-vs-used.js [identities]   (default 3,000 roles)
// The estate: real AWS managed policy documents (the committed iam-dataset sample plus AdministratorAccess) shared by
// many roles, each role also holding its own inline policy, 1 in 10 under a permission boundary, 20 used actions each.
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { summarizeGrantedVsUsed } from '../dist/analysis/grantedVsUsed.js';
import { expandPolicyDocument, loadIamCatalogue } from '../dist/analysis/policy/expand.js';

const count = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 3000);
const withBaseline = !process.argv.includes('--no-baseline');
const managed = fs
  .readFileSync(new URL('../fixtures/aws-managed-policies/policies.jsonl', import.meta.url), 'utf8')
  .split('\n')
  .filter((line) => line.trim())
  .map((line) => JSON.parse(line));
const admin = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
const boundary = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: ['s3:*', 'ec2:Describe*', 'logs:*'], Resource: '*' }],
};
const catalogue = await loadIamCatalogue();
const actions = catalogue.all;

const inventory = {
  identities: [],
  credentials: [],
  grants: [],
  usage: [],
  clientActivity: [],
  people: [],
  edges: [],
  policies: [],
};
for (let i = 0; i < count; i++) {
  const id = `aws:iam-role:arn:aws:iam::111122223333:role/r${i}`;
  inventory.identities.push({ id, provider: 'aws', kind: 'iam-role', name: `r${i}`, attributes: {} });
  const shared = i % 5 === 0 ? { name: 'AdministratorAccess', document: admin } : managed[i % managed.length];
  inventory.policies.push({
    identityId: id,
    sourcePolicy: `arn:aws:iam::aws:policy/${shared.name}`,
    kind: 'identity',
    document: shared.document,
  });
  inventory.policies.push({
    identityId: id,
    sourcePolicy: 'inline:own',
    kind: 'identity',
    document: {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: [`s3:GetObject`, `sqs:SendMessage`],
          Resource: `arn:aws:s3:::bucket-${i}/*`,
        },
      ],
    },
  });
  if (i % 10 === 0) {
    inventory.policies.push({
      identityId: id,
      sourcePolicy: 'arn:aws:iam::111122223333:policy/fence',
      kind: 'boundary',
      document: boundary,
    });
    inventory.identities[i].attributes.permissions_boundary = 'arn:aws:iam::111122223333:policy/fence';
  }
  for (let u = 0; u < 20; u++) {
    inventory.usage.push({
      identityId: id,
      credentialId: null,
      permission: actions[(i * 31 + u * 977) % actions.length],
      eventSource: 'x',
      eventName: 'y',
      resource: null,
      firstSeen: '2026-10-01T00:00:00Z',
      lastSeen: '2026-10-02T00:00:00Z',
      count: 1,
      userAgents: [],
      sourceAddresses: [],
      sessionNames: [],
    });
  }
}
const window = {
  since: '2026-09-01T00:00:00Z',
  until: '2026-10-30T00:00:00Z',
  firstEvent: '2026-10-01T00:00:00Z',
  lastEvent: '2026-10-29T00:00:00Z',
};

function timed(fn) {
  const started = performance.now();
  const value = fn();
  return { value, seconds: (performance.now() - started) / 1000 };
}

// Baseline: each identity's documents expanded on their own, as a tool without memoisation would (no boundary, no Deny
// across policies: it does less than agentaudit).
const baseline = withBaseline
  ? timed(() =>
      inventory.identities.map((identity) => {
        const granted = new Set();
        for (const p of inventory.policies) {
          if (p.identityId !== identity.id || p.kind !== 'identity') continue;
          for (const key of expandPolicyDocument(p.document, catalogue).keys()) granted.add(key);
        }
        return granted.size;
      }),
    )
  : null;
const ours = timed(() => summarizeGrantedVsUsed(inventory, catalogue, window));
const distinct = new Set(inventory.policies.map((p) => JSON.stringify(p.document))).size;
console.log(
  `${count} roles, ${inventory.policies.length} attachments of ${distinct} distinct documents, ${inventory.usage.length} usage rows`,
);
if (baseline) console.log(`baseline (expand per identity): ${baseline.seconds.toFixed(2)} s`);
console.log(
  `summarizeGrantedVsUsed:         ${ours.seconds.toFixed(2)} s${baseline ? `  (×${(baseline.seconds / ours.seconds).toFixed(1)})` : ''}, ${ours.value.length} summaries`,
);
console.log(`peak RSS ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`);
