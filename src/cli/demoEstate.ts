// The bundled demo estate (fixtures/demo): its files as scan source options, its API snapshots, and its date.
import fs from 'node:fs';
import path from 'node:path';
import type { PlannedSource } from '../connectors/contract.js';
import type { ScanRequest } from '../scan/service.js';
import { planSnapshotSources, readSnapshotManifest } from '../scan/snapshot.js';
import { SOURCES } from '../scan/sources.js';
import { PACKAGE_ROOT, parseSince } from './common.js';
import { inRegistryOrder, planSources } from './sourceOptions.js';

/** The bundled demo estate: a fictional company's estate, judged as of its own date. */
export const DEMO_DIR = path.join(PACKAGE_ROOT, 'fixtures', 'demo');

/** The demo's GitHub organization: a snapshot folder, as `agentaudit collect --github` writes one. */
export const DEMO_GITHUB_SNAPSHOT = path.join(DEMO_DIR, 'github');

/** The demo's SaaS tenants (Okta, OpenAI, Anthropic, Slack) and María's laptop, as `agentaudit collect` recorded them. */
export const DEMO_SAAS_LAPTOP_SNAPSHOT = path.join(DEMO_DIR, 'saas-laptop');

/** Every snapshot folder of the demo, replayed as `scan --from` would. */
const DEMO_SNAPSHOTS = [DEMO_GITHUB_SNAPSHOT, DEMO_SAAS_LAPTOP_SNAPSHOT];

/** The date the demo estate is judged as of (fixtures/demo/demo.json), so it reads the same next year. */
export function demoAsOf(dir: string = DEMO_DIR): string {
  return (JSON.parse(fs.readFileSync(path.join(dir, 'demo.json'), 'utf8')) as { asOf: string }).asOf;
}

/** The demo estate's input files as source option values, added to those the flags already give. */
export function withDemoSources(
  values: Readonly<Record<string, unknown>>,
  dir: string = DEMO_DIR,
): Record<string, unknown> {
  const add = (name: string, file: string): string[] => [
    ...((values[name] as string[] | undefined) ?? []),
    path.join(dir, file),
  ];
  return {
    ...values,
    awsAuthz: add('awsAuthz', 'aws/authorization-details.json'),
    awsCredentialReport: add('awsCredentialReport', 'aws/credential-report.csv'),
    cloudtrail: add('cloudtrail', 'cloudtrail'),
    people: add('people', 'people.csv'),
  };
}

/**
 * Every source of the demo estate with those the flags add: its files, and its GitHub organization, SaaS tenants and
 * laptop replayed from their snapshots (no network, no token), in registry order. A recorded source of a kind the
 * flags or `others` (sources replayed with --from) also give is left out: `--demo --local` audits your own laptop
 * beside the demo's organization instead of María's.
 */
export function planDemoSources(
  values: Readonly<Record<string, unknown>>,
  env: Readonly<Record<string, string | undefined>> = process.env,
  others: readonly PlannedSource[] = [],
): PlannedSource[] {
  const given = new Set(
    [...planSources(values, env, { allowNone: true }), ...others].map((source) => source.id),
  );
  const replayed = DEMO_SNAPSHOTS.flatMap((dir) =>
    planSnapshotSources(dir, readSnapshotManifest(dir), SOURCES, env),
  ).filter((source) => !given.has(source.id));
  return inRegistryOrder([...planSources(withDemoSources(values), env), ...replayed]);
}

/** A whole scan request for the demo estate into `dbPath` (used by `triage --demo` and tests). */
export function demoScanRequest(dbPath: string, overrides: Partial<ScanRequest> = {}): ScanRequest {
  const asOf = demoAsOf();
  return {
    dbPath,
    asOf,
    since: parseSince(undefined, asOf),
    sources: planDemoSources({}),
    rulesDirs: [],
    config: {},
    baseline: null,
    ...overrides,
  };
}
