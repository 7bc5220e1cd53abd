// Reads the rows an engine returned for the aggregation (every value as text) into typed aggregate rows.
import { CLIENT_KEY, FAMILY_KEY, OUTPUT_COLUMNS, USAGE_KEY } from './aggregation.js';

/** The raw `userIdentity` fields a row was grouped by (the session name taken out of an assumed-role ARN). */
export interface PrincipalFields {
  type: string | null;
  arn: string | null;
  accessKeyId: string | null;
  accountId: string | null;
  invokedBy: string | null;
  sessionIssuerArn: string | null;
}

/** One usage row of the aggregate: a principal's calls of one event to one resource. */
export interface UsageAggregateRow {
  kind: 'usage';
  principal: PrincipalFields;
  eventSource: string | null;
  eventName: string | null;
  resource: string | null;
  count: number;
  /** Epoch milliseconds. */
  first: number;
  last: number;
  /** Bottom-k samples (by `rankOf`) of the distinct values. */
  userAgents: string[];
  sourceAddresses: string[];
  sessionNames: string[];
}

/** One client row of the aggregate: a principal's calls from one user agent and source network. */
export interface ClientAggregateRow {
  kind: 'client';
  principal: PrincipalFields;
  userAgent: string | null;
  /** The source address, or the `x.y.z.0` of an IPv4 address (agentaudit turns it into a network). */
  network: string | null;
  /** The engine's guess at the client family (see `familyHint`), grouping the family rows. */
  familyHint: string | null;
  count: number;
  first: number;
  last: number;
  /** Distinct minutes with events. */
  activeMinutes: number;
  /** The busiest minutes, `[epoch minute, events]`, most events first. */
  busiestMinutes: Array<[number, number]>;
}

/** One family row: a principal's calls from one source network whose user agents share a family hint. */
export interface FamilyAggregateRow extends Omit<ClientAggregateRow, 'kind' | 'userAgent'> {
  kind: 'family';
}

/** A row of the aggregate. */
export type AggregateRow = UsageAggregateRow | ClientAggregateRow | FamilyAggregateRow;

/** An engine's row: column name → text (NULL as null). */
export type EngineRow = Readonly<Record<string, string | null | undefined>>;

/** Rows read, and why others could not be. */
export interface ParsedRows {
  rows: AggregateRow[];
  /** One message per kind of problem, with the number of rows it affected. */
  problems: string[];
}

class RowShapeError extends Error {}

/**
 * Reads engine rows, which carry the columns of `OUTPUT_COLUMNS` as text. A row that does not have the expected
 * shape is skipped and counted in `problems` (never thrown), so one bad row cannot lose the rest.
 */
export function parseAggregateRows(rows: readonly EngineRow[]): ParsedRows {
  const missing = rows.length > 0 ? missingColumn(rows.flatMap((row) => Object.keys(row))) : null;
  if (missing)
    return { rows: [], problems: [`the result has no ${missing} column: it is not this aggregation's`] };
  const parsed: AggregateRow[] = [];
  const problems = new Map<string, number>();
  for (const row of rows) {
    try {
      parsed.push(parseRow(row));
    } catch (error) {
      if (!(error instanceof RowShapeError)) throw error;
      problems.set(error.message, (problems.get(error.message) ?? 0) + 1);
    }
  }
  return {
    rows: parsed,
    problems: [...problems].map(([message, count]) => `${count} result row(s) skipped: ${message}`),
  };
}

/** Columns never NULL (an engine may leave NULL cells out, as CloudTrail Lake does). */
const REQUIRED_COLUMNS = OUTPUT_COLUMNS.slice(0, 5);

/** The first required column absent from `columns`, or null when none is. */
function missingColumn(columns: readonly string[]): string | null {
  const present = new Set(columns);
  return REQUIRED_COLUMNS.find((column) => !present.has(column)) ?? null;
}

function parseRow(row: EngineRow): AggregateRow {
  const kind = row.row_kind;
  const key = jsonArray(row.row_key, 'row_key');
  const principal = principalFields(key);
  const count = integer(row.events, 'events');
  const first = integer(row.first_ms, 'first_ms');
  const last = integer(row.last_ms, 'last_ms');
  if (kind === 'usage') {
    if (key.length !== USAGE_KEY.length) throw new RowShapeError(`a usage key has ${key.length} fields`);
    return {
      kind,
      principal,
      eventSource: key[6] ?? null,
      eventName: key[7] ?? null,
      resource: key[8] ?? null,
      count,
      first,
      last,
      userAgents: stringList(row.user_agents, 'user_agents'),
      sourceAddresses: stringList(row.source_addresses, 'source_addresses'),
      sessionNames: stringList(row.session_names, 'session_names'),
    };
  }
  const minutes = {
    activeMinutes: integer(row.active_minutes, 'active_minutes'),
    busiestMinutes: minuteList(row.busiest_minutes),
  };
  if (kind === 'family') {
    if (key.length !== FAMILY_KEY.length) throw new RowShapeError(`a family key has ${key.length} fields`);
    return {
      kind,
      principal,
      network: key[6] ?? null,
      familyHint: key[7] ?? null,
      count,
      first,
      last,
      ...minutes,
    };
  }
  if (kind === 'client') {
    if (key.length !== CLIENT_KEY.length) throw new RowShapeError(`a client key has ${key.length} fields`);
    return {
      kind,
      principal,
      userAgent: key[6] ?? null,
      network: key[7] ?? null,
      familyHint: key[8] ?? null,
      count,
      first,
      last,
      ...minutes,
    };
  }
  throw new RowShapeError(`row_kind is ${JSON.stringify(kind ?? null)}, not usage, client or family`);
}

function principalFields(key: Array<string | null>): PrincipalFields {
  return {
    type: key[0] ?? null,
    arn: key[1] ?? null,
    accessKeyId: key[2] ?? null,
    accountId: key[3] ?? null,
    invokedBy: key[4] ?? null,
    sessionIssuerArn: key[5] ?? null,
  };
}

function parseJson(text: string | null | undefined, column: string): unknown {
  if (text === null || text === undefined || text === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    throw new RowShapeError(`${column} is not JSON`);
  }
}

function jsonArray(text: string | null | undefined, column: string): Array<string | null> {
  const value = parseJson(text, column);
  if (!Array.isArray(value) || !value.every((item) => item === null || typeof item === 'string')) {
    throw new RowShapeError(`${column} is not a JSON array of strings`);
  }
  return value as Array<string | null>;
}

function stringList(text: string | null | undefined, column: string): string[] {
  if (text === null || text === undefined || text === '') return [];
  return jsonArray(text, column).filter((item): item is string => item !== null && item !== '');
}

function minuteList(text: string | null | undefined): Array<[number, number]> {
  const value = parseJson(text, 'busiest_minutes');
  if (value === null) return [];
  const pairs = Array.isArray(value) ? value : [];
  const valid = pairs.every(
    (pair) => Array.isArray(pair) && pair.length === 2 && pair.every((n) => Number.isSafeInteger(n)),
  );
  if (!Array.isArray(value) || !valid)
    throw new RowShapeError('busiest_minutes is not a list of [minute, count]');
  return pairs as Array<[number, number]>;
}

function integer(text: string | null | undefined, column: string): number {
  const value = text === null || text === undefined ? NaN : Number(text);
  if (!Number.isSafeInteger(value)) throw new RowShapeError(`${column} is not an integer`);
  return value;
}
