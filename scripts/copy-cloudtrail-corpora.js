// Copies the shared CloudTrail corpora (every file, licences included) into fixtures/cloudtrail-corpora/ for the tests.
// Usage: node scripts/copy-cloudtrail-corpora.js [source-root]   (default: ../shared/data/cloudtrail)
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const SOURCE = process.argv[2] ?? fileURLToPath(new URL('../../shared/data/cloudtrail/', import.meta.url));
const TARGET = fileURLToPath(new URL('../fixtures/cloudtrail-corpora/', import.meta.url));

fs.rmSync(TARGET, { recursive: true, force: true });
let files = 0;
for (const corpus of fs.readdirSync(SOURCE).sort()) {
  const from = path.join(SOURCE, corpus);
  if (!fs.statSync(from).isDirectory()) continue;
  fs.mkdirSync(path.join(TARGET, corpus), { recursive: true });
  for (const name of fs.readdirSync(from).sort()) {
    fs.copyFileSync(path.join(from, name), path.join(TARGET, corpus, name));
    files++;
  }
}
console.log(`copied ${files} files from ${SOURCE} to ${TARGET}`);
