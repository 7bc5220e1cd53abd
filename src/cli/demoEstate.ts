// The bundled demo estate (fixtures/demo): its files as scan source options, its GitHub snapshot, and its date.
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
 * Every source of the demo estate with those the flags add: its files, and its GitHub organization replayed from
 * its snapshot (no network, no token), in registry order.
 */
export function planDemoSources(
  values: Readonly<Record<string, unknown>>,
  env: Readonly<Record<string, string | undefined>> = process.env,
): PlannedSource[] {
  const github = planSnapshotSources(
    DEMO_GITHUB_SNAPSHOT,
    readSnapshotManifest(DEMO_GITHUB_SNAPSHOT),
    SOURCES,
    env,
  );
  return inRegistryOrder([...planSources(withDemoSources(values), env), ...github]);
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
