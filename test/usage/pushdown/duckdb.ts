// Runs the pushed-down aggregation on DuckDB over CloudTrail files, as the tests' stand-in for Lake and Athena.
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import { renderAggregation } from '../../../src/usage/pushdown/aggregation.js';
import {
  duckDbDialect,
  duckDbEventsView,
  type AggregationScope,
} from '../../../src/usage/pushdown/dialects.js';
import type { EngineRow } from '../../../src/usage/pushdown/resultRows.js';

/** A CloudTrail event as JSON. */
export type CloudTrailRecord = Record<string, unknown>;

/** The events of one file in any of the shapes local ingest reads: `{"Records": […]}`, an array, one object, JSON lines. */
export function eventsOfFile(path: string): CloudTrailRecord[] {
  const text = readFileSync(path, 'utf8');
  let values: unknown[];
  try {
    const value = JSON.parse(text) as unknown;
    values = Array.isArray(value) ? value : [value];
  } catch {
    values = text
      .split('\n')
      .filter((line) => line.trim())
      .map((line) => JSON.parse(line) as unknown);
  }
  return values.flatMap((value): CloudTrailRecord[] => {
    const record = value as CloudTrailRecord;
    if (Array.isArray(record.Records)) return record.Records as CloudTrailRecord[];
    if (typeof record.CloudTrailEvent === 'string')
      return [JSON.parse(record.CloudTrailEvent) as CloudTrailRecord];
    return [record];
  });
}

/** Every log file under `folder` (licences aside), sorted. */
export function logFiles(folder: string): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name !== 'LICENSE') files.push(path);
    }
  };
  walk(folder);
  return files;
}

/**
 * Rewrites each file as CloudTrail delivers it to S3 (`{"Records": […]}`, gzipped), changing the shape only — the
 * form the DuckDB view reads, as Athena reads a trail's bucket. Returns the written paths.
 */
export function writeDeliveryFiles(
  files: readonly string[],
  root: string,
  out: string,
  keep: (event: CloudTrailRecord) => boolean = () => true,
): string[] {
  return files.map((file) => {
    const target = join(out, `${relative(root, file)}.json.gz`);
    mkdirSync(join(target, '..'), { recursive: true });
    writeFileSync(target, gzipSync(JSON.stringify({ Records: eventsOfFile(file).filter(keep) })));
    return target;
  });
}

/** Runs the DuckDB rendering of the aggregation over delivery files and returns its rows as text, like an engine. */
export async function aggregateOnDuckDb(
  files: readonly string[],
  scope: AggregationScope,
): Promise<EngineRow[]> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    await connection.run(duckDbEventsView(files));
    const reader = await connection.runAndReadAll(renderAggregation(duckDbDialect(), scope));
    return reader
      .getRowObjectsJson()
      .map((row) =>
        Object.fromEntries(
          Object.entries(row).map(([column, value]) => [column, value === null ? null : String(value)]),
        ),
      );
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
