// The SQL dialects the pushed-down CloudTrail aggregation is rendered for: CloudTrail Lake, Athena, and DuckDB (tests).

/** Which engine runs the aggregation. */
export type PushdownEngine = 'cloudtrail-lake' | 'athena' | 'duckdb';

/** The CloudTrail fields the aggregation reads, whatever the engine calls them. */
export interface EventFields {
  eventId: string;
  eventSource: string;
  eventName: string;
  userAgent: string;
  sourceIpAddress: string;
  recipientAccountId: string;
  identityType: string;
  identityArn: string;
  accessKeyId: string;
  identityAccountId: string;
  invokedBy: string;
  sessionIssuerArn: string;
}

/**
 * The fields under CloudTrail's own names, as CloudTrail Lake's schema and the DuckDB view of log files have them
 * (Athena's Hive table lower-cases them).
 */
const CLOUDTRAIL_FIELDS: EventFields = {
  eventId: 'eventID',
  eventSource: 'eventSource',
  eventName: 'eventName',
  userAgent: 'userAgent',
  sourceIpAddress: 'sourceIPAddress',
  recipientAccountId: 'recipientAccountId',
  identityType: 'userIdentity.type',
  identityArn: 'userIdentity.arn',
  accessKeyId: 'userIdentity.accessKeyId',
  identityAccountId: 'userIdentity.accountId',
  invokedBy: 'userIdentity.invokedBy',
  sessionIssuerArn: 'userIdentity.sessionContext.sessionIssuer.arn',
};

/** Where the aggregation runs and which events it may read. */
export interface AggregationScope {
  /** ISO-8601 instants, inclusive: the `--since` evidence window. */
  since: string;
  until: string;
  /** 12-digit account ids the events must belong to (`recipientAccountId`); empty for every account. */
  accounts: readonly string[];
}

/**
 * How one engine spells what the aggregation needs. Everything engine-specific is here; the aggregation itself
 * (aggregation.ts) is written once against this interface.
 */
export interface SqlDialect {
  engine: PushdownEngine;
  /** The relation after FROM (an event data store id, a table, a view). */
  source: string;
  fields: EventFields;
  /** Epoch milliseconds of the event's time, NULL when it has none or it does not parse. */
  eventMs: string;
  /** The first ARN in `resources[]`, else its first ARN prefix (where the engine's schema has one), else NULL. */
  resource: string;
  /** Conditions that let the engine skip data outside the scope (partitions, the event-time index). */
  pruning(scope: AggregationScope): string[];
  /** True when `expression` contains a match of the regular expression (RE2/Java subset, no look-around). */
  matches(expression: string, pattern: string): string;
  /** Group 1 of the first match, NULL when none. */
  extract(expression: string, pattern: string): string;
  /** Every match replaced. */
  replace(expression: string, pattern: string, replacement: string): string;
  /** Integer division of non-negative integers. */
  intDiv(dividend: string, divisor: string): string;
  /** FNV-1a 32-bit hash of a string's UTF-16 code units, as agentaudit's `rankOf`: picks bounded evidence samples. */
  rank(expression: string): string;
  /** JSON text of an array of string expressions (NULLs kept as JSON null). */
  jsonArray(elements: readonly string[]): string;
  /** JSON text of the aggregated values of `expression` in `orderBy` order, over the rows matching `filter`. */
  jsonAgg(expression: string, orderBy: string, filter: string): string;
  /** An array of two integers, to aggregate (minute, count) pairs. */
  pair(first: string, second: string): string;
}

/** A string literal, quotes doubled. */
export function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** `2024-01-31T10:00:00.000Z` → `2024-01-31 10:00:00.000` (a TIMESTAMP literal's text, UTC). */
function timestampText(iso: string): string {
  return new Date(iso).toISOString().replace('T', ' ').replace('Z', '');
}

/** `yyyy/MM/dd` of an instant shifted by `days` (CloudTrail's S3 key layout, and the Athena date partition). */
function dayText(iso: string, days: number): string {
  const shifted = new Date(Date.parse(iso) + days * 86_400_000).toISOString();
  return `${shifted.slice(0, 4)}/${shifted.slice(5, 7)}/${shifted.slice(8, 10)}`;
}

const accountList = (accounts: readonly string[]): string => accounts.map(sqlString).join(', ');

/** What Trino (CloudTrail Lake and Athena) share. */
const trino = {
  matches: (expression: string, pattern: string) => `regexp_like(${expression}, ${sqlString(pattern)})`,
  extract: (expression: string, pattern: string) => `regexp_extract(${expression}, ${sqlString(pattern)}, 1)`,
  replace: (expression: string, pattern: string, replacement: string) =>
    `regexp_replace(${expression}, ${sqlString(pattern)}, ${sqlString(replacement)})`,
  intDiv: (dividend: string, divisor: string) => `(${dividend}) / ${divisor}`,
  // Code points split into UTF-16 surrogates where needed, so the hash is the one JavaScript computes.
  rank: (expression: string) =>
    `reduce(flatten(transform(transform(sequence(1, length(${expression})), i -> codepoint(CAST(substr(${expression}, i, 1) AS varchar(1)))), ` +
    `c -> IF(c > 65535, ARRAY[55296 + (c - 65536) / 1024, 56320 + (c - 65536) % 1024], ARRAY[c]))), ` +
    `BIGINT '2166136261', (h, c) -> bitwise_and(bitwise_xor(h, c) * 16777619, 4294967295), h -> h)`,
  jsonArray: (elements: readonly string[]) => `json_format(CAST(ARRAY[${elements.join(', ')}] AS JSON))`,
  jsonAgg: (expression: string, orderBy: string, filter: string) =>
    `json_format(CAST(array_agg(${expression} ORDER BY ${orderBy}) FILTER (WHERE ${filter}) AS JSON))`,
  pair: (first: string, second: string) => `ARRAY[${first}, ${second}]`,
};

/**
 * CloudTrail Lake: Trino SQL over an event data store (`FROM <id>`), whose schema is CloudTrail's own with
 * `eventTime` a timestamp and `resources` an array of (accountId, type, ARN, ARNPrefix). Filtering on `eventTime`
 * is what limits the events scanned.
 */
export function cloudTrailLakeDialect(eventDataStoreId: string): SqlDialect {
  return {
    engine: 'cloudtrail-lake',
    source: eventDataStoreId,
    fields: CLOUDTRAIL_FIELDS,
    eventMs: `date_diff('millisecond', TIMESTAMP '1970-01-01 00:00:00.000', eventTime)`,
    resource:
      `coalesce(element_at(filter(transform(resources, r -> r.arn), x -> x <> ''), 1), ` +
      `element_at(filter(transform(resources, r -> r.arnPrefix), x -> x <> ''), 1))`,
    pruning: (scope) => {
      const conditions = [
        `eventTime >= TIMESTAMP '${timestampText(scope.since)}'`,
        `eventTime <= TIMESTAMP '${timestampText(scope.until)}'`,
      ];
      if (scope.accounts.length > 0)
        conditions.push(`recipientAccountId IN (${accountList(scope.accounts)})`);
      return conditions;
    },
    ...trino,
  };
}

/** Where the Athena table keeps its partitions. */
export interface AthenaLayout {
  /** `database.table` or `table` (the query's database then applies). */
  table: string;
  /** The date partition in `yyyy/MM/dd` (`timestamp` in AWS's partition-projection DDL). */
  datePartition: string;
  /** The account partition, when the table has one (organization trails); null otherwise. */
  accountPartition: string | null;
}

/**
 * Athena: Trino SQL over the CloudTrail table AWS documents (`eventtime` an ISO string, `useridentity` a struct,
 * `resources` an array of (arn, accountid, type) — no ARN prefix), partitioned by date (and account) with partition
 * projection. The date partition is widened by a day on each side (events near midnight are delivered under the
 * next day's prefix) and the exact window is applied to `eventtime`.
 */
export function athenaDialect(layout: AthenaLayout): SqlDialect {
  const quote = (name: string): string => `"${name.replaceAll('"', '""')}"`;
  return {
    engine: 'athena',
    source: layout.table
      .split('.')
      .map((part) => quote(part))
      .join('.'),
    // Hive lower-cases column and struct field names.
    fields: Object.fromEntries(
      Object.entries(CLOUDTRAIL_FIELDS).map(([field, name]) => [field, name.toLowerCase()]),
    ) as EventFields,
    eventMs: `date_diff('millisecond', from_iso8601_timestamp('1970-01-01T00:00:00Z'), try(from_iso8601_timestamp(eventtime)))`,
    resource: `element_at(filter(transform(resources, r -> r.arn), x -> x <> ''), 1)`,
    pruning: (scope) => {
      const conditions = [
        `${quote(layout.datePartition)} BETWEEN '${dayText(scope.since, -1)}' AND '${dayText(scope.until, 1)}'`,
      ];
      if (scope.accounts.length > 0) {
        if (layout.accountPartition)
          conditions.push(`${quote(layout.accountPartition)} IN (${accountList(scope.accounts)})`);
        conditions.push(`recipientaccountid IN (${accountList(scope.accounts)})`);
      }
      return conditions;
    },
    ...trino,
  };
}

/**
 * DuckDB over a view of CloudTrail events (see `duckDbEventsView`): the same aggregation run locally, so that tests
 * can check the pushed-down result against local ingest on the same files.
 */
export function duckDbDialect(view = 'cloudtrail_events'): SqlDialect {
  return {
    engine: 'duckdb',
    source: view,
    fields: CLOUDTRAIL_FIELDS,
    eventMs: 'epoch_ms(TRY_CAST(eventTime AS TIMESTAMPTZ))',
    resource:
      `coalesce(list_extract(list_filter(list_transform(resources, lambda r: r.ARN), lambda x: x <> ''), 1), ` +
      `list_extract(list_filter(list_transform(resources, lambda r: r.ARNPrefix), lambda x: x <> ''), 1))`,
    pruning: (scope) =>
      scope.accounts.length > 0 ? [`recipientAccountId IN (${accountList(scope.accounts)})`] : [],
    matches: (expression, pattern) => `regexp_matches(${expression}, ${sqlString(pattern)})`,
    extract: (expression, pattern) => `nullif(regexp_extract(${expression}, ${sqlString(pattern)}, 1), '')`,
    replace: (expression, pattern, replacement) =>
      `regexp_replace(${expression}, ${sqlString(pattern)}, ${sqlString(replacement)}, 'g')`,
    intDiv: (dividend, divisor) => `(${dividend}) // ${divisor}`,
    rank: (expression) =>
      `list_reduce(flatten(list_transform(list_transform(range(1, length(${expression}) + 1), lambda i: unicode(substr(${expression}, i, 1))), ` +
      `lambda c: CASE WHEN c > 65535 THEN [55296 + (c - 65536) // 1024, 56320 + (c - 65536) % 1024] ELSE [c] END)), ` +
      `lambda h, c: (xor(h, c) * 16777619) & 4294967295, 2166136261::BIGINT)`,
    jsonArray: (elements) =>
      `to_json([${elements.map((element) => `${element}::VARCHAR`).join(', ')}])::VARCHAR`,
    jsonAgg: (expression, orderBy, filter) =>
      `to_json(list(${expression} ORDER BY ${orderBy}) FILTER (WHERE ${filter}))::VARCHAR`,
    pair: (first, second) => `[${first}, ${second}]`,
  };
}

/** The fields of a CloudTrail record the DuckDB view reads, as a DuckDB type (unknown keys are ignored). */
const DUCKDB_RECORD_TYPE =
  'STRUCT(eventID VARCHAR, eventTime VARCHAR, "@timestamp" VARCHAR, eventSource VARCHAR, eventName VARCHAR, ' +
  'userAgent VARCHAR, sourceIPAddress VARCHAR, recipientAccountId VARCHAR, ' +
  'userIdentity STRUCT(type VARCHAR, arn VARCHAR, accessKeyId VARCHAR, accountId VARCHAR, invokedBy VARCHAR, ' +
  'sessionContext STRUCT(sessionIssuer STRUCT(arn VARCHAR))), resources STRUCT(ARN VARCHAR, ARNPrefix VARCHAR)[])';

/**
 * A DuckDB view of the events in CloudTrail delivery files (`{"Records": [...]}`, plain or gzipped, e.g. the S3
 * layout `AWSLogs/**\/*.json.gz`), shaped like CloudTrail Lake's table; Logstash's `@timestamp` stands in for a
 * missing `eventTime`.
 */
export function duckDbEventsView(files: readonly string[], view = 'cloudtrail_events'): string {
  const list = files.map(sqlString).join(', ');
  return (
    `CREATE OR REPLACE VIEW ${view} AS\n` +
    `SELECT e.eventID AS eventID, coalesce(e.eventTime, e."@timestamp") AS eventTime, e.eventSource AS eventSource,\n` +
    `  e.eventName AS eventName, e.userAgent AS userAgent, e.sourceIPAddress AS sourceIPAddress,\n` +
    `  e.recipientAccountId AS recipientAccountId, e.userIdentity AS userIdentity, e.resources AS resources\n` +
    `FROM (SELECT unnest(Records) AS e FROM read_json([${list}], columns = {Records: '${DUCKDB_RECORD_TYPE}[]'},\n` +
    `  format = 'auto', maximum_object_size = 1073741824))`
  );
}
