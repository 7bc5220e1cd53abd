// The bundled demo estate (fixtures/demo) as a fake AWS account: its IAM exports, access keys, and its trail's objects and events.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { parse as parseCsv } from 'csv-parse/sync';
import type { FakeAccessKey, FakeAwsEstate } from './fakeAws.js';

/** The demo estate's folder. */
export const DEMO_DIR = fileURLToPath(new URL('../../../fixtures/demo/', import.meta.url));
/** The date the demo is judged as of (fixtures/demo/demo.json). */
export const DEMO_AS_OF = '2026-10-30T12:00:00Z';
export const DEMO_AUTHZ_FILE = path.join(DEMO_DIR, 'aws', 'authorization-details.json');
export const DEMO_REPORT_FILE = path.join(DEMO_DIR, 'aws', 'credential-report.csv');
export const DEMO_TRAIL_DIR = path.join(DEMO_DIR, 'cloudtrail');
export const DEMO_BUCKET = 'northwind-trail';

/**
 * The key ids behind the report's slots. Three are the ids the demo's CloudTrail events carry (see
 * scripts/generate-demo.js); legacy-backup's keys never appear in the logs, so their ids are made up here.
 */
export const DEMO_KEY_IDS: Readonly<Record<string, readonly string[]>> = {
  'github-actions-deploy': ['AKIANWRDDEPLOYKEY001'],
  'maria.gonzalez': ['AKIANWRDMARIAGKEY002'],
  'ci-artifacts': ['AKIANWRDARTIFACTS003'],
  'legacy-backup': ['AKIANWRDLEGACYBKP004', 'AKIANWRDLEGACYBKP005'],
};

const present = (value: string | undefined): value is string => value !== undefined && value !== 'N/A';

/** ListAccessKeys / GetAccessKeyLastUsed answers consistent with the credential report (creation = last_rotated). */
export function demoAccessKeys(csv: string): Record<string, FakeAccessKey[]> {
  const rows = parseCsv(csv, { columns: true }) as Record<string, string>[];
  const keys: Record<string, FakeAccessKey[]> = {};
  for (const row of rows) {
    const user = row['user'] as string;
    if (user === '<root_account>') continue;
    keys[user] = [];
    for (const slot of [1, 2]) {
      const created = row[`access_key_${slot}_last_rotated`];
      const id = DEMO_KEY_IDS[user]?.[slot - 1];
      if (!present(created) || !id) continue;
      const usedAt = row[`access_key_${slot}_last_used_date`];
      keys[user].push({
        AccessKeyId: id,
        Status: row[`access_key_${slot}_active`] === 'true' ? 'Active' : 'Inactive',
        CreateDate: created,
        LastUsed: present(usedAt)
          ? {
              LastUsedDate: usedAt,
              ServiceName: row[`access_key_${slot}_last_used_service`] as string,
              Region: row[`access_key_${slot}_last_used_region`] as string,
            }
          : { ServiceName: 'N/A', Region: 'N/A' },
      });
    }
  }
  return keys;
}

/** The demo account as a fake AWS estate (no trail bucket, no LookupEvents unless added). */
export function demoEstate(): FakeAwsEstate {
  const csv = fs.readFileSync(DEMO_REPORT_FILE, 'utf8');
  return {
    authorizationDetails: JSON.parse(fs.readFileSync(DEMO_AUTHZ_FILE, 'utf8')) as Record<string, unknown[]>,
    credentialReportCsv: csv,
    accessKeys: demoAccessKeys(csv),
    oidcProviders: [
      {
        Arn: 'arn:aws:iam::210987654321:oidc-provider/token.actions.githubusercontent.com',
        Url: 'token.actions.githubusercontent.com',
        ClientIDList: ['sts.amazonaws.com'],
        ThumbprintList: ['6938fd4d98bab03faadb97b34396831e3780aea1'],
        CreateDate: '2024-03-01T10:00:00Z',
      },
    ],
    samlProviders: [
      {
        Arn: 'arn:aws:iam::210987654321:saml-provider/AWSSSO_4e1a7c2b9d3f5a60_DO_NOT_DELETE',
        CreateDate: '2023-02-01T09:00:00Z',
        ValidUntil: '2123-02-01T09:00:00Z',
      },
    ],
  };
}

/** Every file of the demo trail folder as S3 objects keyed by their path under it (`AWSLogs/…`). */
export function demoTrailObjects(): Record<string, Buffer> {
  const objects: Record<string, Buffer> = {};
  const walk = (folder: string): void => {
    for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) walk(full);
      else objects[path.relative(DEMO_TRAIL_DIR, full).split(path.sep).join('/')] = fs.readFileSync(full);
    }
  };
  walk(DEMO_TRAIL_DIR);
  return objects;
}

/** The events of the demo trail files whose key contains `fragment` (e.g. one region and day). */
export function demoTrailEvents(fragment: string): Record<string, unknown>[] {
  const events: Record<string, unknown>[] = [];
  for (const [key, bytes] of Object.entries(demoTrailObjects())) {
    if (!key.includes('/CloudTrail/') || !key.includes(fragment)) continue;
    const text = gunzipSync(bytes).toString('utf8');
    events.push(...(JSON.parse(text) as { Records: Record<string, unknown>[] }).Records);
  }
  return events;
}
