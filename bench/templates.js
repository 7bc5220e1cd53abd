// Builds the benchmark's event templates (fixtures/cloudtrail/bench-templates/) from the real CloudTrail corpora in ../shared/data.
// Usage: node bench/templates.js [SHARED_CLOUDTRAIL_DIR]   (run once; its output is committed with the licences; the OTRF
// events are read from fixtures/cloudtrail/otrf/ directly)
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const HERE = dirname(fileURLToPath(import.meta.url));
const SOURCE = process.argv[2] ?? join(HERE, '..', '..', 'shared', 'data', 'cloudtrail');
const TARGET = join(HERE, '..', 'fixtures', 'cloudtrail', 'bench-templates');

for (const corpus of ['stratus-detonation-logs', 'traildiscover']) {
  const folder = join(SOURCE, corpus);
  const events = [];
  for (const name of readdirSync(folder).sort()) {
    if (name === 'LICENSE') continue;
    const text = readFileSync(join(folder, name), 'utf8');
    let values;
    try {
      const value = JSON.parse(text);
      values = Array.isArray(value) ? value : (value.Records ?? [value]);
    } catch {
      values = text
        .split('\n')
        .filter((line) => line.trim())
        .map((line) => JSON.parse(line));
    }
    for (const event of values) {
      if (!event || typeof event.eventSource !== 'string' || typeof event.eventName !== 'string') continue;
      // Logstash's fields (OTRF) are not part of CloudTrail's format.
      if (event['@timestamp'] !== undefined) event.eventTime ??= event['@timestamp'];
      delete event['@timestamp'];
      delete event['@version'];
      events.push(JSON.stringify(event));
    }
  }
  mkdirSync(join(TARGET, corpus), { recursive: true });
  writeFileSync(join(TARGET, corpus, 'events.jsonl.gz'), gzipSync(events.join('\n') + '\n', { level: 9 }));
  copyFileSync(join(folder, 'LICENSE'), join(TARGET, corpus, 'LICENSE'));
  console.log(`${corpus}: ${events.length} events`);
}
