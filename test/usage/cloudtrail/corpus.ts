// Builds CloudTrail inputs for the tests in temporary folders, from the real events under fixtures/cloudtrail/.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

/** A CloudTrail event as JSON. */
export type CloudTrailEvent = Record<string, unknown> & { eventID?: string; eventName?: string };

/** The folder of the real CloudTrail fixtures. */
export const FIXTURES = fileURLToPath(new URL('../../../fixtures/cloudtrail/', import.meta.url));

/** Path of a fixture file, e.g. `fixture('otrf', 'ec2_proxy….json')`. */
export const fixture = (corpus: string, file: string): string => join(FIXTURES, corpus, file);

/** The events of a fixture file, whatever its shape (array, single object, one event per line). */
export function fixtureEvents(corpus: string, file: string): CloudTrailEvent[] {
  const text = readFileSync(fixture(corpus, file), 'utf8');
  try {
    const value = JSON.parse(text) as CloudTrailEvent | CloudTrailEvent[];
    return Array.isArray(value) ? value : [value];
  } catch {
    return text
      .split('\n')
      .filter((line) => line.trim())
      .map((line) => JSON.parse(line) as CloudTrailEvent);
  }
}

/** A fresh temporary folder and a function that removes it. */
export function temporaryFolder(): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), 'agentaudit-cloudtrail-'));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** Writes `{"Records": events}` gzipped where CloudTrail delivers it in S3; returns the file's path. */
export function writeS3Delivery(
  root: string,
  options: { account: string; region: string; day: string; name: string },
  events: readonly CloudTrailEvent[],
): string {
  const folder = join(
    root,
    'AWSLogs',
    options.account,
    'CloudTrail',
    options.region,
    ...options.day.split('-'),
  );
  mkdirSync(folder, { recursive: true });
  const path = join(folder, `${options.account}_CloudTrail_${options.region}_${options.name}.json.gz`);
  writeFileSync(path, gzipSync(JSON.stringify({ Records: events })));
  return path;
}

/** Writes a file (creating its folder); returns its path. */
export function writeFile(root: string, relativePath: string, content: string | Buffer): string {
  const path = join(root, relativePath);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, content);
  return path;
}

/** All the fixture events used by the tests, by corpus. */
export const stratus = {
  stealInstanceCredentials: () =>
    fixtureEvents('stratus-detonation-logs', 'aws.credential-access.ec2-steal-instance-credentials.json'),
  ssmParameters: () =>
    fixtureEvents(
      'stratus-detonation-logs',
      'aws.credential-access.ssm-retrieve-securestring-parameters.json',
    ),
  federationToken: () =>
    fixtureEvents('stratus-detonation-logs', 'aws.persistence.sts-federation-token.json'),
  consoleLogin: () =>
    fixtureEvents('stratus-detonation-logs', 'aws.initial-access.console-login-without-mfa.json'),
  bedrock: () => fixtureEvents('stratus-detonation-logs', 'aws.impact.bedrock-invoke-model.json'),
};

/** The OTRF Logstash export: 103 events, one per line, `@timestamp` instead of `eventTime`. */
export const OTRF_FILE = fixture('otrf', 'ec2_proxy_s3_exfiltration_2020-09-14011940.json');
