// Reads an import file (JSON or CSV) into model rows; each bad row is an error naming the file and its line.
import { readFile } from 'node:fs/promises';
import { parse as parseCsv } from 'csv-parse/sync';
import { LineCounter, parseDocument, type Node } from 'yaml';
import { errorMessage } from '../../errors/errors.js';
import type { Credential, Grant, Identity, InputError, Inventory } from '../../model/types.js';
import { redactSecrets } from '../../report/redact.js';
import { ajv, type ErrorObject } from '../../rules/ajv.js';
import {
  CSV_COLUMNS,
  IMPORT_IDENTITY_SCHEMA,
  type ImportCredentialRow,
  type ImportIdentityRow,
} from './schema.js';

/** What one import file contributed. */
export interface ImportFileResult {
  inventory: Pick<Inventory, 'identities' | 'credentials' | 'grants'>;
  errors: InputError[];
  rows: number;
}

const validateIdentity = ajv.compile<ImportIdentityRow>(IMPORT_IDENTITY_SCHEMA);

/** A row as read, with the line it starts on. */
interface LocatedRow {
  line: number;
  row: unknown;
  /** Line of a field inside the row (JSON only), for errors that point at the field. */
  lineOf?: (path: (string | number)[]) => number;
}

/**
 * Reads an import file. JSON is `{"identities": [...]}` or a bare array of identity rows; CSV has a header of the
 * documented columns and one row per credential (rows of the same identity merge). Never throws for bad input:
 * every rejected row is an error `file:line`, and the other rows are kept.
 */
export async function readImportFile(file: string): Promise<ImportFileResult> {
  const empty: ImportFileResult = {
    inventory: { identities: [], credentials: [], grants: [] },
    errors: [],
    rows: 0,
  };
  let text: string;
  try {
    text = (await readFile(file, 'utf8')).replace(/^\uFEFF/, '');
  } catch (error) {
    return { ...empty, errors: [{ file, message: `cannot read the file: ${errorMessage(error)}` }] };
  }
  if (text.trim() === '') return { ...empty, errors: [{ file, message: 'the file is empty' }] };
  const located = /^\s*[[{]/.test(text) ? jsonRows(file, text) : csvRows(file, text);
  if ('error' in located) return { ...empty, errors: [located.error] };
  return buildInventory(file, located.rows, located.errors);
}

function jsonRows(
  file: string,
  text: string,
): { rows: LocatedRow[]; errors: InputError[] } | { error: InputError } {
  try {
    JSON.parse(text);
  } catch (error) {
    return { error: { file, message: `invalid JSON: ${errorMessage(error)}` } };
  }
  // JSON is YAML: the YAML parser keeps each node's position, so errors can name lines.
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, uniqueKeys: false });
  const value = document.toJS() as unknown;
  const prefix: (string | number)[] = Array.isArray(value) ? [] : ['identities'];
  const list = Array.isArray(value) ? value : (value as { identities?: unknown }).identities;
  if (!Array.isArray(list)) {
    return { error: { file, message: 'expected {"identities": [...]} or an array of identities' } };
  }
  const lineOf = (path: (string | number)[]): number => {
    for (let length = path.length; length >= 0; length -= 1) {
      const node = document.getIn([...prefix, ...path.slice(0, length)], true) as Node | undefined;
      if (node?.range) return lines.linePos(node.range[0]).line;
    }
    return 1;
  };
  return {
    rows: list.map((row, index) => ({
      row,
      line: lineOf([index]),
      lineOf: (path) => lineOf([index, ...path]),
    })),
    errors: [],
  };
}

const BOOLEAN = /^(true|false|yes|no|1|0|)$/i;

function csvRows(
  file: string,
  text: string,
): { rows: LocatedRow[]; errors: InputError[] } | { error: InputError } {
  let records: { record: Record<string, string>; info: { lines: number } }[];
  try {
    records = parseCsv(text, {
      columns: true,
      skip_empty_lines: true,
      trim: true,
      info: true,
    }) as typeof records;
  } catch (error) {
    return { error: { file, message: `invalid CSV: ${errorMessage(error)}` } };
  }
  const errors: InputError[] = [];
  const header = text
    .split(/\r?\n/, 1)[0]!
    .split(',')
    .map((column) => column.trim().replace(/^"|"$/g, ''));
  const known = new Set<string>([...CSV_COLUMNS.identity, ...CSV_COLUMNS.credential]);
  const unknown = header.filter((column) => !known.has(column));
  if (unknown.length > 0) {
    errors.push({
      file: `${file}:1`,
      message: `unknown column(s) ${unknown.join(', ')} (see docs/import.md)`,
    });
  }
  const list = (value: string | undefined): string[] | undefined =>
    value ? value.split(/[\s;]+/).filter((item) => item !== '') : undefined;
  const flag = (value: string | undefined): boolean | string | undefined => {
    if (value === undefined || value === '') return undefined;
    if (!BOOLEAN.test(value)) return value;
    return /^(true|yes|1)$/i.test(value);
  };
  const rows: LocatedRow[] = records.map(({ record, info }) => {
    const pick = (name: string): string | undefined => (record[name] === '' ? undefined : record[name]);
    const credential: ImportCredentialRow = {
      id: pick('credential_id'),
      kind: pick('credential_kind'),
      key_id: pick('key_id'),
      created_at: pick('credential_created_at'),
      rotated_at: pick('credential_rotated_at'),
      last_used_at: pick('credential_last_used_at'),
      expires_at: pick('credential_expires_at'),
      status: pick('status') as ImportCredentialRow['status'],
      scopes: list(pick('credential_scopes')),
      fingerprint: pick('fingerprint'),
      hint: pick('hint'),
      key_prefix: pick('key_prefix'),
    };
    const hasCredential = Object.values(credential).some((value) => value !== undefined);
    const row = {
      provider: pick('provider'),
      kind: pick('kind'),
      name: pick('name'),
      id: pick('id'),
      account: pick('account'),
      arn: pick('arn'),
      owner: pick('owner'),
      purpose: pick('purpose'),
      is_human: flag(pick('is_human')),
      is_agent: flag(pick('is_agent')),
      personal: flag(pick('personal')),
      created_at: pick('created_at'),
      last_used_at: pick('last_used_at'),
      expires_at: pick('expires_at'),
      scopes: list(pick('scopes')),
      credentials: hasCredential ? [dropUndefined(credential)] : undefined,
    };
    return { line: info.lines, row: dropUndefined(row) };
  });
  return { rows, errors };
}

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined)) as T;
}

function describeError(error: ErrorObject): string {
  const field = error.instancePath.replace(/^\//, '').replace(/\//g, '.') || 'row';
  if (error.keyword === 'additionalProperties')
    return `${field}: unknown field "${String(error.params.additionalProperty)}"`;
  if (error.keyword === 'required') return `${field}: missing "${String(error.params.missingProperty)}"`;
  if (error.keyword === 'pattern' && field.endsWith('fingerprint'))
    return `${field}: must be sha256:<64 lower-case hex digits> (the hash of the secret, never the secret)`;
  if (field.endsWith('hint') && error.keyword === 'maxLength')
    return `${field}: at most 4 characters of a secret may be kept`;
  return `${field}: ${error.message ?? 'invalid'}`;
}

/** String fields that hold something shaped like a secret: never stored. */
function secretShapedFields(value: unknown, path = ''): string[] {
  if (typeof value === 'string') return redactSecrets(value) === value ? [] : [path || 'value'];
  if (Array.isArray(value))
    return value.flatMap((item, index) => secretShapedFields(item, `${path}[${index}]`));
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([key, item]) =>
      secretShapedFields(item, path ? `${path}.${key}` : key),
    );
  return [];
}

const ISO = (value: string | undefined): string | null | 'invalid' => {
  if (value === undefined) return null;
  const date = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00Z`) : new Date(value);
  return Number.isNaN(date.getTime()) ? 'invalid' : date.toISOString().replace(/\.\d{3}Z$/, 'Z');
};

function buildInventory(file: string, rows: LocatedRow[], errors: InputError[]): ImportFileResult {
  const identities = new Map<string, Identity>();
  const credentials = new Map<string, Credential>();
  const grants: Grant[] = [];
  const grantKeys = new Set<string>();
  let accepted = 0;
  for (const { row, line, lineOf } of rows) {
    const where = (path: (string | number)[] = []): string => `${file}:${lineOf ? lineOf(path) : line}`;
    if (!validateIdentity(row)) {
      for (const error of validateIdentity.errors ?? []) {
        const path = error.instancePath
          .split('/')
          .filter(Boolean)
          .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
        errors.push({ file: where(path), message: describeError(error) });
      }
      continue;
    }
    const secretFields = secretShapedFields(row);
    if (secretFields.length > 0) {
      errors.push({
        file: where(),
        message: `${secretFields.join(', ')}: looks like a secret value; import its sha256 fingerprint and at most a 4-character hint, never the secret`,
      });
      continue;
    }
    const dates = { created: ISO(row.created_at), used: ISO(row.last_used_at), expires: ISO(row.expires_at) };
    const badDate = Object.entries(dates).find(([, value]) => value === 'invalid');
    if (badDate) {
      errors.push({ file: where(), message: `${badDate[0]} date is not a date` });
      continue;
    }
    const native = row.id ?? row.name;
    const identityId = `${row.provider}:${row.kind}:${native}`;
    let identity = identities.get(identityId);
    if (!identity) {
      identity = {
        id: identityId,
        provider: row.provider,
        kind: row.kind,
        name: row.name,
        account: row.account ?? null,
        arn: row.arn ?? null,
        isHuman: row.is_human ?? false,
        owner: row.owner ?? null,
        ownerSource: row.owner ? `import:${file}` : null,
        purpose: row.purpose ?? null,
        createdAt: dates.created as string | null,
        lastUsedAt: dates.used as string | null,
        expiresAt: dates.expires as string | null,
        isAgent: row.is_agent ?? false,
        agentEvidence: row.is_agent ? [`declared an agent in ${file}`] : [],
        tags: row.tags ?? {},
        attributes: { imported_from: file, ...(row.personal ? { personal: true } : {}) },
      };
      identities.set(identityId, identity);
    }
    for (const scope of row.scopes ?? []) {
      const key = `${identityId}\u0000${scope}`;
      if (grantKeys.has(key)) continue;
      grantKeys.add(key);
      grants.push({
        identityId,
        permission: scope,
        resource: row.account ?? '*',
        effect: 'allow',
        notAction: false,
        sourcePolicy: `import:${file}`,
        conditional: false,
      });
    }
    let rowOk = true;
    for (const [index, credential] of (row.credentials ?? []).entries()) {
      const cdates = {
        created: ISO(credential.created_at),
        rotated: ISO(credential.rotated_at),
        used: ISO(credential.last_used_at),
        expires: ISO(credential.expires_at),
      };
      const bad = Object.entries(cdates).find(([, value]) => value === 'invalid');
      if (bad) {
        errors.push({
          file: where(['credentials', index]),
          message: `credential ${bad[0]} date is not a date`,
        });
        rowOk = false;
        continue;
      }
      const kind = credential.kind ?? 'api-key';
      const nativeCredential =
        credential.id ??
        credential.key_id ??
        credential.fingerprint?.slice(7, 23) ??
        `${native}#${index + 1}`;
      const id = `${row.provider}:${kind}:${nativeCredential}`;
      credentials.set(id, {
        id,
        identityId,
        kind,
        keyId: credential.key_id ?? null,
        createdAt: cdates.created as string | null,
        lastRotatedAt: cdates.rotated as string | null,
        lastUsedAt: cdates.used as string | null,
        expiresAt: cdates.expires as string | null,
        status: credential.status ?? 'active',
        scopes: credential.scopes ?? [],
        fingerprint: credential.fingerprint ?? credential.key_id ?? null,
        hint: credential.hint ?? null,
        attributes: {
          imported_from: file,
          // Use is judged only where the export reports it: a missing last use is not "never used".
          usage_tracked: credential.last_used_at !== undefined,
          ...(credential.key_prefix ? { key_prefix: credential.key_prefix } : {}),
        },
      });
    }
    if (rowOk) accepted += 1;
  }
  return {
    inventory: { identities: [...identities.values()], credentials: [...credentials.values()], grants },
    errors,
    rows: accepted,
  };
}
