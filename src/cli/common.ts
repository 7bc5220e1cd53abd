// Flag parsing and output helpers shared by the commands: formats, dates, severities, where output goes, colour.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '../errors/errors.js';
import { SEVERITIES } from '../model/types.js';
import type { FailOn } from './gate.js';

/** Report formats the CLI offers. */
export const FORMATS = ['table', 'json', 'sarif', 'markdown'] as const;
/** A report format. */
export type Format = (typeof FORMATS)[number];

/** The package root (where package.json, rules/ and fixtures/ live), from src/cli or dist/cli alike. */
export const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** agentaudit's version, from package.json. */
export function toolVersion(): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

/** Commander collector for repeatable flags. */
export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** Validates --format. */
export function parseFormat(value: string | undefined): Format {
  const format = (value ?? 'table') as Format;
  if (!FORMATS.includes(format)) {
    throw new UserError(`unknown --format ${value}`, `use one of ${FORMATS.join(', ')}`);
  }
  return format;
}

/** Validates --fail-on. */
export function parseFailOn(value: string | undefined, fallback: FailOn = 'none'): FailOn {
  if (value === undefined) return fallback;
  if (value === 'none' || (SEVERITIES as readonly string[]).includes(value)) return value as FailOn;
  throw new UserError(`unknown --fail-on ${value}`, `use one of ${[...SEVERITIES, 'none'].join(', ')}`);
}

/** Parses --as-of (a date or an ISO timestamp) to an ISO timestamp in UTC. */
export function parseAsOf(value: string | undefined, now: Date = new Date()): string {
  if (value === undefined) return toIso(now);
  const date = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00Z`) : new Date(value);
  if (Number.isNaN(date.getTime())) {
    throw new UserError(`--as-of ${value} is not a date`, 'use YYYY-MM-DD or an ISO-8601 timestamp');
  }
  return toIso(date);
}

/** An ISO-8601 UTC timestamp without milliseconds. */
export function toIso(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Parses a positive integer flag. */
export function parsePositiveInt(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1)
    throw new UserError(`${name} must be a whole number above 0, got ${value}`);
  return number;
}

/** Whether the table may be coloured: a terminal, no NO_COLOR, and not written to a file. */
export function useColor(format: Format, output: string | undefined): boolean {
  if (format !== 'table' || output) return false;
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') return false;
  if (process.env.FORCE_COLOR && process.env.FORCE_COLOR !== '0') return true;
  return process.stdout.isTTY === true;
}

/** Writes a report to --output (private to the user: it names identities) or stdout. */
export function emit(text: string, output: string | undefined): void {
  if (!output) {
    process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
    return;
  }
  fs.mkdirSync(path.dirname(path.resolve(output)), { recursive: true });
  fs.writeFileSync(output, text.endsWith('\n') ? text : `${text}\n`, { mode: 0o600 });
}

/** The default evidence window: 90 days, as Access Analyzer's policy generation and Access Advisor's tracking period. */
export const DEFAULT_SINCE = '90d';

/**
 * Parses --since: a duration before `asOf` (`90d`, `12w`, `36h`) or a date / ISO timestamp. Returns the window's
 * start as an ISO timestamp in UTC; it must be before `asOf`.
 */
export function parseSince(value: string | undefined, asOf: string): string {
  const text = (value ?? DEFAULT_SINCE).trim();
  const duration = /^(\d+)\s*(h|d|w)$/i.exec(text);
  let start: Date;
  if (duration) {
    const hours = { h: 1, d: 24, w: 24 * 7 }[duration[2]!.toLowerCase() as 'h' | 'd' | 'w'];
    start = new Date(Date.parse(asOf) - Number(duration[1]) * hours * 3_600_000);
  } else {
    start = /^\d{4}-\d{2}-\d{2}$/.test(text) ? new Date(`${text}T00:00:00Z`) : new Date(text);
    if (Number.isNaN(start.getTime())) {
      throw new UserError(
        `--since ${value} is neither a duration nor a date`,
        'use a duration such as 90d, 12w or 36h, or a date (YYYY-MM-DD)',
      );
    }
  }
  const since = toIso(start);
  if (since >= asOf) throw new UserError(`--since ${value} is not before --as-of ${asOf}`);
  return since;
}
