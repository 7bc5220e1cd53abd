// Expands each AWS managed policy with agentaudit's matcher and compares with iam-dataset's effective_actions.
// Usage: npm run build && node bench/expansion-agreement.js [/work/shared/data/aws-managed-policies/policies.jsonl]
import fs from 'node:fs';
import { expandIdentityGrants, loadIamCatalogue } from '../dist/analysis/policy/expand.js';
import { permissionsOfPolicy } from '../dist/connectors/aws/exports/policyDocument.js';

const file = process.argv[2] ?? '/work/shared/data/aws-managed-policies/policies.jsonl';
const catalogue = await loadIamCatalogue();
const inCatalogue = new Set(catalogue.all.map((a) => a.toLowerCase()));

let total = 0;
let exact = 0;
let malformed = 0;
let onlyDriftOurs = 0;
let onlyDriftTheirs = 0;
let other = 0;
const extraServices = new Map();
const missingServices = new Map();
const examples = [];
for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
  if (!line.trim()) continue;
  const policy = JSON.parse(line);
  total += 1;
  const parsed = permissionsOfPolicy(policy.document);
  if (!parsed.ok) {
    malformed += 1;
    continue;
  }
  const grants = parsed.permissions.map((p) => ({
    ...p,
    identityId: policy.name,
    sourcePolicy: policy.name,
  }));
  const ours = new Set(expandIdentityGrants(grants, catalogue).keys());
  const theirs = new Set((policy.effective_actions ?? []).map((a) => a.toLowerCase()));
  const extra = [...ours].filter((a) => !theirs.has(a));
  const missing = [...theirs].filter((a) => !ours.has(a));
  if (extra.length === 0 && missing.length === 0) {
    exact += 1;
    continue;
  }
  // Drift: every action we miss is absent from our catalogue (renamed/removed), every extra is new in our catalogue.
  const missingNotInCatalogue = missing.every((a) => !inCatalogue.has(a));
  if (missing.length > 0 && missingNotInCatalogue && extra.length === 0) onlyDriftTheirs += 1;
  else if (missing.length === 0 && extra.length > 0) onlyDriftOurs += 1;
  else other += 1;
  for (const a of extra) extraServices.set(a.split(':')[0], (extraServices.get(a.split(':')[0]) ?? 0) + 1);
  for (const a of missing)
    missingServices.set(a.split(':')[0], (missingServices.get(a.split(':')[0]) ?? 0) + 1);
  if (examples.length < 8)
    examples.push({ name: policy.name, extra: extra.slice(0, 3), missing: missing.slice(0, 3) });
}
const top = (m) => [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, 10);
const pct = (n) => `${((100 * n) / total).toFixed(1)}%`;
console.log(`policies: ${total}, catalogue actions: ${catalogue.all.length}`);
console.log(`exact match: ${exact} (${pct(exact)})`);
console.log(
  `differ, we expand more (actions newer than iam-dataset's snapshot): ${onlyDriftOurs} (${pct(onlyDriftOurs)})`,
);
console.log(
  `differ, they expand more, all missing actions absent from our catalogue (removed/renamed): ${onlyDriftTheirs} (${pct(onlyDriftTheirs)})`,
);
console.log(`differ both ways or otherwise: ${other} (${pct(other)})`);
console.log(`malformed documents: ${malformed}`);
console.log('services with extra actions (ours only):', top(extraServices));
console.log('services with missing actions (theirs only):', top(missingServices));
console.log('examples:', JSON.stringify(examples, null, 1));
