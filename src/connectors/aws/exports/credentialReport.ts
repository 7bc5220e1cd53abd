// Decodes the IAM credential report in each form it is exported (CSV, base64, CLI JSON, AirIAM rows) and turns rows into credentials.
import { parse as parseCsv } from 'csv-parse/sync';
import { awsAccessKeySlotId, awsPasswordId } from '../../../model/ids.js';
import type { Credential, JsonObject } from '../../../model/types.js';
import { isNoValue, latestDate, toIsoUtc } from './isoDate.js';
import { parseJsonDocuments } from './jsonText.js';
import { isRecord } from './rawValues.js';

/** One row of the report: column name → value, with `N/A`, `not_supported` and `no_information` read as null. */
export type CredentialReportRow = Record<string, string | null>;

/** The rows of a report, or why it could not be read. */
export type DecodedCredentialReport =
  { ok: true; rows: CredentialReportRow[] } | { ok: false; message: string };

/** The `user` value of the account's root row. */
export const ROOT_ACCOUNT_USER = '<root_account>';

/** Columns every credential report has had since the report exists; a CSV without them is something else. */
const REQUIRED_COLUMNS = [
  'user',
  'arn',
  'user_creation_time',
  'password_enabled',
  'mfa_active',
  'access_key_1_active',
  'access_key_2_active',
] as const;

/**
 * Reads a credential report from a file's text in any of its exported forms: the raw CSV, the base64 text
 * the API returns, the CLI's JSON `{"Content": <base64 or CSV>, "ReportFormat", "GeneratedTime"}`, or
 * AirIAM's `CredentialReport` array of row objects (bare, or inside its `iam_data.json`).
 */
export function decodeCredentialReportText(text: string): DecodedCredentialReport {
  const source = (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).trim();
  if (source === '') return { ok: false, message: 'the file is empty, expected a credential report' };
  if (source.startsWith('{') || source.startsWith('[')) {
    const parsed = parseJsonDocuments(source);
    if (!parsed.ok) return parsed;
    const rows: CredentialReportRow[] = [];
    for (const document of parsed.documents) {
      const decoded = decodeCredentialReportValue(document);
      if (!decoded.ok) return decoded;
      rows.push(...decoded.rows);
    }
    return { ok: true, rows };
  }
  return decodeCsvOrBase64(source);
}

/** Reads a credential report already parsed from JSON: `{Content}`, `{CredentialReport: [...]}` or an array of rows. */
export function decodeCredentialReportValue(value: unknown): DecodedCredentialReport {
  if (Array.isArray(value)) return rowsFromObjects(value);
  if (!isRecord(value))
    return { ok: false, message: 'not a credential report: expected a JSON object or array' };
  if (Array.isArray(value['CredentialReport'])) return rowsFromObjects(value['CredentialReport']);
  const content = value['Content'];
  if (typeof content === 'string') {
    const format = value['ReportFormat'];
    if (typeof format === 'string' && format !== 'text/csv') {
      return { ok: false, message: `unsupported ReportFormat "${format}" (expected text/csv)` };
    }
    return decodeCsvOrBase64(content.trim());
  }
  return {
    ok: false,
    message:
      'not a credential report: expected a "Content" field (aws iam get-credential-report) or a "CredentialReport" array',
  };
}

/** Raw CSV (starts with the `user` header) or base64 of it. */
function decodeCsvOrBase64(text: string): DecodedCredentialReport {
  if (/^\s*"?user"?\s*,/i.test(text)) return rowsFromCsv(text);
  const compact = text.replace(/\s+/g, '');
  if (compact.length > 0 && compact.length % 4 === 0 && /^[A-Za-z0-9+/]+={0,2}$/.test(compact)) {
    const decoded = Buffer.from(compact, 'base64').toString('utf8');
    if (/^\s*"?user"?\s*,/i.test(decoded)) return rowsFromCsv(decoded);
    return {
      ok: false,
      message: 'unknown base64 content: it does not decode to a credential report CSV (header "user,arn,…")',
    };
  }
  return {
    ok: false,
    message:
      'not a credential report: expected CSV with the header "user,arn,…", its base64, or the JSON of aws iam get-credential-report',
  };
}

function rowsFromCsv(csv: string): DecodedCredentialReport {
  let records: Record<string, unknown>[];
  let columns: string[] = [];
  try {
    records = parseCsv(csv, {
      columns: (header: string[]) => (columns = header.map((name) => name.trim().toLowerCase())),
      skip_empty_lines: true,
      trim: true,
      bom: true,
    }) as Record<string, unknown>[];
  } catch (error) {
    return { ok: false, message: `invalid CSV: ${(error as Error).message}` };
  }
  const missing = REQUIRED_COLUMNS.filter((column) => !columns.includes(column));
  if (missing.length > 0)
    return { ok: false, message: `CSV missing required columns: ${missing.join(', ')}` };
  return { ok: true, rows: records.map(normalizeRow) };
}

function rowsFromObjects(items: unknown[]): DecodedCredentialReport {
  const rows: CredentialReportRow[] = [];
  for (const [index, item] of items.entries()) {
    if (!isRecord(item) || typeof item['arn'] !== 'string' || typeof item['user'] !== 'string') {
      return { ok: false, message: `credential report row ${index + 1} has no "user" and "arn"` };
    }
    rows.push(normalizeRow(item));
  }
  return { ok: true, rows };
}

/** Column names lower-cased; placeholders and empty values → null; booleans and numbers → their text. */
function normalizeRow(record: Record<string, unknown>): CredentialReportRow {
  const row: CredentialReportRow = {};
  for (const [key, value] of Object.entries(record)) {
    const text =
      typeof value === 'string'
        ? value
        : typeof value === 'boolean' || typeof value === 'number'
          ? String(value)
          : null;
    row[key.trim().toLowerCase()] = text === null || isNoValue(text) ? null : text;
  }
  return row;
}

/** `true`/`false` of a report column; null when the report does not know (`not_supported`, missing). */
export function reportFlag(row: CredentialReportRow, column: string): boolean | null {
  const value = row[column]?.toLowerCase();
  return value === 'true' ? true : value === 'false' ? false : null;
}

/** What a row says about its user as a whole (for the identity, not a single credential). */
export interface ReportUserFacts {
  createdAt: string | null;
  passwordEnabled: boolean | null;
  passwordLastUsed: string | null;
  passwordLastChanged: string | null;
  mfaActive: boolean | null;
  /** Latest of password_last_used and both access keys' last_used_date. */
  lastUsedAt: string | null;
}

/** The identity-level facts of one report row. */
export function userFactsOfRow(row: CredentialReportRow): ReportUserFacts {
  const passwordLastUsed = toIsoUtc(row['password_last_used']);
  return {
    createdAt: toIsoUtc(row['user_creation_time']),
    passwordEnabled: reportFlag(row, 'password_enabled'),
    passwordLastUsed,
    passwordLastChanged: toIsoUtc(row['password_last_changed']),
    mfaActive: reportFlag(row, 'mfa_active'),
    lastUsedAt: latestDate([
      passwordLastUsed,
      toIsoUtc(row['access_key_1_last_used_date']),
      toIsoUtc(row['access_key_2_last_used_date']),
    ]),
  };
}

/**
 * Credential id of an X.509 signing certificate known only by its slot (1 or 2) in the credential report.
 * Kept here rather than in model/ids.ts until another connector needs it.
 */
export const awsSigningCertificateSlotId = (userArn: string, slot: 1 | 2): string =>
  `aws:x509-certificate:${userArn}#${slot}`;

/**
 * The credentials one report row shows: an `aws-access-key` per slot that holds a key (last_rotated known
 * or the key active), a `console-password` when password_enabled is true, and an `x509-certificate` per
 * active certificate. The report has no key ids, so keyId is null and ids are by slot.
 */
export function credentialsOfRow(
  row: CredentialReportRow,
  identityId: string,
  userArn: string,
): Credential[] {
  const credentials: Credential[] = [];
  for (const slot of [1, 2] as const) {
    const lastRotated = toIsoUtc(row[`access_key_${slot}_last_rotated`]);
    const active = reportFlag(row, `access_key_${slot}_active`);
    if (lastRotated === null && active !== true) continue;
    credentials.push(
      credential(awsAccessKeySlotId(userArn, slot), identityId, 'aws-access-key', {
        createdAt: lastRotated,
        lastRotatedAt: lastRotated,
        lastUsedAt: toIsoUtc(row[`access_key_${slot}_last_used_date`]),
        status: active ? 'active' : 'inactive',
        attributes: {
          slot,
          last_used_region: row[`access_key_${slot}_last_used_region`] ?? null,
          last_used_service: row[`access_key_${slot}_last_used_service`] ?? null,
        },
      }),
    );
  }
  if (reportFlag(row, 'password_enabled') === true) {
    credentials.push(
      credential(awsPasswordId(userArn), identityId, 'console-password', {
        createdAt: null,
        lastRotatedAt: toIsoUtc(row['password_last_changed']),
        lastUsedAt: toIsoUtc(row['password_last_used']),
        status: 'active',
        attributes: { mfa_active: reportFlag(row, 'mfa_active') },
      }),
    );
  }
  for (const slot of [1, 2] as const) {
    if (reportFlag(row, `cert_${slot}_active`) !== true) continue;
    const lastRotated = toIsoUtc(row[`cert_${slot}_last_rotated`]);
    credentials.push(
      credential(awsSigningCertificateSlotId(userArn, slot), identityId, 'x509-certificate', {
        createdAt: lastRotated,
        lastRotatedAt: lastRotated,
        lastUsedAt: null,
        status: 'active',
        attributes: { slot },
      }),
    );
  }
  return credentials;
}

/** A console password known only from an authorization-details export (AirIAM's LoginProfileExists): no dates. */
export function consolePasswordWithoutReport(identityId: string, userArn: string): Credential {
  return credential(awsPasswordId(userArn), identityId, 'console-password', {
    createdAt: null,
    lastRotatedAt: null,
    lastUsedAt: null,
    status: 'active',
    attributes: { mfa_active: null },
  });
}

function credential(
  id: string,
  identityId: string,
  kind: string,
  facts: Pick<Credential, 'createdAt' | 'lastRotatedAt' | 'lastUsedAt' | 'status'> & {
    attributes: JsonObject;
  },
): Credential {
  return {
    id,
    identityId,
    kind,
    keyId: null,
    expiresAt: null,
    scopes: [],
    fingerprint: null,
    hint: null,
    ...facts,
  };
}
