// The bundled demo estate (fixtures/demo): its files as scan source options, and the date it is judged as of.
import fs from 'node:fs';
import path from 'node:path';
import type { ScanRequest } from '../scan/service.js';
import { PACKAGE_ROOT, parseSince } from './common.js';
import { planSources } from './sourceOptions.js';

/** The bundled demo estate: a fictional company's estate, judged as of its own date. */
export const DEMO_DIR = path.join(PACKAGE_ROOT, 'fixtures', 'demo');

/** The date the demo estate is judged as of (fixtures/demo/demo.json), so it reads the same next year. */
export function demoAsOf(dir: string = DEMO_DIR): string {
  return (JSON.parse(fs.readFileSync(path.join(dir, 'demo.json'), 'utf8')) as { asOf: string }).asOf;
}

/** The demo estate's inputs as source option values, added to those the flags already give. */
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
    // The demo's GitHub organization, replayed from its recorded responses (no network, no token).
    github: [...((values.github as string[] | undefined) ?? []), 'northwind-robotics'],
    githubSnapshot: path.join(dir, 'github'),
    githubApiUrl: 'https://api.github.com',
  };
}

/** A whole scan request for the demo estate into `dbPath` (used by `triage --demo` and tests). */
export function demoScanRequest(dbPath: string, overrides: Partial<ScanRequest> = {}): ScanRequest {
  const asOf = demoAsOf();
  return {
    dbPath,
    asOf,
    since: parseSince(undefined, asOf),
    sources: planSources(withDemoSources({})),
    rulesDirs: [],
    config: {},
    baseline: null,
    ...overrides,
  };
}
