// Benchmark of CloudTrail ingestion against a naive baseline on the same synthetic S3-layout corpus built from real events.
// Usage: npm run bench   (BENCH_EVENTS=1500000 BENCH_FILES=300 by default; the corpus is cached in bench/.work/)
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';

const HERE = dirname(fileURLToPath(import.meta.url));
const WORK = join(HERE, '.work');
const CORPUS = join(WORK, 'corpus');
const FIXTURES = join(HERE, '..', 'fixtures', 'cloudtrail');
const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_500_000);
const FILES = Number(process.env.BENCH_FILES ?? 300);
/** Every DUPLICATE_EVERY-th file is delivered twice, as S3 delivery retries do. */
const DUPLICATE_EVERY = 50;
const ACCOUNT = '123456789012';
const REGIONS = ['us-east-1', 'eu-west-1'];
const START = Date.parse('2025-01-01T00:00:00Z');
const SPAN_MS = 30 * 24 * 3600 * 1000;

const [command, ...rest] = process.argv.slice(2);
if (command === 'generate') generatePart(Number(rest[0]), Number(rest[1]));
else if (command === 'measure') await measure(rest[0]);
else await main();

async function main() {
  await ensureCorpus();
  const modes = [
    ['naive baseline (whole file, JSON.parse, Map, 1 thread)', 'naive'],
    ['ingestCloudTrail concurrency 1', 'c1'],
    ['ingestCloudTrail concurrency 2', 'c2'],
  ];
  const results = [];
  for (const [label, mode] of modes) {
    const output = execFileSync(process.execPath, [fileURLToPath(import.meta.url), 'measure', mode], {
      encoding: 'utf8',
      maxBuffer: 1 << 24,
    });
    const result = JSON.parse(output.trim().split('\n').pop());
    results.push({ label, ...result });
  }
  const baseline = results[0];
  console.log(
    `\ncorpus: ${baseline.files} files, ${baseline.events.toLocaleString('en-US')} unique events + ` +
      `${baseline.duplicates.toLocaleString('en-US')} duplicate copies, ${(baseline.gzBytes / 1048576).toFixed(0)} MiB gzip, ` +
      `${(baseline.jsonBytes / 1048576).toFixed(0)} MiB JSON; ${availableParallelism()} cores\n`,
  );
  console.log(
    'mode'.padEnd(58) +
      'events'.padStart(11) +
      'seconds'.padStart(9) +
      'events/s'.padStart(11) +
      'peak RSS'.padStart(11) +
      '  speed vs baseline, RSS vs baseline',
  );
  for (const result of results) {
    console.log(
      result.label.padEnd(58) +
        result.events.toLocaleString('en-US').padStart(11) +
        result.seconds.toFixed(2).padStart(9) +
        Math.round(result.events / result.seconds)
          .toLocaleString('en-US')
          .padStart(11) +
        `${Math.round(result.peakRssMiB)} MiB`.padStart(11) +
        `  ×${(baseline.seconds / result.seconds).toFixed(2)}, ×${(result.peakRssMiB / baseline.peakRssMiB).toFixed(2)}`,
    );
  }
  const mismatched = results.filter(
    (r) => r.events !== baseline.events || r.duplicates !== baseline.duplicates,
  );
  const sameRows = results[1].digest === results[2].digest;
  console.log(mismatched.length === 0 ? '\ncounts: all modes agree (events, duplicates)' : '\nCOUNTS DIFFER');
  console.log(
    sameRows ? 'rows: concurrency 1 and 2 give identical results' : 'ROWS DIFFER between concurrency 1 and 2',
  );
  if (mismatched.length > 0 || !sameRows) process.exitCode = 1;
}

/** Runs one mode in this (fresh) process and prints its figures as the last line of JSON. */
async function measure(mode) {
  const started = performance.now();
  let result;
  if (mode === 'naive') {
    result = naiveBaseline(CORPUS);
  } else {
    const { ingestCloudTrail } = await import('../dist/usage/cloudtrail/ingest.js');
    const ingested = await ingestCloudTrail([CORPUS], { concurrency: mode === 'c1' ? 1 : 2 });
    const { createHash } = await import('node:crypto');
    const { coverage, ...rows } = ingested;
    result = {
      files: coverage.files,
      events: coverage.events,
      duplicates: coverage.duplicates,
      mapped: coverage.mapped,
      errors: coverage.errors.length,
      usageRows: rows.usage.length,
      digest: createHash('sha256').update(JSON.stringify(ingested)).digest('hex'),
    };
  }
  const seconds = (performance.now() - started) / 1000;
  const peakRssMiB = process.resourceUsage().maxRSS / 1024;
  console.log(JSON.stringify({ ...result, seconds, peakRssMiB }));
}

/** The simple way: read each file whole, gunzip, JSON.parse, dedup by eventID string, count in a Map. */
function naiveBaseline(root) {
  const seen = new Set();
  const counts = new Map();
  let files = 0;
  let events = 0;
  let duplicates = 0;
  let gzBytes = 0;
  let jsonBytes = 0;
  for (const file of listGzFiles(root)) {
    files++;
    const compressed = readFileSync(file);
    const text = gunzipSync(compressed).toString('utf8');
    gzBytes += compressed.length;
    jsonBytes += text.length;
    for (const record of JSON.parse(text).Records) {
      if (seen.has(record.eventID)) {
        duplicates++;
        continue;
      }
      seen.add(record.eventID);
      events++;
      const key = `${record.userIdentity?.arn}\u0000${record.eventSource}\u0000${record.eventName}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return { files, events, duplicates, rows: counts.size, gzBytes, jsonBytes };
}

function listGzFiles(folder) {
  const out = [];
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'CloudTrail-Digest') out.push(...listGzFiles(path));
    } else if (entry.name.endsWith('.json.gz')) out.push(path);
  }
  return out.sort();
}

/** Builds the corpus once per (events, files) in two processes (one per core). */
async function ensureCorpus() {
  const manifest = join(WORK, 'manifest.json');
  const wanted = JSON.stringify({ events: EVENTS, files: FILES, version: 1 });
  if (existsSync(manifest) && readFileSync(manifest, 'utf8') === wanted) return;
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(CORPUS, { recursive: true });
  console.log(`generating ${EVENTS.toLocaleString('en-US')} events in ${FILES} files under ${CORPUS} …`);
  const started = performance.now();
  const parts = 2;
  const children = [];
  for (let part = 0; part < parts; part++) {
    const args = [fileURLToPath(import.meta.url), 'generate', String(part), String(parts)];
    children.push(
      new Promise((resolve, reject) => {
        execFile(process.execPath, args, (error) => (error ? reject(error) : resolve()));
      }),
    );
  }
  await Promise.all(children);
  {
    const digest = join(CORPUS, 'AWSLogs', ACCOUNT, 'CloudTrail-Digest', 'us-east-1', '2025', '01', '01');
    mkdirSync(digest, { recursive: true });
    writeFileSync(
      join(digest, `${ACCOUNT}_CloudTrail-Digest_us-east-1_bench.json.gz`),
      gzipSync('{"digest":true}'),
    );
    writeFileSync(manifest, wanted);
    console.log(`generated in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
}

/** Writes files `part`, `part + parts`, … of the corpus. */
function generatePart(part, parts) {
  const templates = loadTemplates();
  const principals = makePrincipals();
  const userAgents = [
    ...new Set(
      templates.map((t) => t.userAgent).filter((ua) => typeof ua === 'string' && !ua.startsWith('stratus')),
    ),
    'Boto3/1.35.36 md/Botocore#1.35.36 ua/2.0 os/linux#6.1 md/arch#x86_64 lang/python#3.12.6 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.35.36',
    'aws-sdk-js/3.658.1 ua/2.1 os/linux#6.1 lang/js md/nodejs#20.17.0 api/s3#3.658.1 m/E',
    'Boto3/1.35.36 md/Botocore#1.35.36 ua/2.0 os/darwin#24.0 lang/python#3.12.6 app/claude-code Botocore/1.35.36',
  ];
  const perFile = Math.ceil(EVENTS / FILES);
  for (let file = part; file < FILES; file += parts) {
    const first = file * perFile;
    const count = Math.max(0, Math.min(perFile, EVENTS - first));
    const records = [];
    for (let n = first; n < first + count; n++) records.push(makeEvent(n, templates, principals, userAgents));
    const region = REGIONS[file % REGIONS.length];
    const time = new Date(START + Math.floor((first / EVENTS) * SPAN_MS));
    const day = time.toISOString().slice(0, 10).split('-');
    const folder = join(CORPUS, 'AWSLogs', ACCOUNT, 'CloudTrail', region, ...day);
    mkdirSync(folder, { recursive: true });
    const stamp = time.toISOString().replace(/[-:]/g, '').slice(0, 13) + 'Z';
    const body = gzipSync(`{"Records":[${records.join(',')}]}`, { level: 1 });
    writeFileSync(
      join(folder, `${ACCOUNT}_CloudTrail_${region}_${stamp}_${String(file).padStart(5, '0')}.json.gz`),
      body,
    );
    if (file % DUPLICATE_EVERY === 0) {
      writeFileSync(
        join(
          folder,
          `${ACCOUNT}_CloudTrail_${region}_${stamp}_${String(file).padStart(5, '0')}-redelivery.json.gz`,
        ),
        body,
      );
    }
  }
}

function makeEvent(n, templates, principals, userAgents) {
  const template = templates[n % templates.length];
  const random = mix(n);
  const principal = principals[random % principals.length];
  const event = {
    ...template,
    eventID: uuid(n),
    eventTime: new Date(START + Math.floor((n / EVENTS) * SPAN_MS)).toISOString().replace('.000Z', 'Z'),
    userIdentity: principal,
    userAgent: userAgents[(random >>> 8) % userAgents.length],
    sourceIPAddress: `203.0.${(random >>> 4) % 16}.${(random >>> 12) % 250}`,
    recipientAccountId: ACCOUNT,
  };
  delete event['@timestamp'];
  delete event['@version'];
  return JSON.stringify(event);
}

function makePrincipals() {
  const principals = [];
  for (let i = 0; i < 40; i++) {
    principals.push({
      type: 'IAMUser',
      principalId: `AIDA${String(i).padStart(16, '0')}`,
      arn: `arn:aws:iam::${ACCOUNT}:user/service-user-${i}`,
      accountId: ACCOUNT,
      accessKeyId: `AKIA${String(i).padStart(16, '0')}`,
      userName: `service-user-${i}`,
    });
  }
  for (let i = 0; i < 20; i++) {
    const role = `arn:aws:iam::${ACCOUNT}:role/app/app-role-${i}`;
    principals.push({
      type: 'AssumedRole',
      principalId: `AROA${String(i).padStart(16, '0')}:session-${i % 5}`,
      arn: `arn:aws:sts::${ACCOUNT}:assumed-role/app-role-${i}/session-${i % 5}`,
      accountId: ACCOUNT,
      accessKeyId: `ASIA${String(i).padStart(16, '0')}`,
      sessionContext: {
        sessionIssuer: {
          type: 'Role',
          principalId: `AROA${String(i).padStart(16, '0')}`,
          arn: role,
          accountId: ACCOUNT,
          userName: `app-role-${i}`,
        },
        attributes: { creationDate: '2025-01-01T00:00:00Z', mfaAuthenticated: 'false' },
      },
    });
  }
  return principals;
}

/** Every event of the fixtures, whatever their shape, as templates. */
function loadTemplates() {
  const templates = [];
  const walk = (folder) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name !== 'LICENSE') {
        const text = readFileSync(path, 'utf8');
        try {
          const value = JSON.parse(text);
          templates.push(...(Array.isArray(value) ? value : (value.Records ?? [value])));
        } catch {
          for (const line of text.split('\n')) if (line.trim()) templates.push(JSON.parse(line));
        }
      }
    }
  };
  walk(FIXTURES);
  return templates.filter((t) => t && typeof t.eventSource === 'string');
}

function mix(n) {
  let h = Math.imul(n ^ 0x9e3779b9, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

function uuid(n) {
  const hex = n.toString(16).padStart(12, '0');
  return `${mix(n).toString(16).padStart(8, '0')}-b3e1-4c2a-9f00-${hex}`;
}
