// Recognizes authorization-details documents (CLI/SDK output, raw API, paged, AirIAM) and merges their pages.
import type { InputError } from '../../../model/types.js';
import { decodeCredentialReportValue, type CredentialReportRow } from './credentialReport.js';
import { isRecord, recordList, stringField, type RawRecord } from './rawValues.js';

/** An entity of an export with the file it came from, so errors can name the file. */
export interface SourcedRecord {
  file: string;
  record: RawRecord;
}

/** Credential report rows found inside an authorization-details file (AirIAM's `CredentialReport`). */
export interface SourcedReportRows {
  file: string;
  rows: CredentialReportRow[];
}

/** Every page of every authorization-details file, merged. */
export interface AuthorizationDetails {
  users: SourcedRecord[];
  roles: SourcedRecord[];
  groups: SourcedRecord[];
  policies: SourcedRecord[];
  embeddedReports: SourcedReportRows[];
}

/** Merged details with nothing in them yet. */
export function emptyAuthorizationDetails(): AuthorizationDetails {
  return { users: [], roles: [], groups: [], policies: [], embeddedReports: [] };
}

/** Where each entity list lives: the API's names first, then AirIAM's. */
const LIST_KEYS = {
  users: ['UserDetailList', 'AccountUsers'],
  roles: ['RoleDetailList', 'AccountRoles'],
  groups: ['GroupDetailList', 'AccountGroups'],
  policies: ['Policies', 'AccountPolicies'],
} as const;

/**
 * Adds one parsed JSON document of `file` to `details`: a page (an object with UserDetailList,
 * RoleDetailList, GroupDetailList or Policies), AirIAM's layout (AccountUsers, AccountRoles, AccountGroups,
 * AccountPolicies, CredentialReport), the raw Query API's `GetAccountAuthorizationDetailsResponse`
 * wrapper, or an array of pages. Returns the problems found, each a message for this file.
 */
export function addAuthorizationDocument(
  details: AuthorizationDetails,
  file: string,
  document: unknown,
): string[] {
  if (Array.isArray(document)) {
    if (document.length === 0) return ['the JSON array is empty, expected authorization-details pages'];
    return document.flatMap((page, index) =>
      addPage(details, file, page).map((message) => `page ${index + 1}: ${message}`),
    );
  }
  return addPage(details, file, document);
}

function addPage(details: AuthorizationDetails, file: string, value: unknown): string[] {
  const page = unwrapApiResponse(value);
  if (!isRecord(page)) return ['not an authorization-details document: expected a JSON object'];
  const recognized = Object.values(LIST_KEYS).some((keys) => keys.some((key) => key in page));
  if (!recognized) {
    if ('Content' in page && 'ReportFormat' in page) {
      return ['this is a credential report, not authorization details: pass it as a credential report file'];
    }
    return [
      "not an authorization-details document: none of UserDetailList, RoleDetailList, GroupDetailList, Policies (or AirIAM's AccountUsers, AccountRoles, AccountGroups, AccountPolicies) is present",
    ];
  }
  for (const [list, keys] of Object.entries(LIST_KEYS) as [keyof typeof LIST_KEYS, readonly string[]][]) {
    for (const key of keys) for (const record of recordList(page, key)) details[list].push({ file, record });
  }
  const problems: string[] = [];
  if ('CredentialReport' in page) {
    const report = decodeCredentialReportValue({ CredentialReport: page['CredentialReport'] });
    if (report.ok) details.embeddedReports.push({ file, rows: report.rows });
    else problems.push(`CredentialReport: ${report.message}`);
  }
  return problems;
}

/** The result inside the raw Query API's JSON envelope, or the value itself. */
function unwrapApiResponse(value: unknown): unknown {
  let current = value;
  for (const key of ['GetAccountAuthorizationDetailsResponse', 'GetAccountAuthorizationDetailsResult']) {
    if (isRecord(current) && isRecord(current[key])) current = current[key];
  }
  return current;
}

/**
 * Records with an `Arn`, first occurrence of each ARN only (pages and files may overlap).
 * A record without an ARN cannot be named in the model: it is reported, not dropped silently.
 */
export function uniqueByArn(
  records: SourcedRecord[],
  kind: string,
  nameKey: string,
  errors: InputError[],
): SourcedRecord[] {
  const seen = new Set<string>();
  return records.filter(({ file, record }) => {
    const arn = stringField(record, 'Arn');
    if (arn === null) {
      const name = stringField(record, nameKey);
      errors.push({ file, message: `a ${kind} without an Arn${name ? ` ("${name}")` : ''} was skipped` });
      return false;
    }
    if (seen.has(arn)) return false;
    seen.add(arn);
    return true;
  });
}
