// The contract every source of a scan follows (connectors and audit-log ingesters): declared flags, collection, results.
import type { InputError, Inventory } from '../model/types.js';
import type { ProgressEvent } from '../scan/progress.js';
import type { CloudTrailFileCache } from '../store/cloudtrailFiles.js';
import type { HttpResponseCache } from '../store/httpCache.js';

/** The evidence window usage rests on: events in [since, until] count as use. ISO-8601 UTC. */
export interface EvidenceWindow {
  since: string;
  until: string;
}

/**
 * Where raw responses go or come from: `agentaudit collect` records into `recordDir`; `scan --from DIR` replays from
 * `replayDir` and never touches the network. Sources that honour it declare `replayable: true`.
 */
export interface SnapshotOptions {
  recordDir?: string;
  replayDir?: string;
}

/** What every source receives from the scan service. Never flags: those were turned into options already. */
export interface CollectContext {
  /** "Now" for ages and "unused for N days". */
  asOf: string;
  /** The evidence window for every usage source (`--since`, default 90 days before `asOf`). */
  window: EvidenceWindow;
  /** Threads a CPU-bound source may use. */
  concurrency: number;
  /** Reports progress for a person at a terminal; `source` and `elapsedMs` are filled in by the scan service. */
  progress: (update: Omit<ProgressEvent, 'source' | 'elapsedMs'>) => void;
  /** The cache of HTTP responses (ETag / Last-Modified), for connectors that call HTTP APIs. */
  httpCache: HttpResponseCache;
  /** Digests of CloudTrail files read by earlier scans, so unchanged files are not parsed again; absent: all are. */
  cloudtrailFiles?: CloudTrailFileCache;
  /** Environment variables (credentials are read here, never from the cache). */
  env: Readonly<Record<string, string | undefined>>;
  /** Record to / replay from a snapshot folder (absent: talk to the live API). Pass it to `createHttpFetch`. */
  snapshot?: SnapshotOptions;
}

/** What one source contributed to a scan. */
export interface SourceResult {
  /** Shown in `scan.sources[].name`: `aws-exports`, `cloudtrail`, `github:acme`. */
  name: string;
  /** Rows this source found; merged with every other source's before analysis. */
  inventory: Partial<Inventory>;
  /** Merged into the scan's `coverage` object: `{ cloudtrail: {...} }`. Keys are the source's own. */
  coverage: Record<string, unknown>;
  /** What could not be read, each naming the file or endpoint. Non-empty makes the source (and scan) partial. */
  errors: InputError[];
  /** One line for people: what was read. */
  detail: string;
  /** True when nothing at all could be read (the source is `failed`, not `partial`). */
  failed?: boolean;
  /**
   * True when the source could not cover everything though nothing failed (an endpoint the plan or the token cannot
   * reach): the source is `partial` with no errors, and `detail` and `coverage` say what is missing and why.
   */
  partial?: boolean;
  /**
   * Joins this source's observations to the whole estate, after every source's inventory is merged
   * (CloudTrail sessions to roles, a key found on disk to its IAM user, a workflow's OIDC role to the AWS role).
   * Pure: takes the merged inventory and returns a new one.
   */
  link?: (inventory: Inventory) => Inventory;
}

/** What `scan --dry-run` tells a source: the moment and window a real scan would use. */
export interface DryRunContext {
  asOf: string;
  window: EvidenceWindow;
}

/** A source the user asked for, ready to run: its options are already bound. */
export interface PlannedSource {
  /** The source's id (`aws-exports`, `github`, …). */
  id: string;
  /** True when `collect` honours `context.snapshot` (API connectors, local discovery). */
  replayable?: boolean;
  collect(context: CollectContext): Promise<SourceResult[]>;
  /** What it would run, for `scan --dry-run`; absent for sources that have nothing to show. */
  dryRun?: (context: DryRunContext) => string;
}

/** One command-line option a source declares for `scan` (and any command that collects). */
export interface SourceOption {
  /** Commander flags, e.g. `--github <org>` or `--aws`. */
  flags: string;
  description: string;
  /** True for options that may be given several times (values collected into a list). */
  repeatable?: boolean;
  /** Environment variable that supplies the value when the flag is absent (documented in help). */
  env?: string;
  /**
   * True for a flag that locates or is part of a credential (a GitHub App's id and private key file): `agentaudit
   * collect` does not write it into a snapshot, since a replay needs no credential.
   */
  credential?: boolean;
  /**
   * For flags with an optional value (`--local [path]`): the value recorded when the flag is given without one
   * (commander's preset), so a repeatable flag still collects a list.
   */
  preset?: string;
}

/** Option values as commander parsed them, keyed by attribute name (`--aws-authz` → `awsAuthz`). */
export type OptionValues = Readonly<Record<string, unknown>>;

/**
 * A source of a scan: a connector (AWS, GitHub, a SaaS, local files) or an audit-log ingester (CloudTrail).
 * Adding one is one folder plus one line in `src/scan/sources.ts`.
 */
export interface ScanSource<Options> {
  /** Stable id, lower-case words joined by '-'. */
  id: string;
  /** One line for `--help` and docs. */
  summary: string;
  /** The flags this source adds to `scan`. */
  options: readonly SourceOption[];
  /**
   * True when `collect` honours `context.snapshot`: `agentaudit collect` records it and `scan --from DIR` replays it.
   * File-based sources leave it out (their input files are already a snapshot).
   */
  replayable?: boolean;
  /**
   * Environment variables that are not secrets but that a replay needs to plan the same requests (an API base URL);
   * `agentaudit collect` records their values in the snapshot. Never list a credential here.
   */
  recordedEnv?: readonly string[];
  /**
   * Turns parsed flags (and the environment) into this source's options, or null when the user did not ask for it.
   * Throws a UserError for a bad combination (a token missing, two exclusive flags), before anything is collected.
   */
  plan(values: OptionValues, env: Readonly<Record<string, string | undefined>>): Options | null;
  /** Collects. Never throws for bad input or an unreachable endpoint: those are `errors` of the result. */
  collect(options: Options, context: CollectContext): Promise<SourceResult[]>;
  /**
   * Optional: what `collect` would run (e.g. the SQL of a query pushed down to an engine), as text a person can
   * review and run themselves; `scan --dry-run` prints it instead of scanning. No I/O.
   */
  dryRun?(options: Options, context: DryRunContext): string;
}

/** A source with its option type erased, as the registry holds it. */
export interface RegisteredSource {
  id: string;
  summary: string;
  options: readonly SourceOption[];
  replayable?: boolean;
  recordedEnv?: readonly string[];
  /** The planned source when the flags ask for it, else null. */
  plan(values: OptionValues, env: Readonly<Record<string, string | undefined>>): PlannedSource | null;
}

/** Declares a source; the result goes in the registry. */
export function defineSource<Options>(source: ScanSource<Options>): RegisteredSource {
  return {
    id: source.id,
    summary: source.summary,
    options: source.options,
    replayable: source.replayable,
    recordedEnv: source.recordedEnv,
    plan(values, env) {
      const options = source.plan(values, env);
      if (options === null) return null;
      const planned: PlannedSource = {
        id: source.id,
        replayable: source.replayable,
        collect: (context) => source.collect(options, context),
      };
      const dryRun = source.dryRun;
      if (dryRun) planned.dryRun = (context) => dryRun.call(source, options, context);
      return planned;
    },
  };
}

/** The list of strings of a repeatable option (empty when absent). */
export function optionList(values: OptionValues, name: string): string[] {
  const value = values[name];
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value.map(String);
  return [String(value)];
}

/** The string of a single-valued option, or undefined. */
export function optionString(values: OptionValues, name: string): string | undefined {
  const value = values[name];
  if (value === undefined || value === null || value === false) return undefined;
  if (Array.isArray(value)) return value.length > 0 ? String(value[value.length - 1]) : undefined;
  return String(value);
}

/** Whether a boolean option was given. */
export function optionFlag(values: OptionValues, name: string): boolean {
  return values[name] === true;
}
