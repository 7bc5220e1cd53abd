// The one definition of the CloudTrail usage aggregation pushed down to an engine, rendered for each engine's SQL dialect.
import { EVIDENCE_LIST_LIMIT } from '../cloudtrail/boundedList.js';
import { AGENT_MARKERS, IAC_MARKERS, SDK_MARKERS } from '../cloudtrail/userAgent.js';
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

/** A client row of the aggregate: per principal, user agent and source network (and the user agent's family hint). */
export const CLIENT_KEY = [...PRINCIPAL_KEY, 'user_agent', 'source_network', 'family_hint'] as const;

/**
 * A family row: per principal, source network and family hint, whatever the user agent — so that the engine can
 * count the busiest minute of a client family, which agentaudit cannot sum from per-user-agent rows.
 */
export const FAMILY_KEY = [...PRINCIPAL_KEY, 'source_network', 'family_hint'] as const;

/** Evidence kept per usage row: distinct values, the `EVIDENCE_LIST_LIMIT` of lowest rank (a bottom-k sample). */
export const EVIDENCE = [
  { part: 'user_agent', column: 'user_agent', output: 'user_agents' },
  { part: 'source_address', column: 'source_address', output: 'source_addresses' },
  { part: 'session_name', column: 'session_name', output: 'session_names' },
] as const;

/** Busiest minutes returned per client row, from which per-minute peaks are rebuilt (see peak.ts). */
export const BUSIEST_MINUTES = 10;

/** The columns every engine returns, one row per usage, client and family row, sorted by kind and key. */
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
  /** What classifyUserAgent strips before looking for tools: `api/…` and `md/command#…` name the API, not the caller. */
  apiTokens: '(^|\\s)(api/|md/command#)\\S*',
  /** classifyUserAgent's console and AWS-service tests, as one expression each. */
  console:
    '^(signin|console)\\.amazonaws\\.com$|^console\\..*\\.amazonaws\\.com$|consolefrontend|^aws signin|awsconsole|console\\.aws\\.amazon\\.com',
  awsService: '^aws internal|^[a-z0-9.-]+\\.amazonaws\\.com(\\.cn)?$|aws-internal/|^coral/',
};

const indent = (lines: readonly string[], by: string): string => lines.map((line) => by + line).join(',\n');

/**
 * The engine's guess at a user agent's client family, from userAgent.ts's own marker tables and in its order
 * (AI agents, console, AWS services, IaC, CLI, SDKs, browsers); within a kind, the marker text that matched
 * (`agent:claude-cli/`, `sdk:boto3/`). It only groups events for per-minute peaks: agentaudit classifies every user
 * agent itself, and uses a family row's peak only when the hint split that principal's user agents exactly as
 * `classifyUserAgent` does (rebuild.ts). So it may be rough — look-behinds, which RE2 lacks, are dropped — but it
 * is never taken on trust.
 */
function familyHint(dialect: SqlDialect): string {
  const alternatives = (patterns: readonly RegExp[]): string =>
    `(${patterns.map((pattern) => pattern.source.replace('(?<!aws-)', '')).join('|')})`;
  const escape = (token: string): string => token.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const agents = alternatives(AGENT_MARKERS.map(([pattern]) => pattern));
  const iac = alternatives(IAC_MARKERS.map(([pattern]) => pattern));
  const sdks = `(${SDK_MARKERS.map(([token]) => escape(token)).join('|')})`;
  const when = (pattern: string, hint: string): string =>
    `WHEN ${dialect.matches('ua_lower', pattern)} THEN '${hint}'`;
  return [
    `coalesce(CASE WHEN user_agent IS NULL THEN 'unknown' END`,
    `'agent:' || ${dialect.extract('ua_tools', agents)}`,
    `CASE ${when(PATTERNS.console, 'console')} WHEN ua_lower = 'cloudformation.amazonaws.com' THEN 'iac:cloudformation' ` +
      `${when(PATTERNS.awsService, 'aws-service')} END`,
    `'iac:' || ${dialect.extract('ua_tools', iac)}`,
    `CASE ${when('^aws-cli/|\\saws-cli/', 'aws-cli')} ${when('awspowershell|aws-powershell', 'aws-powershell')} END`,
    `'sdk:' || ${dialect.extract('ua_lower', sdks)}`,
    `CASE ${when('^(mozilla|opera)/', 'console')} END, 'unknown')`,
  ].join(', ');
}

/**
 * The aggregation as one SELECT for `dialect`, limited to `scope`: events deduplicated by eventID, then grouped
 * once (grouping sets) into usage rows (count, first and last time, bottom-k user agents, source addresses and
 * session names), client rows (count, first and last time, the busiest minutes) and family rows (the same per
 * family hint). The engine reads the logs once; agentaudit then attributes, maps and classifies the rows
 * (rebuild.ts) exactly as local ingest does.
 */
export function renderAggregation(dialect: SqlDialect, scope: AggregationScope): string {
  const f = dialect.fields;
  const since = Date.parse(scope.since);
  const until = Date.parse(scope.until);
  const pruning = dialect.pruning(scope);
  const roleResolves =
    `${f.identityType} = 'AssumedRole' AND (strpos(${f.sessionIssuerArn}, ':role/') > 0 OR ` +
    `${dialect.matches(f.identityArn, PATTERNS.derivedRole)})`;
  // As classifyUserAgent reads a user agent: trimmed, out of its brackets (`[aws-cli/1.18 …]`), lower case.
  const uaLower =
    `lower(trim(CASE WHEN trim(user_agent) LIKE '[%]' ` +
    `THEN substr(trim(user_agent), 2, length(trim(user_agent)) - 2) ELSE user_agent END))`;
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
    '  SELECT *,',
    '    CASE WHEN session_name IS NULL THEN identity_arn',
    '      ELSE substr(identity_arn, 1, length(identity_arn) - length(session_name) - 1) END AS principal_arn,',
    `    CASE WHEN ${dialect.matches('source_address', PATTERNS.ipv4)} ` +
      `THEN ${dialect.replace('source_address', PATTERNS.lastOctet, '0')} ELSE source_address END AS source_network,`,
    `    ${uaLower} AS ua_lower,`,
    `    ${dialect.replace(uaLower, PATTERNS.apiTokens, ' ')} AS ua_tools`,
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
    '  SELECT *, ' + `${familyHint(dialect)} AS family_hint FROM (`,
    '    SELECT *, row_number() OVER (PARTITION BY event_id ORDER BY event_ms) AS copy_number',
    `    FROM events WHERE event_ms BETWEEN ${since} AND ${until}`,
    '  ) AS copies WHERE copy_number = 1 OR event_id IS NULL',
    '), keyed AS (',
    '  SELECT',
    indent(
      [
        `${dialect.jsonArray(USAGE_KEY)} AS usage_key`,
        `${dialect.jsonArray(CLIENT_KEY)} AS client_key`,
        `${dialect.jsonArray(FAMILY_KEY)} AS family_key`,
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
        `CASE WHEN grouping(usage_key) = 0 THEN 'usage' WHEN grouping(client_key) = 0 THEN 'client' ELSE 'family' END AS row_kind`,
        'coalesce(usage_key, client_key, family_key) AS row_key',
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
    `  GROUP BY GROUPING SETS ((usage_key), ${EVIDENCE.map(({ column }) => `(usage_key, ${column})`).join(', ')}, ` +
      '(client_key), (client_key, event_minute), (family_key), (family_key, event_minute))',
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
