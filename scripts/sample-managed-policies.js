// Writes fixtures/aws-managed-policies/: a representative sample of iam-dataset's AWS managed policies for the tests.
// Usage: node scripts/sample-managed-policies.js [../shared/data/aws-managed-policies/policies.jsonl]
// The sample keeps every small policy with NotAction, NotResource or Deny statements, some with wildcards inside a
// name or a Condition, and known cases of each kind of difference; `vocabulary.txt` is every action iam-dataset
// lists for any policy, restricted to the sample's services (what the comparison needs to tell catalogue drift apart).
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

const input =
  process.argv[2] ??
  fileURLToPath(new URL('../../shared/data/aws-managed-policies/policies.jsonl', import.meta.url));
const out = fileURLToPath(new URL('../fixtures/aws-managed-policies/', import.meta.url));
const MAX_BYTES = 12_000;

const policies = fs
  .readFileSync(input, 'utf8')
  .split('\n')
  .filter((line) => line.trim())
  .map((line) => JSON.parse(line));
const statements = (p) => [].concat(p.document.Statement ?? []);
const actions = (s) => [].concat(s.Action ?? s.NotAction ?? []);
const small = (p) => JSON.stringify(p).length <= MAX_BYTES;

const named = new Set([
  'AWSDenyAll',
  'AmazonS3ReadOnlyAccess',
  'AmazonSecurityLakePermissionsBoundary',
  'AWSLakeFormationDataAdmin',
  'AmazonConnectSynchronizationServiceRolePolicy',
  'AWSCodePipelineFullAccess',
  'AWSGlueServiceRole',
  'AWSBatchFullAccess',
  'AWSCodeCommitReadOnly',
]);
const picks = [
  (p) => named.has(p.name),
  (p) => small(p) && statements(p).some((s) => s.NotAction || s.NotResource),
  (p) => small(p) && statements(p).some((s) => s.Effect === 'Deny'),
  (p) => small(p) && statements(p).some((s) => actions(s).some((a) => /:\w*\*\w+/.test(a))),
];
const chosen = new Map();
for (const pick of picks) for (const p of policies) if (pick(p) && !chosen.has(p.name)) chosen.set(p.name, p);
// A few conditional policies, spread over the file (every 80th small one).
policies
  .filter((p) => small(p) && statements(p).some((s) => s.Condition))
  .filter((_, i) => i % 80 === 0)
  .forEach((p) => chosen.set(p.name, p));

const sample = [...chosen.values()].sort((a, b) => a.name.localeCompare(b.name));
const services = new Set(
  sample.flatMap((p) => statements(p).flatMap((s) => actions(s).map((a) => a.split(':')[0].toLowerCase()))),
);
const vocabulary = [...new Set(policies.flatMap((p) => p.effective_actions.map((a) => a.toLowerCase())))]
  .filter((a) => services.has(a.split(':')[0]))
  .sort();
fs.writeFileSync(`${out}policies.jsonl`, `${sample.map((p) => JSON.stringify(p)).join('\n')}\n`);
fs.writeFileSync(`${out}vocabulary.txt`, `${vocabulary.join('\n')}\n`);
console.log(`wrote ${sample.length} policies and ${vocabulary.length} vocabulary actions to ${out}`);
