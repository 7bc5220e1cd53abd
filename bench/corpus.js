// Generates the benchmark's CloudTrail corpus: real event shapes, a synthetic estate (accounts, principals, keys, sessions), the S3 delivery layout, gzip.
import { Buffer } from 'node:buffer';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';

const HERE = dirname(fileURLToPath(import.meta.url));
const FIXTURES = join(HERE, '..', 'fixtures', 'cloudtrail');

/** Bump when the corpus changes, so cached corpora are rebuilt. */
export const CORPUS_VERSION = 5;

const ACCOUNTS = [
  { id: '111111111111', weight: 0.6 },
  { id: '222222222222', weight: 0.3 },
  { id: '333333333333', weight: 0.1 },
];
const REGIONS = [
  { id: 'us-east-1', weight: 0.55 },
  { id: 'eu-west-1', weight: 0.2 },
  { id: 'us-west-2', weight: 0.15 },
  { id: 'ap-southeast-2', weight: 0.1 },
];
const START = Date.parse('2025-03-03T00:00:00Z');
const SLOT_MS = 5 * 60 * 1000;
const SLOTS_PER_DAY = 288;
/** One delivery in REDELIVER_EVERY is written twice (S3 delivery is at least once). */
const REDELIVER_EVERY = 100;
/** One delivery in OVERLAP_EVERY also repeats the tail of the previous one in its folder (a partial overlap). */
const OVERLAP_EVERY = 200;
/** Share of events delivered late, in a later file than their eventTime's slot. */
const LATE_SHARE = 0.03;

/**
 * The files of a corpus of `events` unique events over `days` days: one delivery per account, region and 5-minute
 * slot with events, sized by the account's and region's share and a working-day cycle; counts add up exactly.
 */
export function corpusPlan(events, days) {
  const cells = [];
  for (let a = 0; a < ACCOUNTS.length; a++) {
    for (let r = 0; r < REGIONS.length; r++) {
      for (let slot = 0; slot < days * SLOTS_PER_DAY; slot++) {
        cells.push({
          account: a,
          region: r,
          slot,
          weight: ACCOUNTS[a].weight * REGIONS[r].weight * activity(slot),
        });
      }
    }
  }
  const total = cells.reduce((sum, cell) => sum + cell.weight, 0);
  let assigned = 0;
  for (const cell of cells) {
    const exact = (events * cell.weight) / total;
    cell.count = Math.floor(exact);
    cell.remainder = exact - cell.count;
    assigned += cell.count;
  }
  const byRemainder = [...cells].sort((x, y) => y.remainder - x.remainder || x.slot - y.slot);
  for (let i = 0; i < events - assigned; i++) byRemainder[i].count++;
  let first = 0;
  const files = [];
  for (const cell of cells) {
    if (cell.count === 0) continue;
    files.push({
      index: files.length,
      account: cell.account,
      region: cell.region,
      slot: cell.slot,
      first,
      count: cell.count,
    });
    first += cell.count;
  }
  return files;
}

/** Relative activity of a 5-minute slot: busy working hours (UTC), quiet nights, quieter weekends. */
function activity(slot) {
  const day = Math.floor(slot / SLOTS_PER_DAY);
  const hour = (slot % SLOTS_PER_DAY) / 12;
  const daily = 0.25 + Math.max(0, Math.sin(((hour - 6) / 14) * Math.PI));
  return (day % 7 >= 5 ? 0.4 : 1) * daily;
}

/**
 * Writes files `part`, `part + parts`, … of `plan` under `root`; returns what it wrote. Each file is generated from
 * its own seed, so the corpus is the same whatever the number of parts.
 */
export function writeCorpusPart(root, plan, part, parts) {
  const templates = loadTemplates();
  const estate = makeEstate(templates.length);
  const written = { files: 0, duplicates: 0, gzBytes: 0, jsonBytes: 0 };
  const previousInFolder = new Map(plan.map((file) => [`${file.account}/${file.region}/${file.slot}`, file]));
  for (let f = part; f < plan.length; f += parts) {
    const file = plan[f];
    const random = rng(hash32(`file:${file.account}:${file.region}:${file.slot}`));
    let events = makeEvents(file, templates, estate);
    let duplicates = 0;
    // A partial overlap: the tail of the previous delivery of the same folder (same account, region and day) again.
    if (file.slot % SLOTS_PER_DAY > 0 && random() * OVERLAP_EVERY < 1) {
      const previous = previousInFolder.get(`${file.account}/${file.region}/${file.slot - 1}`);
      if (previous) {
        const tail = makeEvents(previous, templates, estate);
        const repeated = tail.slice(Math.floor(tail.length * 0.8));
        events = [...repeated, ...events];
        duplicates += repeated.length;
      }
    }
    const text = `{"Records":[${events.map((event) => event.json).join(',')}]}`;
    const body = gzipSync(text);
    const account = ACCOUNTS[file.account].id;
    const region = REGIONS[file.region].id;
    const time = new Date(START + (file.slot + 1) * SLOT_MS);
    const [year, month, day] = time.toISOString().slice(0, 10).split('-');
    const folder = join(root, 'AWSLogs', account, 'CloudTrail', region, year, month, day);
    mkdirSync(folder, { recursive: true });
    const stamp = `${year}${month}${day}T${time.toISOString().slice(11, 13)}${time.toISOString().slice(14, 16)}Z`;
    const name = (unique) => `${account}_CloudTrail_${region}_${stamp}_${unique}.json.gz`;
    writeFileSync(join(folder, name(uniqueString(random))), body);
    written.files++;
    written.gzBytes += body.length;
    written.jsonBytes += Buffer.byteLength(text);
    if (random() * REDELIVER_EVERY < 1) {
      writeFileSync(join(folder, name(uniqueString(random))), body);
      written.files++;
      written.gzBytes += body.length;
      written.jsonBytes += Buffer.byteLength(text);
      duplicates += events.length;
    }
    written.duplicates += duplicates;
  }
  return written;
}

/** The events of one delivery, sorted by time, as JSON text. */
function makeEvents(file, templates, estate) {
  const random = rng(hash32(`events:${file.account}:${file.region}:${file.slot}`));
  const account = estate.accounts[file.account];
  const region = REGIONS[file.region].id;
  const accountId = ACCOUNTS[file.account].id;
  const events = [];
  for (let n = 0; n < file.count; n++) {
    let time = START + file.slot * SLOT_MS + Math.floor(random() * SLOT_MS);
    if (random() < LATE_SHARE) time -= Math.floor(random() * 3 * SLOT_MS);
    const principal = account.principals[zipf(random, account.principals.length, 1.05)];
    const template = templates[principal.repertoire[zipf(random, principal.repertoire.length, 1.2)]];
    const eventTime = new Date(time).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const json = template.render({
      userIdentity: principal.identity(time, random),
      eventTime,
      awsRegion: region,
      sourceIPAddress: principal.addresses[Math.floor(random() * principal.addresses.length)],
      userAgent: principal.userAgents[Math.floor(random() * principal.userAgents.length)],
      requestID: uuid(random),
      eventID: eventId(file.first + n, random),
      recipientAccountId: accountId,
    });
    events.push({ time, json });
  }
  return events.sort((a, b) => a.time - b.time);
}

/** The fields each event gets from the estate; the rest of every event is a real one, as logged. */
const VARYING = [
  'userIdentity',
  'eventTime',
  'awsRegion',
  'sourceIPAddress',
  'userAgent',
  'requestID',
  'eventID',
  'recipientAccountId',
];

/** Every real event under fixtures/cloudtrail (the benchmark templates, OTRF), as a template with slots for VARYING. */
export function loadTemplates() {
  const raw = [];
  for (const corpus of readdirSync(join(FIXTURES, 'bench-templates')).sort()) {
    const text = gunzipSync(
      readFileSync(join(FIXTURES, 'bench-templates', corpus, 'events.jsonl.gz')),
    ).toString('utf8');
    for (const line of text.split('\n')) if (line.trim()) raw.push(JSON.parse(line));
  }
  const otrf = readFileSync(
    join(FIXTURES, 'otrf', 'ec2_proxy_s3_exfiltration_2020-09-14011940.json'),
    'utf8',
  );
  for (const line of otrf.split('\n')) {
    if (!line.trim()) continue;
    const event = JSON.parse(line);
    event.eventTime = event['@timestamp'];
    delete event['@timestamp'];
    delete event['@version'];
    raw.push(event);
  }
  return raw.map((event) => {
    const shaped = { ...event };
    for (const field of VARYING) shaped[field] = `@@${field}@@`;
    const pieces = JSON.stringify(shaped).split(/"@@([A-Za-z]+)@@"/);
    return {
      eventSource: event.eventSource,
      eventName: event.eventName,
      render(values) {
        let out = pieces[0];
        for (let i = 1; i < pieces.length; i += 2) {
          const value = values[pieces[i]];
          out +=
            (typeof value === 'string' && !value.startsWith('{') ? JSON.stringify(value) : value) +
            pieces[i + 1];
        }
        return out;
      },
    };
  });
}

/**
 * Per account: IAM users signing with long-term keys (some rotated mid-week), people at the console, roles assumed by
 * instances, functions and CI runs (session keys that rotate), AWS services, and the root user. Who calls how often
 * follows a Zipf law; each principal calls its own few APIs.
 */
function makeEstate(templateCount) {
  const accounts = ACCOUNTS.map(({ id }, a) => {
    const random = rng(hash32(`estate:${id}`));
    const principals = [];
    const repertoire = () => {
      const size = 2 + Math.floor(random() * random() * 30);
      const picks = new Set();
      while (picks.size < size) picks.add(Math.floor(random() * templateCount));
      return [...picks];
    };
    const network = (count, prefix) =>
      Array.from(
        { length: count },
        () => `${prefix}.${Math.floor(random() * 256)}.${1 + Math.floor(random() * 254)}`,
      );
    for (let i = 0; i < 120; i++) {
      const name = `svc-${SERVICES[i % SERVICES.length]}-${Math.floor(i / SERVICES.length)}`;
      const userId = `AIDA${code(random, 17)}`;
      const keys = [`AKIA${code(random, 16)}`];
      if (random() < 0.3) keys.push(`AKIA${code(random, 16)}`);
      const rotateAt = START + Math.floor(random() * 7 * 24) * 3600_000;
      const blocks = keys.map((key) =>
        JSON.stringify({
          type: 'IAMUser',
          principalId: userId,
          arn: `arn:aws:iam::${id}:user/${name}`,
          accountId: id,
          accessKeyId: key,
          userName: name,
        }),
      );
      principals.push({
        identity: (time) => blocks[keys.length > 1 && time >= rotateAt ? 1 : 0],
        addresses: network(1 + Math.floor(random() * 4), `10.${a}`),
        userAgents: pickUserAgents(random, SDK_AGENTS, 1 + Math.floor(random() * 3)),
        repertoire: repertoire(),
      });
    }
    for (let i = 0; i < 30; i++) {
      const name = `${PEOPLE[i % PEOPLE.length]}.${Math.floor(i / PEOPLE.length) || ''}`.replace(/\.$/, '');
      const userId = `AIDA${code(random, 17)}`;
      const days = new Map();
      principals.push({
        identity: (time) => {
          const day = Math.floor((time - START) / 86_400_000);
          let block = days.get(day);
          if (!block) {
            const created = new Date(START + day * 86_400_000 + 8 * 3600_000)
              .toISOString()
              .replace('.000Z', 'Z');
            block = JSON.stringify({
              type: 'IAMUser',
              principalId: userId,
              arn: `arn:aws:iam::${id}:user/${name}`,
              accountId: id,
              accessKeyId: `ASIA${code(rng(hash32(`${id}:${name}:${day}`)), 16)}`,
              userName: name,
              sessionContext: {
                sessionIssuer: {},
                webIdFederationData: {},
                attributes: { creationDate: created, mfaAuthenticated: 'true' },
              },
            });
            days.set(day, block);
          }
          return block;
        },
        addresses: network(2 + Math.floor(random() * 6), `198.51`),
        userAgents: pickUserAgents(
          random,
          random() < 0.7 ? CONSOLE_AGENTS : [...CONSOLE_AGENTS, ...SDK_AGENTS, ...AGENT_AGENTS],
          2,
        ),
        repertoire: repertoire(),
      });
    }
    for (let i = 0; i < 150; i++) {
      const kind = ROLE_KINDS[i % ROLE_KINDS.length];
      const name = `${kind.prefix}-${SERVICES[(i * 7) % SERVICES.length]}-${i}`;
      const path = kind.path;
      const roleId = `AROA${code(random, 17)}`;
      const sessions = Array.from({ length: kind.sessions(random) }, (_, s) => kind.session(random, s));
      const blocks = new Map();
      principals.push({
        identity: (time, eventRandom) => {
          const session = sessions[Math.floor(eventRandom() * sessions.length)];
          const period = Math.floor((time - START) / kind.keyHours / 3600_000);
          const cacheKey = `${session}:${period}`;
          let block = blocks.get(cacheKey);
          if (!block) {
            const created = new Date(START + period * kind.keyHours * 3600_000)
              .toISOString()
              .replace('.000Z', 'Z');
            block = JSON.stringify({
              type: 'AssumedRole',
              principalId: `${roleId}:${session}`,
              arn: `arn:aws:sts::${id}:assumed-role/${name}/${session}`,
              accountId: id,
              accessKeyId: `ASIA${code(rng(hash32(`${id}:${name}:${cacheKey}`)), 16)}`,
              sessionContext: {
                sessionIssuer: {
                  type: 'Role',
                  principalId: roleId,
                  arn: `arn:aws:iam::${id}:role${path}${name}`,
                  accountId: id,
                  userName: name,
                },
                webIdFederationData:
                  kind.prefix === 'gha'
                    ? {
                        federatedProvider: `arn:aws:iam::${id}:oidc-provider/token.actions.githubusercontent.com`,
                        attributes: {},
                      }
                    : {},
                attributes: { creationDate: created, mfaAuthenticated: 'false' },
                ...(kind.prefix === 'ec2' ? { ec2RoleDelivery: '2.0' } : {}),
              },
            });
            blocks.set(cacheKey, block);
          }
          return block;
        },
        addresses:
          kind.prefix === 'lambda'
            ? network(40, '3.80')
            : network(1 + Math.floor(random() * 8), `10.${a + 10}`),
        userAgents: pickUserAgents(random, kind.agents, 1 + Math.floor(random() * 2)),
        repertoire: repertoire(),
      });
    }
    for (const service of [
      'lambda.amazonaws.com',
      'ec2.amazonaws.com',
      'cloudformation.amazonaws.com',
      'config.amazonaws.com',
      'autoscaling.amazonaws.com',
      'elasticloadbalancing.amazonaws.com',
    ]) {
      const block = JSON.stringify({ type: 'AWSService', invokedBy: service });
      principals.push({
        identity: () => block,
        addresses: [service],
        userAgents: [service],
        repertoire: repertoire(),
      });
    }
    const root = JSON.stringify({
      type: 'Root',
      principalId: id,
      arn: `arn:aws:iam::${id}:root`,
      accountId: id,
      accessKeyId: `ASIA${code(random, 16)}`,
    });
    principals.push({
      identity: () => root,
      addresses: network(1, '198.51'),
      userAgents: CONSOLE_AGENTS.slice(0, 1),
      repertoire: repertoire(),
    });
    // Zipf ranks: shuffle so that no kind of principal is systematically the busiest.
    for (let i = principals.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [principals[i], principals[j]] = [principals[j], principals[i]];
    }
    return { principals };
  });
  return { accounts };
}

const SERVICES = [
  'billing',
  'orders',
  'search',
  'etl',
  'reports',
  'backup',
  'deploy',
  'metrics',
  'ingest',
  'auth',
  'mailer',
  'ml',
];
const PEOPLE = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi', 'ivan', 'judy'];
const SDK_AGENTS = [
  'aws-cli/2.15.30 Python/3.11.8 Linux/6.1.79-99.167.amzn2023.x86_64 exe/x86_64.amzn.2023 prompt/off command/s3.ls',
  'Boto3/1.34.69 md/Botocore#1.34.69 ua/2.0 os/linux#5.10.213-201.855.amzn2.x86_64 md/arch#x86_64 lang/python#3.9.16 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.69',
  'aws-sdk-go-v2/1.26.1 os/linux lang/go#1.22.1 md/GOOS#linux md/GOARCH#amd64 api/sts#1.28.5',
  'aws-sdk-java/2.25.16 Linux/5.10.213-201.855.amzn2.x86_64 OpenJDK_64-Bit_Server_VM/17.0.10+7-LTS Java/17.0.10 vendor/Amazon.com_Inc. io/sync http/Apache cfg/retry-mode/legacy',
  'aws-sdk-js/3.540.0 ua/2.0 os/linux#5.10.213-201.855.amzn2.x86_64 lang/js md/nodejs#20.12.0 api/s3#3.540.0',
  'APN/1.0 HashiCorp/1.0 Terraform/1.7.5 (+https://www.terraform.io) terraform-provider-aws/5.43.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.26.1 os/linux lang/go#1.22.1 md/GOOS#linux md/GOARCH#amd64 api/ec2#1.152.0',
];
const CONSOLE_AGENTS = [
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/123.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:124.0) Gecko/20100101 Firefox/124.0',
  'AWS Internal',
];
const AGENT_AGENTS = [
  'Boto3/1.35.36 md/Botocore#1.35.36 ua/2.0 os/darwin#24.0.0 md/arch#arm64 lang/python#3.12.6 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.35.36 claude-cli/2.0.69 (external, cli)',
  'Boto3/1.35.36 md/Botocore#1.35.36 ua/2.0 os/linux#6.8.0 md/arch#x86_64 lang/python#3.12.6 md/pyimpl#CPython cfg/retry-mode#standard Botocore/1.35.36 strands-agents/0.1.6',
  'aws-sdk-js/3.658.1 ua/2.1 os/linux#6.1 lang/js md/nodejs#20.17.0 api/s3#3.658.1 m/E md/awslabs#mcp#s3-tables-mcp-server#0.0.5',
];
const ROLE_KINDS = [
  {
    prefix: 'ec2',
    path: '/app/',
    keyHours: 12,
    agents: SDK_AGENTS,
    sessions: (r) => 1 + Math.floor(r() * 12),
    session: (r) => `i-0${code(r, 16).toLowerCase()}`,
  },
  {
    prefix: 'lambda',
    path: '/service-role/',
    keyHours: 6,
    agents: SDK_AGENTS,
    sessions: () => 1,
    session: (r) => `fn-${code(r, 8).toLowerCase()}`,
  },
  {
    prefix: 'gha',
    path: '/ci/',
    keyHours: 12,
    agents: SDK_AGENTS,
    sessions: (r) => 2 + Math.floor(r() * 6),
    session: (r, s) => `GitHubActions-${1000 + s}`,
  },
  {
    prefix: 'sso',
    path: '/aws-reserved/sso.amazonaws.com/',
    keyHours: 12,
    agents: [...CONSOLE_AGENTS, ...AGENT_AGENTS],
    sessions: (r) => 1 + Math.floor(r() * 5),
    session: (r, s) => `${PEOPLE[s % PEOPLE.length]}@example.com`,
  },
];

function pickUserAgents(random, pool, count) {
  const picks = new Set();
  while (picks.size < Math.min(count, pool.length)) picks.add(pool[Math.floor(random() * pool.length)]);
  return [...picks];
}

/** A Zipf-distributed rank in [0, n): rank k with weight 1/(k+1)^s (inverse transform over a cached table). */
function zipf(random, n, s) {
  const key = `${n}:${s}`;
  let table = ZIPF_TABLES.get(key);
  if (!table) {
    table = new Float64Array(n);
    let sum = 0;
    for (let k = 0; k < n; k++) table[k] = sum += 1 / (k + 1) ** s;
    for (let k = 0; k < n; k++) table[k] /= sum;
    ZIPF_TABLES.set(key, table);
  }
  const u = random();
  let low = 0;
  let high = n - 1;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (table[middle] < u) low = middle + 1;
    else high = middle;
  }
  return low;
}
const ZIPF_TABLES = new Map();

/** mulberry32: a small seeded PRNG, so the corpus is reproducible. */
function rng(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function hash32(text) {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const code = (random, length) => Array.from({ length }, () => ALPHABET[Math.floor(random() * 32)]).join('');
const uniqueString = (random) => code(random, 16).replace(/[2-7]/g, (digit) => 'abcdef'[Number(digit) - 2]);

/** A version-4-looking UUID unique to event number `n` (its last group encodes `n`), so ids never collide. */
function eventId(n, random) {
  const hex = (count) => Array.from({ length: count }, () => Math.floor(random() * 16).toString(16)).join('');
  const unique = (n ^ 0x5a5a5a5a) >>> 0;
  return `${hex(8)}-${hex(4)}-4${hex(3)}-${'89ab'[Math.floor(random() * 4)]}${hex(3)}-${hex(4)}${unique.toString(16).padStart(8, '0')}`;
}

function uuid(random) {
  const hex = (count) => Array.from({ length: count }, () => Math.floor(random() * 16).toString(16)).join('');
  return `${hex(8)}-${hex(4)}-4${hex(3)}-${'89ab'[Math.floor(random() * 4)]}${hex(3)}-${hex(12)}`;
}
