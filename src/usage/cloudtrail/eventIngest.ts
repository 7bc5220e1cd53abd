// Ingests CloudTrail events that do not come from local files (LookupEvents items, S3 objects) exactly as file ingest does.
import type { Readable } from 'node:stream';
import type { InputError } from '../../model/types.js';
import { loadActionCatalogue } from './eventAction.js';
import { EventIdSet } from './eventIdSet.js';
import { FileIngestion } from './fileIngestion.js';
import type { CloudTrailIngestResult } from './ingest.js';
import { readCloudTrailStream, readingContext, type ReadingContext } from './ingestFile.js';
import { looksLikeCloudTrailEvent, observeEvent } from './observedEvent.js';
import { evidenceWindow, ingestResult } from './ingestResult.js';
import { UsageAggregator } from './usageAggregator.js';
import { keepYoungGenerationSmall } from './youngGeneration.js';

/** Problems with single events of one origin, reported once per origin with a count. */
interface OriginProblems {
  invalidJson: number;
  firstInvalid: string | null;
  notEvents: number;
  undated: number;
}

/**
 * One CloudTrail ingestion fed by API responses instead of files: events one at a time (`addEvent`, e.g. the
 * `CloudTrailEvent` JSON string of each LookupEvents item) and whole log objects (`addLogStream`, e.g. an S3 object's
 * body, gzip or not). Both go through the same eventID deduplication, evidence window and aggregation as
 * `ingestCloudTrail` — a log object is read into digest chunks by the same reader as a file, and its chunks go through
 * the same `FileIngestion` — so the same events give the same usage rows whatever way they arrived. `finish` returns
 * the same result shape. Bad input never throws: it is counted and reported per origin.
 */
export class CloudTrailEventIngest {
  private readonly aggregator: UsageAggregator;
  private readonly seen = new EventIdSet();
  private readonly ingestion: FileIngestion;
  /**
   * Reading contexts not in use. A context (its digest writer, its field caches) serves one stream at a time, and
   * log objects are read concurrently: each stream takes one of its own, sharing them would mix their events.
   */
  private readonly idleContexts: ReadingContext[] = [];
  private readonly problems = new Map<string, OriginProblems>();
  private readonly errors: InputError[] = [];
  private files = 0;
  private events = 0;
  private duplicates = 0;

  /** `since`/`until`: ISO date-times bounding the evidence window (open when absent). */
  constructor(window: { since?: string; until?: string } = {}) {
    this.aggregator = new UsageAggregator(evidenceWindow(window));
    keepYoungGenerationSmall();
    this.ingestion = new FileIngestion([], null, this.aggregator, this.seen);
  }

  /**
   * Adds one event: a parsed event object, or its JSON text (LookupEvents' `CloudTrailEvent`). `origin` names where
   * it came from in error messages (`cloudtrail:LookupEvents (eu-west-1)`).
   */
  addEvent(event: unknown, origin: string): void {
    let value = event;
    if (typeof event === 'string') {
      try {
        value = JSON.parse(event);
      } catch (error) {
        const problems = this.problemsOf(origin);
        problems.invalidJson++;
        problems.firstInvalid ??= error instanceof Error ? error.message : String(error);
        return;
      }
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.problemsOf(origin).notEvents++;
      return;
    }
    const record = value as Record<string, unknown>;
    if (!looksLikeCloudTrailEvent(record)) {
      this.problemsOf(origin).notEvents++;
      return;
    }
    const observed = observeEvent(record);
    if (!this.seen.addOne(observed.idHash1, observed.idHash2)) {
      this.duplicates++;
      return;
    }
    this.events++;
    if (Number.isNaN(observed.time)) this.problemsOf(origin).undated++;
    this.aggregator.add(observed);
  }

  /** Adds a whole log object (`{"Records": […]}`, gzip or plain) read from `body`; `name` labels it (`s3://…`). */
  async addLogStream(name: string, body: Readable): Promise<void> {
    const context = this.idleContexts.pop() ?? readingContext((id, chunk) => this.ingestion.chunk(id, chunk));
    let outcome;
    try {
      outcome = this.ingestion.done(
        await readCloudTrailStream(this.ingestion.streamTask(name), body, context),
      );
    } finally {
      this.idleContexts.push(context);
    }
    this.files++;
    if (!outcome) return;
    this.events += outcome.events;
    this.duplicates += outcome.duplicates;
    this.errors.push(...outcome.errors);
  }

  /** Records a problem that is not about one event (a request that failed), so it shows in the coverage. */
  addError(error: InputError): void {
    this.errors.push(error);
  }

  /** Maps what was aggregated to IAM actions and returns rows sorted by their keys, as `ingestCloudTrail` does. */
  async finish(): Promise<CloudTrailIngestResult> {
    const catalogue = await loadActionCatalogue(this.aggregator.eventSources());
    const summary = this.aggregator.summarize(catalogue);
    return ingestResult(
      summary,
      { files: this.files, events: this.events, duplicates: this.duplicates },
      [...this.errors, ...this.originErrors()],
      [],
    );
  }

  private problemsOf(origin: string): OriginProblems {
    let problems = this.problems.get(origin);
    if (!problems) {
      problems = { invalidJson: 0, firstInvalid: null, notEvents: 0, undated: 0 };
      this.problems.set(origin, problems);
    }
    return problems;
  }

  private originErrors(): InputError[] {
    const errors: InputError[] = [];
    for (const [file, problems] of this.problems) {
      if (problems.invalidJson > 0) {
        errors.push({
          file,
          message: `${counted(problems.invalidJson, 'event')} with invalid JSON skipped (first: ${problems.firstInvalid ?? 'invalid JSON'})`,
        });
      }
      if (problems.notEvents > 0) {
        errors.push({
          file,
          message: `${counted(problems.notEvents, 'value')} that ${problems.notEvents === 1 ? 'is' : 'are'} not CloudTrail events skipped`,
        });
      }
      if (problems.undated > 0) {
        errors.push({
          file,
          message: `${counted(problems.undated, 'event')} without a valid eventTime: counted but not aggregated`,
        });
      }
    }
    return errors;
  }
}

const counted = (count: number, noun: string): string => `${count} ${noun}${count === 1 ? '' : 's'}`;
