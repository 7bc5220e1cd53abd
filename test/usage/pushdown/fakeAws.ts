// A local stand-in for the CloudTrail Lake and Athena query APIs (JSON 1.1 over HTTP on 127.0.0.1), scripted per test.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OUTPUT_COLUMNS } from '../../../src/usage/pushdown/aggregation.js';
import type { EngineRow } from '../../../src/usage/pushdown/resultRows.js';

/** How the fake engine behaves for one query. */
export interface EngineScript {
  /** States reported by each status poll, in order (the last repeats): Lake `QUEUED`/`RUNNING`/`FINISHED`/`FAILED`…, Athena `…`/`SUCCEEDED`. */
  states: string[];
  /** The engine's message when the query fails. */
  errorMessage?: string;
  /** Rows the query returns, as the engine's text. */
  rows?: EngineRow[];
  /** Rows per results page. */
  pageSize?: number;
  bytesScanned?: number;
  /** An error answer to the start call: `{ type: 'InvalidQueryStatementException', message }`. */
  startError?: { type: string; message: string };
}

/** A request the fake received. */
export interface ReceivedCall {
  /** `StartQuery`, `DescribeQuery`, `GetQueryResults`, `StartQueryExecution`, … */
  operation: string;
  body: Record<string, unknown>;
  authorization: string;
}

/** A running fake. */
export interface FakeAws {
  url: string;
  calls: ReceivedCall[];
  close(): Promise<void>;
}

const QUERY_ID = 'a1b2c3d4-0000-4000-8000-00000000cafe';

/** Starts the fake on a free port; it answers every call per `script`. */
export async function startFakeAws(script: EngineScript): Promise<FakeAws> {
  const calls: ReceivedCall[] = [];
  let polls = 0;
  const rows = script.rows ?? [];
  const pageSize = script.pageSize ?? 25;
  const state = (): string => script.states[Math.min(polls++, script.states.length - 1)] as string;
  const page = (token: unknown): { slice: EngineRow[]; next: string | undefined } => {
    const start = typeof token === 'string' ? Number(token) : 0;
    const end = start + pageSize;
    return { slice: rows.slice(start, end), next: end < rows.length ? String(end) : undefined };
  };

  const handlers: Record<string, (body: Record<string, unknown>) => [number, unknown]> = {
    // CloudTrail Lake
    StartQuery: () =>
      script.startError
        ? [400, { __type: script.startError.type, message: script.startError.message }]
        : [200, { QueryId: QUERY_ID }],
    DescribeQuery: () => {
      const status = state();
      return [
        200,
        {
          QueryId: QUERY_ID,
          QueryStatus: status,
          QueryStatistics: {
            BytesScanned: script.bytesScanned,
            EventsScanned: 9_876,
            EventsMatched: rows.length,
          },
          ...(status === 'FAILED' ? { ErrorMessage: script.errorMessage } : {}),
        },
      ];
    },
    GetQueryResults: (body) => {
      if (typeof body.QueryExecutionId === 'string') return athenaResults(body);
      const { slice, next } = page(body.NextToken);
      return [
        200,
        {
          QueryStatus: 'FINISHED',
          QueryStatistics: {
            ResultsCount: slice.length,
            TotalResultsCount: rows.length,
            BytesScanned: script.bytesScanned,
          },
          // One single-entry map per column; CloudTrail Lake leaves NULLs out.
          QueryResultRows: slice.map((row) =>
            OUTPUT_COLUMNS.filter((column) => row[column] !== null && row[column] !== undefined).map(
              (column) => ({
                [column]: row[column],
              }),
            ),
          ),
          ...(next ? { NextToken: next } : {}),
        },
      ];
    },
    // Athena
    StartQueryExecution: () =>
      script.startError
        ? [400, { __type: script.startError.type, Message: script.startError.message }]
        : [200, { QueryExecutionId: QUERY_ID }],
    GetQueryExecution: () => {
      const status = state();
      return [
        200,
        {
          QueryExecution: {
            QueryExecutionId: QUERY_ID,
            Status: {
              State: status,
              ...(status === 'FAILED'
                ? {
                    StateChangeReason: script.errorMessage,
                    AthenaError: { ErrorMessage: script.errorMessage },
                  }
                : {}),
            },
            Statistics: { DataScannedInBytes: script.bytesScanned },
          },
        },
      ];
    },
  };

  function athenaResults(body: Record<string, unknown>): [number, unknown] {
    const { slice, next } = page(body.NextToken);
    const data = (values: ReadonlyArray<string | null | undefined>) => ({
      // Athena leaves VarCharValue out for NULL.
      Data: values.map((value) => (value === null || value === undefined ? {} : { VarCharValue: value })),
    });
    const header = body.NextToken === undefined ? [data(OUTPUT_COLUMNS)] : [];
    return [
      200,
      {
        ResultSet: {
          Rows: [...header, ...slice.map((row) => data(OUTPUT_COLUMNS.map((column) => row[column])))],
          ResultSetMetadata: { ColumnInfo: OUTPUT_COLUMNS.map((Name) => ({ Name, Type: 'varchar' })) },
        },
        ...(next ? { NextToken: next } : {}),
      },
    ];
  }

  const server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const target = String(request.headers['x-amz-target'] ?? '');
      const operation = target.slice(target.indexOf('.') + 1);
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
      calls.push({ operation, body, authorization: String(request.headers.authorization ?? '') });
      const handler = handlers[operation];
      const [status, answer] = handler
        ? handler(body)
        : [400, { __type: 'UnknownOperationException', message: `no ${operation}` }];
      response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
      response.end(JSON.stringify(answer));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The query id the fake hands out. */
export const FAKE_QUERY_ID = QUERY_ID;
