// Expands every AWS managed policy with agentaudit and compares with iam-dataset's effective_actions, by cause.
// Usage: npm run build && node bench/expansion-agreement.js [policies.jsonl] [--json]
// Default input: ../shared/data/aws-managed-policies/policies.jsonl (1,641 policies, iann0036/iam-dataset, MIT).
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { compareWithReference } from '../dist/analysis/policy/agreement.js';
import { loadIamCatalogue } from '../dist/analysis/policy/expand.js';

const args = process.argv.slice(2);
const file =
  args.find((a) => !a.startsWith('--')) ??
  fileURLToPath(new URL('../../shared/data/aws-managed-policies/policies.jsonl', import.meta.url));
const policies = fs
  .readFileSync(file, 'utf8')
  .split('\n')
  .filter((line) => line.trim())
  .map((line) => JSON.parse(line));

const catalogue = await loadIamCatalogue();
const started = performance.now();
const report = compareWithReference(policies, catalogue);
const seconds = (performance.now() - started) / 1000;

if (args.includes('--json')) {
  console.log(
    JSON.stringify({ ...report, comparisons: report.comparisons.filter((c) => !c.exact) }, null, 2),
  );
} else {
  const pct = (x) => `${(100 * x).toFixed(2)}%`;
  console.log(
    `${report.policies} policies, catalogue of ${catalogue.all.length} actions, compared in ${seconds.toFixed(1)} s`,
  );
  console.log(`exact match: ${report.exact} (${pct(report.exact / report.policies)})`);
  console.log(`action-level precision ${pct(report.precision)}, recall ${pct(report.recall)}`);
  console.log(
    `on the actions both catalogues know: exact ${report.exactOnSharedVocabulary} (${pct(report.exactOnSharedVocabulary / report.policies)}), precision ${pct(report.precisionOnSharedVocabulary)}, recall ${pct(report.recallOnSharedVocabulary)}`,
  );
  console.log('differences by cause (policies, actions):');
  for (const [cause, { policies: n, actions }] of Object.entries(report.byCause)) {
    console.log(`  ${cause.padEnd(26)} ${String(n).padStart(5)} ${String(actions).padStart(7)}`);
  }
  for (const cause of Object.keys(report.byCause)) {
    const examples = report.comparisons.filter((c) => c.causes[cause]).slice(0, 4);
    if (examples.length === 0) continue;
    console.log(`examples of ${cause}:`);
    for (const c of examples) console.log(`  ${c.name}: ${c.causes[cause].slice(0, 4).join(', ')}`);
  }
}
