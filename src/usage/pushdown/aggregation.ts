// The one definition of the CloudTrail usage aggregation pushed down to an engine, rendered for each engine's SQL dialect.
import { EVIDENCE_LIST_LIMIT } from '../cloudtrail/boundedList.js';
import type { AggregationScope, SqlDialect } from './dialects.js';

/**
 * The per-event columns that decide who acted, as far as agentaudit's attribution (`attributePrincipal`) reads
 * them. The session name is taken out of an assumed-role ARN (it does not change the role) and kept as evidence,
 * and only long-term (AKIA…) key ids are kept (session keys change with every session and name no credential), so
 * that the aggregate has one row per principal, not one per session.
 */
export const PRINCIPAL_KEY = [
  'identity_type',
  'principal_arn',
  'access_key_id',
  'identity_account_id',
  'invoked_by',
  'session_issuer_arn',
] as const;

/** A usage row of the aggregate: per principal, event source and name, and resource. */
export const USAGE_KEY = [...PRINCIPAL_KEY, 'event_source', 'event_name', 'resource'] as const;

/** A client row of the aggregate: per principal, user agent and source network. */
export const CLIENT_KEY = [...PRINCIPAL_KEY, 'user_agent', 'source_network'] as const;

/** Evidence kept per usage row: distinct values, the `EVIDENCE_LIST_LIMIT` of lowest rank (a bottom-k sample). */
export const EVIDENCE = [
  { part: 'user_agent', column: 'user_agent', output: 'user_agents' },
  { part: 'source_address', column: 'source_address', output: 'source_addresses' },
  { part: 'session_name', column: 'session_name', output: 'session_names' },
] as const;

/** Busiest minutes returned per client row, from which per-minute peaks are rebuilt (see peak.ts). */
export const BUSIEST_MINUTES = 10;

/** The columns every engine returns, one row per usage row and per client row, sorted by kind and key. */
export const OUTPUT_COLUMNS = [
  'row_kind',
  'row_key',
  'events',
  'first_ms',
  'last_ms',
  'user_agents',
  'source_addresses',
  'session_names',
  'active_minutes',
  'busiest_minutes',
] as const;

/**
 * Patterns that reproduce principal.ts and userAgent.ts where the SQL must decide before agentaudit sees a row.
 * A role resolves from the session issuer's ARN, or from a session ARN `arn:aws:sts::<12 digits>:assumed-role/<name>/…`;
 * the session name is what follows the role name.
 */
const PATTERNS = {
  derivedRole: '^arn:aws[a-z-]*:sts::[0-9]{12}:assumed-role/[^/]',
  sessionName: ':assumed-role/[^/]*/(.+)',
  longTermKey: '^AKIA[A-Z0-9]{12,124}$',
  ipv4: '^[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}$',
  lastOctet: '[0-9]+$',
};

const indent = (lines: readonly string[], by: string): string => lines.map((line) => by + line).join(',\n');

/**
 * The aggregation as one SELECT for `dialect`, limited to `scope`: events deduplicated by eventID, then grouped
 * once (grouping sets) into usage rows (count, first and last time, bottom-k user agents, source addresses and
 * session names) and client rows (count, first and last time, the busiest minutes). The engine reads the logs
 * once; agentaudit then attributes, maps and classifies the rows (rebuild.ts) exactly as local ingest does.
 */
export function renderAggregation(dialect: SqlDialect, scope: AggregationScope): string {
  const f = dialect.fields;
  const since = Date.parse(scope.since);
  const until = Date.parse(scope.until);
  const pruning = dialect.pruning(scope);
  const roleResolves =
    `${f.identityType} = 'AssumedRole' AND (strpos(${f.sessionIssuerArn}, ':role/') > 0 OR ` +
    `${dialect.matches(f.identityArn, PATTERNS.derivedRole)})`;
  const network =
    `CASE WHEN ${dialect.matches('source_address', PATTERNS.ipv4)} ` +
    `THEN ${dialect.replace('source_address', PATTERNS.lastOctet, '0')} ELSE source_address END`;
  const evidence = EVIDENCE.map(
    ({ part, output }) =>
      `${dialect.jsonAgg('value', 'ordinal', `part = '${part}' AND ordinal <= ${EVIDENCE_LIST_LIMIT}`)} AS ${output}`,
  );
  const minutes = dialect.jsonAgg(
    dialect.pair('event_minute', 'events'),
    'ordinal',
    `part = 'minute' AND ordinal <= ${BUSIEST_MINUTES}`,
  );
  return [
    'WITH events AS (',
    '  SELECT *, CASE WHEN session_name IS NULL THEN identity_arn',
    '    ELSE substr(identity_arn, 1, length(identity_arn) - length(session_name) - 1) END AS principal_arn',
    '  FROM (',
    '    SELECT',
    indent(
      [
        `nullif(${f.eventId}, '') AS event_id`,
        `${dialect.eventMs} AS event_ms`,
        `${f.identityType} AS identity_type`,
        `${f.identityArn} AS identity_arn`,
        `CASE WHEN ${roleResolves} THEN ${dialect.extract(f.identityArn, PATTERNS.sessionName)} END AS session_name`,
        `CASE WHEN ${dialect.matches(f.accessKeyId, PATTERNS.longTermKey)} THEN ${f.accessKeyId} END AS access_key_id`,
        `${f.identityAccountId} AS identity_account_id`,
        `${f.invokedBy} AS invoked_by`,
        `${f.sessionIssuerArn} AS session_issuer_arn`,
        `${f.eventSource} AS event_source`,
        `${f.eventName} AS event_name`,
        `${dialect.resource} AS resource`,
        `nullif(${f.userAgent}, '') AS user_agent`,
        `nullif(${f.sourceIpAddress}, '') AS source_address`,
      ],
      '      ',
    ),
    `    FROM ${dialect.source}`,
    ...(pruning.length > 0 ? [`    WHERE ${pruning.join('\n      AND ')}`] : []),
    '  ) AS projected',
    '), unique_events AS (',
    '  SELECT * FROM (',
    '    SELECT *, row_number() OVER (PARTITION BY event_id ORDER BY event_ms) AS copy_number',
    `    FROM events WHERE event_ms BETWEEN ${since} AND ${until}`,
    '  ) AS copies WHERE copy_number = 1 OR event_id IS NULL',
    '), keyed AS (',
    '  SELECT',
    indent(
      [
        `${dialect.jsonArray(USAGE_KEY)} AS usage_key`,
        `${dialect.jsonArray(CLIENT_KEY.map((column) => (column === 'source_network' ? network : column)))} AS client_key`,
        'user_agent',
        'source_address',
        'session_name',
        `${dialect.intDiv('event_ms', '60000')} AS event_minute`,
        'event_ms',
      ],
      '    ',
    ),
    '  FROM unique_events',
    '), grouped AS (',
    '  SELECT',
    indent(
      [
        `CASE WHEN grouping(usage_key) = 0 THEN 'usage' ELSE 'client' END AS row_kind`,
        'coalesce(usage_key, client_key) AS row_key',
        `CASE ${EVIDENCE.map(({ part, column }) => `WHEN grouping(${column}) = 0 THEN '${part}'`).join(' ')} ` +
          `WHEN grouping(event_minute) = 0 THEN 'minute' ELSE 'total' END AS part`,
        `coalesce(${EVIDENCE.map(({ column }) => column).join(', ')}) AS value`,
        'event_minute',
        'count(*) AS events',
        'min(event_ms) AS first_ms',
        'max(event_ms) AS last_ms',
      ],
      '    ',
    ),
    '  FROM keyed',
    `  GROUP BY GROUPING SETS ((usage_key), ${EVIDENCE.map(({ column }) => `(usage_key, ${column})`).join(', ')}, (client_key), (client_key, event_minute))`,
    '), ranked AS (',
    '  SELECT *,',
    `    row_number() OVER (PARTITION BY row_kind, row_key, part ORDER BY CASE WHEN part = 'minute' THEN -events ELSE ${dialect.rank('value')} END, value, event_minute) AS ordinal,`,
    '    count(*) OVER (PARTITION BY row_kind, row_key, part) AS part_rows',
    `  FROM grouped WHERE part IN ('total', 'minute') OR value IS NOT NULL`,
    ')',
    'SELECT',
    indent(
      [
        'row_kind',
        'row_key',
        `max(events) FILTER (WHERE part = 'total') AS events`,
        `min(first_ms) FILTER (WHERE part = 'total') AS first_ms`,
        `max(last_ms) FILTER (WHERE part = 'total') AS last_ms`,
        ...evidence,
        `max(part_rows) FILTER (WHERE part = 'minute') AS active_minutes`,
        `${minutes} AS busiest_minutes`,
      ],
      '  ',
    ),
    'FROM ranked',
    'GROUP BY row_kind, row_key',
    'ORDER BY row_kind, row_key',
  ].join('\n');
}
