// Pure parsing of a people directory export (CSV with a header, a JSON array, or Okta's users API) into Person rows.
import { parse as parseCsv } from 'csv-parse/sync';
import { personId } from '../../model/ids.js';
import type { Person } from '../../model/types.js';

/** People read from one directory file, and the rows that could not be used (each with a message). */
export interface DirectoryParse {
  people: Person[];
  problems: string[];
}

/** Directory statuses that mean the person has left or lost access (compared lower-case). */
const DEPARTED_STATUSES = new Set([
  'departed',
  'suspended',
  'deprovisioned',
  'terminated',
  'inactive',
  'left',
  'disabled',
  'deactivated',
  'deleted',
]);

/**
 * Statuses that mean the person is still with the organization. Besides `active`, Okta's lifecycle states
 * of a person who has not left: STAGED, PROVISIONED (not yet activated), RECOVERY, PASSWORD_EXPIRED, LOCKED_OUT.
 */
const ACTIVE_STATUSES = new Set([
  'active',
  'staged',
  'provisioned',
  'recovery',
  'password_expired',
  'locked_out',
]);

/**
 * A person's status from a directory value: blank → active, the departed words (`suspended`,
 * `deprovisioned`, `terminated`, `inactive`, `left`…) → departed, anything unrecognized → unknown.
 */
export function personStatus(value: unknown): Person['status'] {
  if (value === undefined || value === null) return 'active';
  if (typeof value === 'boolean') return value ? 'active' : 'departed';
  const status = String(value).trim().toLowerCase();
  if (status === '' || ACTIVE_STATUSES.has(status)) return 'active';
  if (DEPARTED_STATUSES.has(status)) return 'departed';
  return 'unknown';
}

/** Column names (case-insensitive, `-`, `_` and spaces ignored) for each field, first present wins. */
const EMAIL_KEYS = ['email', 'mail', 'emailaddress', 'primaryemail'];
const LOGIN_KEYS = ['login', 'username', 'user', 'userprincipalname'];
const NAME_KEYS = ['name', 'fullname', 'displayname'];

/** Parses a CSV directory export with a header row: `email` (or `login`/`username`), `name`, `status`. */
export function parseDirectoryCsv(text: string, source: string): DirectoryParse {
  let rows: Record<string, string>[];
  let columns: string[] = [];
  try {
    rows = parseCsv(text, {
      columns: (header: string[]) => (columns = header.map((column) => column.trim())),
      skip_empty_lines: true,
      trim: true,
      bom: true,
    }) as Record<string, string>[];
  } catch (error) {
    return { people: [], problems: [`invalid CSV: ${(error as Error).message}`] };
  }
  if (!columns.some((column) => [...EMAIL_KEYS, ...LOGIN_KEYS].includes(canonical(column)))) {
    return {
      people: [],
      problems: [`CSV missing required column email (or login/username); found: ${columns.join(', ')}`],
    };
  }
  // Line numbers count the header as line 1.
  return collect(
    rows.map((row, index) => ({ where: `line ${index + 2}`, record: row })),
    source,
  );
}

/** Parses a JSON directory export: an array of `{email|login|username, name, status}` or Okta `/api/v1/users` objects. */
export function parseDirectoryJson(value: unknown, source: string): DirectoryParse {
  const list = Array.isArray(value)
    ? value
    : isObject(value) && Array.isArray(value['users'])
      ? value['users']
      : isObject(value) && Array.isArray(value['people'])
        ? value['people']
        : null;
  if (list === null) return { people: [], problems: ['expected a JSON array of people (or Okta users)'] };
  return collect(
    list.map((item, index) => ({
      where: `item ${index + 1}`,
      record: isObject(item) ? flattenOkta(item) : null,
    })),
    source,
  );
}

/** Okta's user object keeps identity fields under `profile`; lift them beside `status`. */
function flattenOkta(item: Record<string, unknown>): Record<string, unknown> {
  const profile = item['profile'];
  if (!isObject(profile)) return item;
  const name =
    profile['displayName'] ??
    ([profile['firstName'], profile['lastName']]
      .filter((part) => typeof part === 'string' && part)
      .join(' ') ||
      undefined);
  return { ...item, ...profile, name, status: item['status'] };
}

/** Person rows from records, first occurrence of each person id kept. */
function collect(
  entries: { where: string; record: Record<string, unknown> | null }[],
  source: string,
): DirectoryParse {
  const people: Person[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const { where, record } of entries) {
    if (record === null) {
      problems.push(`${where}: not an object`);
      continue;
    }
    const email = text(pick(record, EMAIL_KEYS));
    const login = text(pick(record, LOGIN_KEYS));
    const key = email ?? login;
    if (key === null) {
      problems.push(`${where}: no email, login or username`);
      continue;
    }
    const id = personId(key);
    if (seen.has(id)) continue;
    seen.add(id);
    people.push({
      id,
      name: text(pick(record, NAME_KEYS)) ?? joinedName(record),
      email: email ?? (login && login.includes('@') ? login : null),
      status: departedFlag(record) ? 'departed' : personStatus(pick(record, ['status', 'state'])),
      source,
    });
  }
  return { people, problems };
}

/** SCIM's `active: false` and Google Workspace's `suspended: true` mean departed whatever the status says. */
function departedFlag(record: Record<string, unknown>): boolean {
  const active = pick(record, ['active']);
  const suspended = pick(record, ['suspended']);
  return active === false || active === 'false' || suspended === true || suspended === 'true';
}

function joinedName(record: Record<string, unknown>): string | null {
  const parts = [
    text(pick(record, ['firstname', 'givenname'])),
    text(pick(record, ['lastname', 'familyname', 'surname'])),
  ];
  const joined = parts.filter(Boolean).join(' ');
  return joined === '' ? null : joined;
}

/** The value of the first of `keys` present in `record`, keys compared canonically. */
function pick(record: Record<string, unknown>, keys: string[]): unknown {
  const byKey = new Map(Object.entries(record).map(([key, value]) => [canonical(key), value]));
  for (const key of keys) if (byKey.has(key) && byKey.get(key) !== '') return byKey.get(key);
  return undefined;
}

function canonical(key: string): string {
  return key.toLowerCase().replace(/[-_\s]/g, '');
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
