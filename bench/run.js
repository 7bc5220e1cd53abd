// Benchmark of CloudTrail ingestion on a generated S3-layout corpus: the floor, a zcat | jq baseline, agentaudit (1 and 2 workers, first and second scan), two corpus sizes.
// Usage: npm run bench   (BENCH_EVENTS=2000000 BENCH_SMALL_EVENTS=500000 BENCH_DAYS=7 BENCH_JQ=1; corpora cached in bench/.work/)
//        node bench/run.js corpus   (only generate the corpora)
import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { gzipSync } from 'node:zlib';
import { CORPUS_VERSION, corpusPlan, writeCorpusPart } from './corpus.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const WORK = join(HERE, '.work');
const SELF = fileURLToPath(import.meta.url);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 2_000_000);
const SMALL_EVENTS = Number(process.env.BENCH_SMALL_EVENTS ?? 500_000);
const DAYS = Number(process.env.BENCH_DAYS ?? 7);
const RUN_JQ = process.env.BENCH_JQ !== '0';
const JQ = process.env.BENCH_JQ_BIN ?? 'jq';
const TIME = '/usr/bin/time';

const [command, ...rest] = process.argv.slice(2);
if (command === 'generate') generate(rest[0], Number(rest[1]), Number(rest[2]), Number(rest[3]));
else if (command === 'measure') await measure(rest[0], rest[1], rest[2]);
else if (command === 'corpus')
  for (const events of [EVENTS, SMALL_EVENTS].filter((n) => n > 0)) await ensureCorpus(events);
else await main();

async function main() {
  const big = await ensureCorpus(EVENTS);
  const small = SMALL_EVENTS > 0 && SMALL_EVENTS !== EVENTS ? await ensureCorpus(SMALL_EVENTS) : null;
  const load = loadavg()[0];
  console.log(
    `\n${availableParallelism()} cores, load average ${load.toFixed(1)} at start (the machine is shared: ratios within one run are what count)`,
  );
  for (const corpus of [big, small].filter(Boolean)) {
    const m = corpus.manifest;
    console.log(
      `corpus ${label(corpus)}: ${m.files.toLocaleString('en-US')} .json.gz files in the S3 layout (3 accounts, 4 regions, ${m.days} days), ` +
        `${m.events.toLocaleString('en-US')} unique events + ${m.duplicates.toLocaleString('en-US')} duplicate copies, ` +
        `${mib(m.gzBytes)} MiB gzip, ${mib(m.jsonBytes)} MiB JSON`,
    );
  }

  const rows = [];
  const run = async (corpus, mode, text) => {
    process.stdout.write(`  running ${text} on ${label(corpus)} …`);
    const result = await runMode(corpus, mode);
    process.stdout.write(` ${result.seconds.toFixed(1)} s\n`);
    const row = { corpus, mode, text, ...result };
    rows.push(row);
    return row;
  };
  const cacheDb = join(WORK, `cache-${EVENTS}.db`);
  rmSync(cacheDb, { force: true });
  rmSync(`${cacheDb}-wal`, { force: true });
  rmSync(`${cacheDb}-shm`, { force: true });

  const floor = await run(big, 'floor', 'floor: gunzip + JSON.parse, 2 worker threads');
  const jq = RUN_JQ ? await run(big, 'jq', 'zcat | jq, 1 process') : null;
  const jq2 = RUN_JQ ? await run(big, 'jq2', 'zcat | jq, 2 processes over halves + merge') : null;
  const c1 = await run(big, 'c1', 'agentaudit ingest, 1 thread');
  const c2 = await run(big, 'c2', 'agentaudit ingest, 2 workers');
  const first = await run(big, `cache-first:${cacheDb}`, 'agentaudit, first scan (cache written)');
  const second = await run(big, `cache-second:${cacheDb}`, 'agentaudit, second scan (files reused)');
  const smallRows = [];
  if (small) {
    smallRows.push(await run(small, 'c1', 'agentaudit ingest, 1 thread'));
    smallRows.push(await run(small, 'c2', 'agentaudit ingest, 2 workers'));
  }

  const events = big.manifest.events;
  console.log('');
  const header =
    'mode'.padEnd(48) +
    'corpus'.padStart(7) +
    'seconds'.padStart(9) +
    'events/s'.padStart(11) +
    'peak RSS'.padStart(10) +
    'vs jq'.padStart(8) +
    'vs jq×2'.padStart(9) +
    'vs floor'.padStart(10);
  console.log(header);
  console.log('-'.repeat(header.length));
  for (const row of rows) {
    const perSecond = row.corpus.manifest.events / row.seconds;
    const sameCorpus = row.corpus === big;
    const ratio = (other) => (other && sameCorpus ? `×${(other.seconds / row.seconds).toFixed(2)}` : '');
    const share = sameCorpus ? `${Math.round((100 * floor.seconds) / row.seconds)}%` : '';
    console.log(
      row.text.padEnd(48) +
        label(row.corpus).padStart(7) +
        row.seconds.toFixed(2).padStart(9) +
        Math.round(perSecond).toLocaleString('en-US').padStart(11) +
        `${Math.round(row.peakRssMiB)} MiB`.padStart(10) +
        ratio(jq).padStart(8) +
        ratio(jq2).padStart(9) +
        share.padStart(10),
    );
  }
  console.log(
    `(events/s: unique events of the corpus per second; vs floor: the floor's time over the mode's)`,
  );

  const checks = [];
  const check = (ok, text) => {
    checks.push(ok);
    console.log(`${ok ? 'ok  ' : 'FAIL'}  ${text}`);
  };
  console.log('');
  check(
    [c1, c2, first, second].every((r) => r.events === events && r.duplicates === big.manifest.duplicates),
    `every agentaudit mode counts ${events.toLocaleString('en-US')} events and ${big.manifest.duplicates.toLocaleString('en-US')} duplicates (as generated)`,
  );
  check(
    c1.digest === c2.digest,
    'the result (every usage, client, key and principal row) is identical with 1 and 2 workers',
  );
  check(
    first.digest === c2.digest && second.digest === c2.digest,
    'the first and the second scan give that same result',
  );
  check(
    second.reused === second.files && first.reused === 0,
    `the second scan reused ${second.reused.toLocaleString('en-US')} of ${second.files.toLocaleString('en-US')} files (parsed none); the first reused ${first.reused}`,
  );
  for (const baseline of [jq, jq2].filter(Boolean)) {
    const agreement = compareWithJq(baseline, c2);
    check(agreement.ok, `${baseline.text}: ${agreement.text}`);
  }
  if (floor.events !== events + big.manifest.duplicates) {
    check(false, `the floor parsed ${floor.events} events, expected ${events + big.manifest.duplicates}`);
  }
  if (small) {
    const [s1, s2] = smallRows;
    const flat = (a, b) => `${Math.round(a.peakRssMiB)} → ${Math.round(b.peakRssMiB)} MiB`;
    console.log(
      `peak RSS from ${label(small)} to ${label(big)} events (×${(events / small.manifest.events).toFixed(0)}): ` +
        `1 thread ${flat(s1, c1)}, 2 workers ${flat(s2, c2)}`,
    );
  }
  console.log('');
  console.log('targets');
  check(
    jq === null || jq.seconds / c2.seconds >= 5,
    `≥ 5× the jq baseline (1 process): ×${jq ? (jq.seconds / c2.seconds).toFixed(2) : 'n/a'}`,
  );
  check(
    floor.seconds / c2.seconds >= 0.5,
    `≥ 50% of the floor on 2 cores: ${Math.round((100 * floor.seconds) / c2.seconds)}%`,
  );
  check(
    Math.max(c1.peakRssMiB, c2.peakRssMiB, first.peakRssMiB, second.peakRssMiB) <= 256,
    `peak RSS ≤ 256 MB at ${label(big)} events: ${Math.round(Math.max(c1.peakRssMiB, c2.peakRssMiB, first.peakRssMiB, second.peakRssMiB))} MiB at most`,
  );
  console.log(`load average ${loadavg()[0].toFixed(1)} at the end`);
  if (checks.some((ok) => !ok)) process.exitCode = 1;
}

function mib(bytes) {
  return Math.round(bytes / 1048576).toLocaleString('en-US');
}

function label(corpus) {
  return `${corpus.manifest.events / 1e6}M`;
}

/** Runs one mode in a fresh child process; returns its figures (and, for jq, its rows). */
async function runMode(corpus, mode) {
  if (mode === 'jq' || mode === 'jq2') return runJq(corpus, mode === 'jq2');
  const output = await new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [SELF, 'measure', mode, corpus.root, join(corpus.dir, `rows-${mode.split(':')[0]}.json`)],
      { maxBuffer: 1 << 26 },
      (error, stdout, stderr) =>
        error ? reject(new Error(`${mode} failed: ${stderr || error.message}`)) : resolve(stdout),
    );
  });
  const result = JSON.parse(output.trim().split('\n').pop());
  if (result.rowsFile) result.rows = JSON.parse(readFileSync(result.rowsFile, 'utf8'));
  return result;
}

/** The jq baseline under /usr/bin/time: its wall time and the largest resident set of the pipeline's processes. */
async function runJq(corpus, twoProcesses) {
  const program = join(HERE, 'usage.jq');
  const lists = [];
  const files = listGzFiles(corpus.root);
  if (twoProcesses) {
    // Two halves split at a day-folder boundary: a re-delivered file sits in its original's folder, so each half
    // deduplicates its own events exactly (the halves are merged by adding counts).
    const middle = files.findIndex(
      (file, i) => i >= files.length / 2 && dirname(file) !== dirname(files[i - 1]),
    );
    lists.push(files.slice(0, middle), files.slice(middle));
  } else {
    lists.push(files);
  }
  const started = performance.now();
  const halves = await Promise.all(
    lists.map(async (list, i) => {
      const listFile = join(corpus.dir, `jq-files-${i}.txt`);
      writeFileSync(listFile, list.join('\0'));
      const out = join(corpus.dir, `jq-out-${i}.json`);
      const script = `xargs -0 -a "$1" zcat -- | ${JQ} -n -c -f "$2" > "$3"`;
      const stderr = await spawnCollect(TIME, [
        '-f',
        '%M',
        'bash',
        '-c',
        script,
        'jq',
        listFile,
        program,
        out,
      ]);
      return { out, maxRssKiB: Number(stderr.trim().split('\n').pop()) };
    }),
  );
  const parts = halves.map((half) => JSON.parse(readFileSync(half.out, 'utf8')));
  const merged = { events: 0, duplicates: 0, rows: {} };
  for (const part of parts) {
    merged.events += part.events;
    merged.duplicates += part.duplicates;
    for (const [key, row] of Object.entries(part.rows)) {
      const mine = merged.rows[key];
      if (!mine) merged.rows[key] = { ...row };
      else {
        mine.count += row.count;
        if (row.first < mine.first) mine.first = row.first;
        if (row.last > mine.last) mine.last = row.last;
      }
    }
  }
  const seconds = (performance.now() - started) / 1000;
  return {
    seconds,
    peakRssMiB: Math.max(...halves.map((half) => half.maxRssKiB)) / 1024,
    events: merged.events,
    duplicates: merged.duplicates,
    rows: merged.rows,
  };
}

function spawnCollect(command, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'inherit', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve(stderr)
        : reject(new Error(`${command} ${args[3] ?? ''} exited ${code}: ${stderr}`)),
    );
  });
}

/** jq's rows against agentaudit's usage rows summed over resources: the same keys, counts, first and last times. */
function compareWithJq(jq, agentaudit) {
  const jqKeys = Object.keys(jq.rows);
  let differing = 0;
  let example = '';
  for (const key of jqKeys) {
    const row = jq.rows[key];
    const mine = agentaudit.rows[key];
    const same =
      mine &&
      mine.count === row.count &&
      mine.first === Date.parse(row.first) &&
      mine.last === Date.parse(row.last);
    if (!same) {
      differing++;
      example ||= `${key}: jq ${JSON.stringify(row)}, agentaudit ${JSON.stringify(mine)}`;
    }
  }
  const missing = Object.keys(agentaudit.rows).length - jqKeys.length;
  const ok =
    differing === 0 &&
    missing === 0 &&
    jq.events === agentaudit.events &&
    jq.duplicates === agentaudit.duplicates;
  return {
    ok,
    text: ok
      ? `same ${jqKeys.length.toLocaleString('en-US')} (identity, key, eventSource, eventName) rows, counts, first and last times, events and duplicates as agentaudit`
      : `DIFFERS from agentaudit: ${differing} rows differ, ${missing} rows only in agentaudit, events ${jq.events}/${agentaudit.events}, duplicates ${jq.duplicates}/${agentaudit.duplicates}; ${example}`,
  };
}

/** Runs one mode in this (fresh) process and prints its figures as the last line of JSON. */
async function measure(mode, root, rowsFile) {
  const started = performance.now();
  let result;
  let seconds;
  let peakRssMiB;
  if (mode === 'floor') {
    result = await floor(root, 2);
  } else {
    const { ingestCloudTrail } = await import('../dist/usage/cloudtrail/ingest.js');
    let fileCache;
    let db;
    if (mode.startsWith('cache-')) {
      const { openDatabase } = await import('../dist/store/database.js');
      const { beginScan } = await import('../dist/store/writes.js');
      const { sqliteCloudTrailFileCache } = await import('../dist/store/cloudtrailFiles.js');
      db = openDatabase(mode.slice(mode.indexOf(':') + 1));
      const scanId = beginScan(db, {
        startedAt: new Date().toISOString(),
        asOf: new Date().toISOString(),
        since: null,
      });
      fileCache = sqliteCloudTrailFileCache(db, scanId);
    }
    const ingested = await ingestCloudTrail([root], { concurrency: mode === 'c1' ? 1 : 2, fileCache });
    db?.close();
    // agentaudit's time and high-water mark, before the bench's own checks below (a digest of every row, the rows file).
    seconds = (performance.now() - started) / 1000;
    peakRssMiB = process.resourceUsage().maxRSS / 1024;
    const { coverage, reusedFromScans: _reused, ...rows } = ingested;
    const { reused, ...counts } = coverage;
    result = {
      files: coverage.files,
      events: coverage.events,
      duplicates: coverage.duplicates,
      errors: coverage.errors.length,
      reused: reused ?? 0,
      digest: createHash('sha256').update(JSON.stringify({ counts, rows })).digest('hex'),
      rowsFile,
    };
    writeFileSync(rowsFile, JSON.stringify(usageByAction(ingested.usage)));
  }
  seconds ??= (performance.now() - started) / 1000;
  peakRssMiB ??= process.resourceUsage().maxRSS / 1024;
  console.log(JSON.stringify({ ...result, seconds, peakRssMiB }));
}

/** agentaudit's usage rows summed over resources, keyed as the jq baseline keys them. */
function usageByAction(usage) {
  const rows = {};
  for (const row of usage) {
    const key = [row.identityId, row.credentialId ?? '', row.eventSource, row.eventName].join('\t');
    const first = Date.parse(row.firstSeen);
    const last = Date.parse(row.lastSeen);
    const mine = rows[key];
    if (!mine) rows[key] = { count: row.count, first, last };
    else {
      mine.count += row.count;
      mine.first = Math.min(mine.first, first);
      mine.last = Math.max(mine.last, last);
    }
  }
  return rows;
}

/** The floor: every file read, decompressed and JSON.parse'd whole on `threads` worker threads, nothing else. */
async function floor(root, threads) {
  const files = listGzFiles(root)
    .map((path) => ({ path, bytes: statSync(path).size }))
    .sort((a, b) => b.bytes - a.bytes);
  const code = `
    const { parentPort } = require('node:worker_threads');
    const { readFileSync } = require('node:fs');
    const { gunzipSync } = require('node:zlib');
    let events = 0, gzBytes = 0, jsonBytes = 0;
    parentPort.on('message', (path) => {
      if (path === null) { parentPort.postMessage({ done: true, events, gzBytes, jsonBytes }); return; }
      const compressed = readFileSync(path);
      const json = gunzipSync(compressed);
      events += JSON.parse(json.toString('utf8')).Records.length;
      gzBytes += compressed.length;
      jsonBytes += json.length;
      parentPort.postMessage({ done: false });
    });`;
  let next = 0;
  const totals = await Promise.all(
    Array.from({ length: threads }, () => {
      const worker = new Worker(code, { eval: true });
      return new Promise((resolve, reject) => {
        const handOut = () => worker.postMessage(next < files.length ? files[next++].path : null);
        worker.on('message', (message) => {
          if (message.done) {
            void worker.terminate();
            resolve(message);
          } else handOut();
        });
        worker.on('error', reject);
        // Two files in hand, as agentaudit's workers have.
        handOut();
        handOut();
      });
    }),
  );
  return {
    files: files.length,
    events: totals.reduce((sum, t) => sum + t.events, 0),
    gzBytes: totals.reduce((sum, t) => sum + t.gzBytes, 0),
    jsonBytes: totals.reduce((sum, t) => sum + t.jsonBytes, 0),
  };
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

/** The corpus of `events` events, generated once (two processes, one per core) and kept in bench/.work/. */
async function ensureCorpus(events) {
  const dir = join(WORK, `corpus-${events}-${DAYS}d`);
  const root = join(dir, 'logs');
  const manifestFile = join(dir, 'manifest.json');
  if (existsSync(manifestFile)) {
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
    if (manifest.version === CORPUS_VERSION) return { dir, root, manifest };
  }
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  console.log(`generating ${events.toLocaleString('en-US')} events over ${DAYS} days under ${root} …`);
  const started = performance.now();
  const parts = 2;
  const written = await Promise.all(
    Array.from(
      { length: parts },
      (_, part) =>
        new Promise((resolve, reject) => {
          execFile(
            process.execPath,
            [SELF, 'generate', root, String(events), String(part), String(parts)],
            (error, stdout) => (error ? reject(error) : resolve(JSON.parse(stdout.trim().split('\n').pop()))),
          );
        }),
    ),
  );
  // A digest file, which ingestion must skip.
  const digestFolder = join(
    root,
    'AWSLogs',
    '111111111111',
    'CloudTrail-Digest',
    'us-east-1',
    '2025',
    '03',
    '03',
  );
  mkdirSync(digestFolder, { recursive: true });
  writeFileSync(
    join(digestFolder, '111111111111_CloudTrail-Digest_us-east-1_20250303T0100Z.json.gz'),
    gzipSync('{"awsAccountId":"111111111111","digestStartTime":"2025-03-03T00:00:00Z","logFiles":[]}'),
  );
  const manifest = {
    version: CORPUS_VERSION,
    events,
    days: DAYS,
    files: written.reduce((sum, w) => sum + w.files, 0),
    duplicates: written.reduce((sum, w) => sum + w.duplicates, 0),
    gzBytes: written.reduce((sum, w) => sum + w.gzBytes, 0),
    jsonBytes: written.reduce((sum, w) => sum + w.jsonBytes, 0),
  };
  writeFileSync(manifestFile, JSON.stringify(manifest));
  console.log(`generated in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return { dir, root, manifest };
}

function generate(root, events, part, parts) {
  const written = writeCorpusPart(root, corpusPlan(events, DAYS), part, parts);
  console.log(JSON.stringify(written));
}
