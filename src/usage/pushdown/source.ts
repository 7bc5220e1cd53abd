// CloudTrail usage aggregated where the logs are, as a scan source: `--cloudtrail-lake EDS` or `--athena TABLE`.
import type { AthenaClientConfig } from '@aws-sdk/client-athena';
import type { CloudTrailClientConfig } from '@aws-sdk/client-cloudtrail';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import type { AwsConnectionOptions } from '../../connectors/aws/live/clients.js';
import { connectionOptions } from '../../connectors/aws/live/liveOptions.js';
import { reconcileObservations } from '../../analysis/reconcile.js';
import {
  defineSource,
  optionList,
  optionString,
  type CollectContext,
  type DryRunContext,
  type SourceResult,
} from '../../connectors/contract.js';
import { UserError } from '../../errors/errors.js';
import type { InputError } from '../../model/types.js';
import { formatBytes } from '../../report/text.js';
import { loadActionCatalogue } from '../cloudtrail/eventAction.js';
import { renderAggregation } from './aggregation.js';
import {
  athenaDialect,
  cloudTrailLakeDialect,
  type AggregationScope,
  type AthenaLayout,
  type PushdownEngine,
  type SqlDialect,
} from './dialects.js';
import { runOnAthena, runOnCloudTrailLake, type EngineRun } from './engines.js';
import { parseAggregateRows } from './resultRows.js';
import { rebuildObservations, type PushdownObservations } from './rebuild.js';

/** A CloudTrail Lake event data store, by ARN or id. */
export interface LakeTarget {
  engine: 'cloudtrail-lake';
  /** As given. */
  eventDataStore: string;
  /** The id the query's FROM names. */
  eventDataStoreId: string;
  /** The store's region, from its ARN; null for a bare id (the SDK's region applies). */
  region: string | null;
}

/** An Athena table over a trail's S3 bucket. */
export interface AthenaTarget extends AthenaLayout {
  engine: 'athena';
  database: string;
  workgroup: string;
  outputLocation: string | null;
}

/** What `plan` makes of the flags. */
export interface PushdownOptions {
  target: LakeTarget | AthenaTarget;
  /** Accounts in scope (`recipientAccountId`); empty for all. */
  accounts: string[];
  timeoutMs: number;
  /** `--profile` and `--region`, shared with the live AWS sources. */
  connection: AwsConnectionOptions;
}

const EVENT_DATA_STORE_ARN =
  /^arn:aws[a-z-]*:cloudtrail:([a-z0-9-]+):\d{12}:eventdatastore\/([A-Za-z0-9-]+)$/;
const EVENT_DATA_STORE_ID = /^[A-Za-z0-9-]{3,128}$/;
const TABLE_NAME = /^[A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)?$/;
const COLUMN_NAME = /^[A-Za-z0-9_]+$/;
const ACCOUNT_ID = /^\d{12}$/;
const DURATION = /^(\d+)\s*(s|m|min|h)$/;
const DEFAULT_TIMEOUT = '30m';
/** StartQuery's limit on the length of QueryStatement. */
const LAKE_STATEMENT_LIMIT = 10_000;

const ENGINE_NAMES: Record<Exclude<PushdownEngine, 'duckdb'>, string> = {
  'cloudtrail-lake': 'CloudTrail Lake',
  athena: 'Athena',
};

/** Usage aggregated by CloudTrail Lake or Athena: only the aggregate is downloaded. */
export const cloudtrailPushdownSource = defineSource<PushdownOptions>({
  id: 'cloudtrail-pushdown',
  summary:
    'CloudTrail usage aggregated where the logs are: a CloudTrail Lake event data store or an Athena table',
  options: [
    {
      flags: '--cloudtrail-lake <event-data-store>',
      description: 'aggregate CloudTrail usage in this CloudTrail Lake event data store (ARN or id)',
    },
    {
      flags: '--athena <table>',
      description:
        "aggregate CloudTrail usage with Athena over this table ([database.]table, AWS's CloudTrail layout)",
    },
    { flags: '--athena-database <name>', description: 'Athena database of --athena (default: default)' },
    { flags: '--athena-workgroup <name>', description: 'Athena workgroup (default: primary)' },
    {
      flags: '--athena-output <s3-uri>',
      description: "where Athena writes query results (s3://…; default: the workgroup's location)",
    },
    {
      flags: '--athena-date-partition <column>',
      description: 'the table partition holding the yyyy/MM/dd delivery date (default: timestamp)',
    },
    {
      flags: '--athena-account-partition <column>',
      description:
        'the table partition holding the account id, to prune by --pushdown-account (default: none)',
    },
    {
      flags: '--pushdown-account <account-id>',
      description:
        'only events of this account (recipientAccountId) count (repeatable; default: every account)',
      repeatable: true,
    },
    {
      flags: '--pushdown-timeout <duration>',
      description: `give up waiting for the engine after this long: 90s, 20m, 2h (default: ${DEFAULT_TIMEOUT})`,
    },
  ],
  plan(values) {
    const lake = optionString(values, 'cloudtrailLake');
    const athena = optionString(values, 'athena');
    const athenaOnly = [
      'athenaDatabase',
      'athenaWorkgroup',
      'athenaOutput',
      'athenaDatePartition',
      'athenaAccountPartition',
    ];
    if (!lake && !athena) {
      const stray = [...athenaOnly, 'pushdownAccount', 'pushdownTimeout'].find(
        (name) => values[name] !== undefined,
      );
      if (stray) {
        throw new UserError(
          `--${kebab(stray)} needs --cloudtrail-lake or --athena`,
          'name the event data store or the Athena table the aggregation should run on',
        );
      }
      return null;
    }
    if (lake && athena) {
      throw new UserError(
        'give --cloudtrail-lake or --athena, not both',
        'both would count the same CloudTrail events; run one scan per engine if they hold different trails',
      );
    }
    if (lake) {
      const stray = athenaOnly.find((name) => values[name] !== undefined);
      if (stray) throw new UserError(`--${kebab(stray)} applies to --athena, not --cloudtrail-lake`);
    }
    const accounts = optionList(values, 'pushdownAccount');
    const badAccount = accounts.find((account) => !ACCOUNT_ID.test(account));
    if (badAccount) throw new UserError(`--pushdown-account ${badAccount} is not a 12-digit AWS account id`);
    const timeoutMs = parseTimeout(optionString(values, 'pushdownTimeout') ?? DEFAULT_TIMEOUT);
    const target = lake ? lakeTarget(lake) : athenaTarget(athena as string, values);
    const options = {
      target,
      accounts: [...new Set(accounts)],
      timeoutMs,
      connection: connectionOptions(values),
    };
    if (target.engine === 'cloudtrail-lake') checkStatementLength(options);
    return options;
  },
  dryRun(options, context) {
    const scope = scopeOf(options, context);
    return `-- ${describeTarget(options.target)}; ${describeScope(scope)}\n${renderAggregation(dialectOf(options.target), scope)};\n`;
  },
  async collect(options, context) {
    const scope = scopeOf(options, context);
    const sql = renderAggregation(dialectOf(options.target), scope);
    const engine = ENGINE_NAMES[options.target.engine];
    context.progress({
      phase: 'start',
      message: `running the usage aggregation on ${describeTarget(options.target)}`,
    });
    const run = await runEngine(options, sql, context);
    const parsed = parseAggregateRows(run.rows);
    const observations = rebuildObservations(
      parsed.rows,
      await loadActionCatalogue(
        parsed.rows.map((row) => (row.kind === 'usage' ? (row.eventSource ?? '') : '')),
      ),
    );
    const where = `${engine} ${options.target.engine === 'athena' ? 'table' : 'event data store'} ${targetName(options.target)}`;
    const errors: InputError[] = [...run.problems, ...parsed.problems].map((message) => ({
      file: where,
      message,
    }));
    const result: SourceResult = {
      name: options.target.engine,
      inventory: {},
      coverage: {
        pushdown: {
          engine: options.target.engine,
          target: targetName(options.target),
          window: { since: scope.since, until: scope.until },
          accounts: scope.accounts,
          queryIds: run.queryIds,
          bytesScanned: run.bytesScanned,
          eventsScanned: run.eventsScanned,
          rows: run.rows.length,
          events: observations.events,
          mapped: observations.mapped,
          unmapped: observations.unmapped,
          peakLowerBounds: observations.peakLowerBounds,
          errors,
        },
        window: { firstEvent: observations.firstEventAt, lastEvent: observations.lastEventAt },
      },
      errors,
      detail: describeRun(engine, options.target, run, observations),
      link: (inventory) => reconcileObservations(inventory, observations),
    };
    return [result];
  },
});

async function runEngine(options: PushdownOptions, sql: string, context: CollectContext): Promise<EngineRun> {
  const timing = { timeoutMs: options.timeoutMs };
  const target = options.target;
  const onProgress = (message: string): void => context.progress({ phase: 'update', message });
  if (target.engine === 'cloudtrail-lake') {
    return runOnCloudTrailLake({
      sql,
      timing,
      client: clientConfig(
        context.env,
        'CLOUDTRAIL',
        options.connection,
        target.region,
      ) as CloudTrailClientConfig,
      onProgress,
    });
  }
  return runOnAthena({
    sql,
    timing,
    client: clientConfig(context.env, 'ATHENA', options.connection, null) as AthenaClientConfig,
    workgroup: target.workgroup,
    database: target.database,
    outputLocation: target.outputLocation,
    onProgress,
  });
}

/**
 * The SDK client settings: the region of the event data store's ARN, else `--region`, else AWS_REGION (or the
 * profile's); credentials from the SDK's default chain with `--profile` (keys set in the scan's environment are used
 * as they are); the endpoint overrides the SDKs document (AWS_ENDPOINT_URL_<SERVICE>, AWS_ENDPOINT_URL).
 */
function clientConfig(
  env: Readonly<Record<string, string | undefined>>,
  service: 'CLOUDTRAIL' | 'ATHENA',
  connection: AwsConnectionOptions,
  storeRegion: string | null,
): CloudTrailClientConfig | AthenaClientConfig {
  const endpoint = env[`AWS_ENDPOINT_URL_${service}`] ?? env.AWS_ENDPOINT_URL;
  const region = storeRegion ?? connection.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  const credentials =
    accessKeyId && secretAccessKey && !connection.profile
      ? { accessKeyId, secretAccessKey, sessionToken: env.AWS_SESSION_TOKEN }
      : fromNodeProviderChain(connection.profile ? { profile: connection.profile } : {});
  return {
    ...(region ? { region } : {}),
    ...(connection.profile ? { profile: connection.profile } : {}),
    ...(endpoint ? { endpoint } : {}),
    credentials,
    maxAttempts: 4,
    customUserAgent: 'agentaudit',
  };
}

function lakeTarget(value: string): LakeTarget {
  const arn = EVENT_DATA_STORE_ARN.exec(value);
  if (arn)
    return {
      engine: 'cloudtrail-lake',
      eventDataStore: value,
      eventDataStoreId: arn[2] as string,
      region: arn[1] as string,
    };
  if (EVENT_DATA_STORE_ID.test(value)) {
    return { engine: 'cloudtrail-lake', eventDataStore: value, eventDataStoreId: value, region: null };
  }
  throw new UserError(
    `--cloudtrail-lake ${value} is not an event data store ARN or id`,
    'give arn:aws:cloudtrail:<region>:<account>:eventdatastore/<id>, or the id (aws cloudtrail list-event-data-stores)',
  );
}

function athenaTarget(table: string, values: Readonly<Record<string, unknown>>): AthenaTarget {
  if (!TABLE_NAME.test(table)) {
    throw new UserError(
      `--athena ${table} is not a table name`,
      'give table or database.table (letters, digits, _)',
    );
  }
  const [first, second] = table.split('.') as [string, string | undefined];
  const database = optionString(values, 'athenaDatabase') ?? (second ? first : 'default');
  const outputLocation = optionString(values, 'athenaOutput') ?? null;
  if (outputLocation !== null && !/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](?:\/.*)?$/.test(outputLocation)) {
    throw new UserError(
      `--athena-output ${outputLocation} is not an s3:// location`,
      'e.g. s3://my-athena-results/agentaudit/',
    );
  }
  const column = (name: string, fallback: string | null): string | null => {
    const value = optionString(values, name) ?? fallback;
    if (value !== null && !COLUMN_NAME.test(value))
      throw new UserError(`--${kebab(name)} ${value} is not a column name`);
    return value;
  };
  return {
    engine: 'athena',
    table: second ? table : `${database}.${first}`,
    database,
    workgroup: optionString(values, 'athenaWorkgroup') ?? 'primary',
    outputLocation,
    datePartition: column('athenaDatePartition', 'timestamp') as string,
    accountPartition: column('athenaAccountPartition', null),
  };
}

/** Refuses a Lake statement over StartQuery's limit (its length does not depend on the window's dates). */
function checkStatementLength(options: PushdownOptions): void {
  const sample = {
    since: '2000-01-01T00:00:00.000Z',
    until: '2000-01-02T00:00:00.000Z',
    accounts: options.accounts,
  };
  const length = renderAggregation(dialectOf(options.target), sample).length;
  if (length > LAKE_STATEMENT_LIMIT) {
    throw new UserError(
      `with ${options.accounts.length} accounts the CloudTrail Lake statement is ${length} characters, over StartQuery's ${LAKE_STATEMENT_LIMIT}`,
      'name fewer --pushdown-account (one scan per group of accounts), or none: the query then covers every account in the store',
    );
  }
}

function parseTimeout(value: string): number {
  const match = DURATION.exec(value.trim());
  const amount = match ? Number(match[1]) : NaN;
  if (!match || !(amount > 0)) {
    throw new UserError(
      `--pushdown-timeout ${value} is not a duration`,
      'give seconds, minutes or hours: 90s, 20m, 2h',
    );
  }
  const unit = match[2] === 's' ? 1_000 : match[2] === 'h' ? 3_600_000 : 60_000;
  return amount * unit;
}

const kebab = (name: string): string => name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);

function dialectOf(target: LakeTarget | AthenaTarget): SqlDialect {
  return target.engine === 'cloudtrail-lake'
    ? cloudTrailLakeDialect(target.eventDataStoreId)
    : athenaDialect(target);
}

function scopeOf(options: PushdownOptions, context: DryRunContext): AggregationScope {
  return { since: context.window.since, until: context.window.until, accounts: options.accounts };
}

const targetName = (target: LakeTarget | AthenaTarget): string =>
  target.engine === 'cloudtrail-lake' ? target.eventDataStore : target.table;

function describeTarget(target: LakeTarget | AthenaTarget): string {
  return target.engine === 'cloudtrail-lake'
    ? `CloudTrail Lake event data store ${target.eventDataStore}`
    : `Athena table ${target.table} (workgroup ${target.workgroup})`;
}

function describeScope(scope: AggregationScope): string {
  const accounts = scope.accounts.length > 0 ? `accounts ${scope.accounts.join(', ')}` : 'every account';
  return `events from ${scope.since} to ${scope.until}, ${accounts}`;
}

function describeRun(
  engine: string,
  target: LakeTarget | AthenaTarget,
  run: EngineRun,
  observations: PushdownObservations,
): string {
  const where = `${engine} ${targetName(target)}`;
  const queries = run.queryIds.length > 0 ? ` (query ${run.queryIds.join(', ')})` : '';
  if (run.rows.length === 0 && run.problems.length > 0) return `${where}: no usage aggregated${queries}`;
  const total = observations.mapped + observations.unmapped;
  const share = total === 0 ? 'n/a' : `${((100 * observations.mapped) / total).toFixed(1)}%`;
  const scanned = run.bytesScanned === null ? '' : `, ${formatBytes(run.bytesScanned)} scanned`;
  const peaks =
    observations.peakLowerBounds > 0
      ? `; ${observations.peakLowerBounds} per-minute peaks are lower bounds`
      : '';
  return (
    `${where}: ${observations.events} events aggregated by the engine into ${run.rows.length} rows${queries}` +
    `${scanned}, ${share} mapped to IAM actions${peaks}`
  );
}
