// Measures how many CloudTrail events map to a known IAM action, per corpus folder, and lists the pairs that do not.
// Usage: npm run build && node bench/mapped-share.js [corpus-root]   (default: ../shared/data/cloudtrail)
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { loadActionCatalogue, mapEventToAction } from '../dist/usage/cloudtrail/eventAction.js';
import { ingestCloudTrail } from '../dist/usage/cloudtrail/ingest.js';

const root = process.argv[2] ?? new URL('../../shared/data/cloudtrail', import.meta.url).pathname;
const corpora = readdirSync(root).filter((name) => statSync(join(root, name)).isDirectory());
const catalogue = await loadActionCatalogue();

let totalEvents = 0;
let totalMapped = 0;
for (const corpus of corpora) {
  const result = await ingestCloudTrail([join(root, corpus)], { concurrency: 1 });
  const { events, duplicates, mapped, unmapped, errors } = result.coverage;
  totalEvents += events;
  totalMapped += mapped;
  const share = events === 0 ? 0 : (100 * mapped) / events;
  console.log(
    `${corpus}: ${result.coverage.files} files, ${events} unique events (${duplicates} duplicates), ` +
      `${mapped} mapped, ${unmapped} unmapped → ${share.toFixed(1)}% mapped; ${errors.length} errors`,
  );
  for (const error of errors) console.log(`  error ${error.file}: ${error.message}`);
  const unmappedPairs = new Map();
  for (const row of result.usage) {
    if (row.permission !== null) continue;
    const key = `${row.eventSource} ${row.eventName}`;
    unmappedPairs.set(key, (unmappedPairs.get(key) ?? 0) + row.count);
  }
  for (const [pair, count] of [...unmappedPairs].sort()) {
    const [source, name] = pair.split(' ');
    console.log(
      `  unmapped ${pair} ×${count} (guess: ${mapEventToAction(source, name ?? '', catalogue).action})`,
    );
  }
}
console.log(`all: ${totalMapped}/${totalEvents} = ${((100 * totalMapped) / totalEvents).toFixed(2)}% mapped`);
