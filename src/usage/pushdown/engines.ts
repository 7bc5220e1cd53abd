// Runs the aggregation on CloudTrail Lake (StartQuery, DescribeQuery, GetQueryResults) or Athena, and reads back its rows.
import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand as GetAthenaResultsCommand,
  StartQueryExecutionCommand,
  type AthenaClientConfig,
} from '@aws-sdk/client-athena';
import {
  CloudTrailClient,
  DescribeQueryCommand,
  GetQueryResultsCommand as GetLakeResultsCommand,
  StartQueryCommand,
  type CloudTrailClientConfig,
} from '@aws-sdk/client-cloudtrail';
import { errorMessage } from '../../errors/errors.js';
import { pollUntilSettled, PollTimeout, type PollTiming } from './poll.js';
import type { EngineRow } from './resultRows.js';

/** What one run of the aggregation on an engine gave. */
export interface EngineRun {
  rows: EngineRow[];
  /** Every query started (one per run today), for the report and for people to look the query up. */
  queryIds: string[];
  /** Bytes the engine scanned, when it says (the basis of its price). */
  bytesScanned: number | null;
  /** Events the engine scanned, when it says (CloudTrail Lake does). */
  eventsScanned: number | null;
  /** What went wrong, in the engine's words; empty when the rows are complete. */
  problems: string[];
}

/** Where and how to run on CloudTrail Lake. */
export interface LakeRun {
  sql: string;
  timing: PollTiming;
  client: CloudTrailClientConfig;
  /** Told when the query's state changes (`query … running`), for a person watching a long query. */
  onProgress?: (message: string) => void;
}

/** Where and how to run on Athena. */
export interface AthenaRun {
  sql: string;
  timing: PollTiming;
  client: AthenaClientConfig;
  workgroup: string;
  database: string;
  /** `s3://…` for the results; the workgroup's own location when absent. */
  outputLocation: string | null;
  onProgress?: (message: string) => void;
}

const PAGE_SIZE = 1000;
const LAKE_RUNNING = new Set(['QUEUED', 'RUNNING']);
const ATHENA_RUNNING = new Set(['QUEUED', 'RUNNING']);

/**
 * Starts the query on CloudTrail Lake, polls DescribeQuery with backoff until it finishes, and pages through
 * GetQueryResults. Never throws for an engine's refusal, a failed or cancelled query, or a timeout: those become
 * `problems` with the engine's message (a timed-out query is left to Lake, which stops it by its own limit).
 */
export async function runOnCloudTrailLake(run: LakeRun): Promise<EngineRun> {
  const client = new CloudTrailClient(run.client);
  const result: EngineRun = { rows: [], queryIds: [], bytesScanned: null, eventsScanned: null, problems: [] };
  try {
    const started = await client.send(new StartQueryCommand({ QueryStatement: run.sql }));
    const queryId = started.QueryId;
    if (!queryId) return { ...result, problems: ['StartQuery returned no query id'] };
    result.queryIds.push(queryId);
    const report = stateReporter(queryId, run.onProgress);
    const described = await pollUntilSettled(async () => {
      const answer = await client.send(new DescribeQueryCommand({ QueryId: queryId }));
      const status = answer.QueryStatus ?? 'UNKNOWN';
      report(status);
      return LAKE_RUNNING.has(status) ? { settled: false, state: status } : { settled: true, value: answer };
    }, run.timing);
    result.bytesScanned = described.QueryStatistics?.BytesScanned ?? null;
    result.eventsScanned = described.QueryStatistics?.EventsScanned ?? null;
    if (described.QueryStatus !== 'FINISHED') {
      const reason = described.ErrorMessage ? `: ${described.ErrorMessage}` : '';
      result.problems.push(`query ${queryId} ${(described.QueryStatus ?? 'unknown').toLowerCase()}${reason}`);
      return result;
    }
    let nextToken: string | undefined;
    do {
      const page = await client.send(
        new GetLakeResultsCommand({ QueryId: queryId, NextToken: nextToken, MaxQueryResults: PAGE_SIZE }),
      );
      if (page.ErrorMessage) result.problems.push(`query ${queryId}: ${page.ErrorMessage}`);
      for (const cells of page.QueryResultRows ?? [])
        result.rows.push(Object.assign({}, ...cells) as EngineRow);
      result.bytesScanned ??= page.QueryStatistics?.BytesScanned ?? null;
      nextToken = page.NextToken;
    } while (nextToken);
  } catch (error) {
    result.problems.push(describeFailure(error, result.queryIds));
  } finally {
    client.destroy();
  }
  return result;
}

/**
 * Starts the query on Athena (in the workgroup, with the database as context and the output location when given),
 * polls GetQueryExecution with backoff until it settles, and pages through GetQueryResults (whose first row is the
 * header). Never throws for an engine's refusal, a failed query or a timeout: those become `problems`.
 */
export async function runOnAthena(run: AthenaRun): Promise<EngineRun> {
  const client = new AthenaClient(run.client);
  const result: EngineRun = { rows: [], queryIds: [], bytesScanned: null, eventsScanned: null, problems: [] };
  try {
    const started = await client.send(
      new StartQueryExecutionCommand({
        QueryString: run.sql,
        WorkGroup: run.workgroup,
        QueryExecutionContext: { Database: run.database },
        ...(run.outputLocation ? { ResultConfiguration: { OutputLocation: run.outputLocation } } : {}),
      }),
    );
    const queryId = started.QueryExecutionId;
    if (!queryId) return { ...result, problems: ['StartQueryExecution returned no query execution id'] };
    result.queryIds.push(queryId);
    const report = stateReporter(queryId, run.onProgress);
    const execution = await pollUntilSettled(async () => {
      const answer = await client.send(new GetQueryExecutionCommand({ QueryExecutionId: queryId }));
      const state = answer.QueryExecution?.Status?.State ?? 'UNKNOWN';
      report(state);
      return ATHENA_RUNNING.has(state)
        ? { settled: false, state }
        : { settled: true, value: answer.QueryExecution ?? {} };
    }, run.timing);
    result.bytesScanned = execution.Statistics?.DataScannedInBytes ?? null;
    const state = execution.Status?.State;
    if (state !== 'SUCCEEDED') {
      const message = execution.Status?.AthenaError?.ErrorMessage ?? execution.Status?.StateChangeReason;
      result.problems.push(
        `query ${queryId} ${(state ?? 'unknown').toLowerCase()}${message ? `: ${message}` : ''}`,
      );
      return result;
    }
    let columns: string[] | null = null;
    let nextToken: string | undefined;
    do {
      const page = await client.send(
        new GetAthenaResultsCommand({
          QueryExecutionId: queryId,
          NextToken: nextToken,
          MaxResults: PAGE_SIZE,
        }),
      );
      columns ??= (page.ResultSet?.ResultSetMetadata?.ColumnInfo ?? []).map((column) => column.Name ?? '');
      const rows = page.ResultSet?.Rows ?? [];
      rows.forEach((row, index) => {
        const values = (row.Data ?? []).map((datum) => datum.VarCharValue ?? null);
        // The first row of the first page repeats the column names.
        if (nextToken === undefined && index === 0 && sameValues(values, columns ?? [])) return;
        result.rows.push(Object.fromEntries((columns ?? []).map((column, i) => [column, values[i] ?? null])));
      });
      nextToken = page.NextToken;
    } while (nextToken);
  } catch (error) {
    result.problems.push(describeFailure(error, result.queryIds));
  } finally {
    client.destroy();
  }
  return result;
}

/** Reports a query's state each time it changes. */
function stateReporter(
  queryId: string,
  onProgress: ((message: string) => void) | undefined,
): (state: string) => void {
  let last: string | null = null;
  return (state) => {
    if (state === last) return;
    last = state;
    onProgress?.(`query ${queryId} ${state.toLowerCase()}`);
  };
}

const sameValues = (values: readonly (string | null)[], names: readonly string[]): boolean =>
  values.length === names.length && values.every((value, i) => value === names[i]);

function describeFailure(error: unknown, queryIds: readonly string[]): string {
  const query = queryIds.length > 0 ? `query ${queryIds[queryIds.length - 1]} ` : '';
  if (error instanceof PollTimeout) {
    return `${query}${error.message}; it may still be running: look it up, or stop it, in the engine's console`;
  }
  const name = (error as { name?: unknown } | null)?.name;
  const kind = typeof name === 'string' && name !== 'Error' ? `${name}: ` : '';
  return `${query}${queryIds.length > 0 ? 'failed: ' : ''}${kind}${errorMessage(error)}`;
}
