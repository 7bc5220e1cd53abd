// Measures the pushed-down aggregation (DuckDB standing in for Lake/Athena) on the bench's synthetic S3 corpus, against local ingest.
// Usage: npm run build && node bench/pushdown.js   (BENCH_EVENTS, BENCH_FILES as for npm run bench; corpus cached in bench/.work/)
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { Buffer } from 'node:buffer';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { ingestCloudTrail } from '../dist/usage/cloudtrail/ingest.js';
import { loadActionCatalogue } from '../dist/usage/cloudtrail/eventAction.js';
import { renderAggregation } from '../dist/usage/pushdown/aggregation.js';
import { duckDbDialect, duckDbEventsView } from '../dist/usage/pushdown/dialects.js';
import { parseAggregateRows } from '../dist/usage/pushdown/resultRows.js';
import { rebuildObservations } from '../dist/usage/pushdown/rebuild.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const CORPUS = join(HERE, '.work', 'corpus');
const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_500_000);
const FILES = Number(process.env.BENCH_FILES ?? 300);
const WINDOW = { since: '2024-12-01T00:00:00.000Z', until: '2025-03-01T00:00:00.000Z', accounts: [] };

const manifest = join(HERE, '.work', 'manifest.json');
const wanted = JSON.stringify({ events: EVENTS, files: FILES, version: 1 });
if (!existsSync(manifest) || readFileSync(manifest, 'utf8') !== wanted) {
  console.log('no corpus of that size yet: run `npm run bench` once with the same BENCH_EVENTS/BENCH_FILES');
  process.exit(2);
}

const files = [];
const walk = (folder) => {
  for (const name of readdirSync(folder).sort()) {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) {
      if (name !== 'CloudTrail-Digest') walk(path);
    } else if (name.endsWith('.json.gz')) files.push(path);
  }
};
walk(CORPUS);
const gzBytes = files.reduce((sum, file) => sum + statSync(file).size, 0);
console.log(
  `corpus: ${files.length} files, ${(gzBytes / 1048576).toFixed(0)} MiB gzip, ${EVENTS.toLocaleString('en-US')} events`,
);

let started = performance.now();
const local = await ingestCloudTrail([CORPUS], { concurrency: 1, since: WINDOW.since, until: WINDOW.until });
const localSeconds = (performance.now() - started) / 1000;

started = performance.now();
const instance = await DuckDBInstance.create(':memory:', { threads: '2' });
const connection = await instance.connect();
await connection.run(duckDbEventsView(files));
const reader = await connection.runAndReadAll(renderAggregation(duckDbDialect(), WINDOW));
const rows = reader
  .getRowObjectsJson()
  .map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v === null ? null : String(v)])));
const engineSeconds = (performance.now() - started) / 1000;
connection.closeSync();
instance.closeSync();

started = performance.now();
const parsed = parseAggregateRows(rows);
const pushdown = rebuildObservations(parsed.rows, await loadActionCatalogue());
const rebuildSeconds = (performance.now() - started) / 1000;

const resultBytes = Buffer.byteLength(JSON.stringify(rows));
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
const identical = {
  usage: same(pushdown.usage, local.usage),
  clientActivity: same(pushdown.clientActivity, local.clientActivity),
  principals: same(pushdown.principals, local.principals),
  accessKeys: same(
    pushdown.accessKeys,
    local.accessKeys.filter((key) => !key.temporary),
  ),
};
console.log(
  `local ingest (1 thread): ${local.coverage.events.toLocaleString('en-US')} unique events in ${localSeconds.toFixed(1)} s; ` +
    `${local.usage.length.toLocaleString('en-US')} usage rows, ${local.clientActivity.length.toLocaleString('en-US')} client rows`,
);
console.log(
  `pushed down (DuckDB, 2 threads): ${pushdown.events.toLocaleString('en-US')} events → ${rows.length.toLocaleString('en-US')} result rows ` +
    `(${(resultBytes / 1048576).toFixed(1)} MiB as JSON, ${(gzBytes / resultBytes).toFixed(0)}× smaller than the gzip input) ` +
    `in ${engineSeconds.toFixed(1)} s; rebuilt in ${rebuildSeconds.toFixed(2)} s; ` +
    `${pushdown.peakLowerBounds} client peaks are lower bounds; ${parsed.problems.length} problems`,
);
console.log(`identical to local ingest: ${JSON.stringify(identical)}`);
