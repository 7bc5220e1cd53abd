// A trail's S3 bucket as a scan source: the `s3://` values of `--cloudtrail`, read live and joined to the inventory.
import { reconcileObservations } from '../../../analysis/reconcile.js';
import { CloudTrailEventIngest } from '../../../usage/cloudtrail/eventIngest.js';
import type { CloudTrailIngestResult } from '../../../usage/cloudtrail/ingest.js';
import { defineSource, optionList } from '../../contract.js';
import { CallLog } from './callLog.js';
import { connectAws, type AwsConnectionOptions } from './clients.js';
import { connectionOptions, isS3Url } from './liveOptions.js';
import {
  parseTrailLocation,
  readTrailBucket,
  type TrailBucketOutcome,
  type TrailLocation,
} from './trailBucket.js';

/** What the trail source reads. */
export interface TrailBucketOptions {
  locations: TrailLocation[];
  connection: AwsConnectionOptions;
  /** `cloudtrail`, or `cloudtrailS3` when local CloudTrail files are read in the same scan (theirs is `cloudtrail`). */
  coverageKey: string;
}

/** `N events in M files (D duplicates skipped), X% mapped to IAM actions`, as the local CloudTrail source says it. */
export function describeTrail(trail: CloudTrailIngestResult): string {
  const c = trail.coverage;
  const total = c.mapped + c.unmapped;
  const share = total === 0 ? 'n/a' : `${((100 * c.mapped) / total).toFixed(1)}%`;
  const files = c.files > 0 ? ` in ${c.files} objects` : '';
  return `${c.events} events${files} (${c.duplicates} duplicates skipped), ${share} mapped to IAM actions`;
}

/** CloudTrail logs from trail buckets, `--cloudtrail s3://bucket/prefix` (the local source takes the other paths). */
export const awsTrailBucketSource = defineSource<TrailBucketOptions>({
  id: 'cloudtrail-s3',
  summary: "CloudTrail logs from a trail's S3 bucket (--cloudtrail s3://bucket/prefix), read live",
  // `--cloudtrail` is declared by the local CloudTrail source; `--profile` and `--region` by the live AWS source.
  options: [],
  plan(values) {
    const paths = optionList(values, 'cloudtrail');
    const urls = paths.filter(isS3Url);
    if (urls.length === 0) return null;
    return {
      locations: urls.map(parseTrailLocation),
      connection: connectionOptions(values),
      coverageKey: urls.length < paths.length ? 'cloudtrailS3' : 'cloudtrail',
    };
  },
  async collect(options, context) {
    context.progress({
      phase: 'start',
      message: `reading CloudTrail from ${options.locations.length} bucket(s)`,
    });
    const clients = await connectAws(options.connection, context.env);
    const ingest = new CloudTrailEventIngest(context.window);
    const outcomes: TrailBucketOutcome[] = [];
    let requests = 0;
    try {
      for (const location of options.locations) {
        const log = new CallLog();
        outcomes.push(
          await readTrailBucket(clients.s3, location, context.window, ingest, log, {
            progress: (message, counts) => context.progress({ phase: 'update', message, counts }),
          }),
        );
        requests += log.requests;
        for (const error of log.errors()) ingest.addError(error);
      }
    } finally {
      clients.destroy();
    }
    const trail = await ingest.finish();
    const total = (field: keyof TrailBucketOutcome): number =>
      outcomes.reduce((sum, outcome) => sum + outcome[field], 0);
    return [
      {
        name: 'cloudtrail-s3',
        inventory: {},
        coverage: {
          [options.coverageKey]: trail.coverage,
          cloudtrailBucket: {
            urls: options.locations.map((location) => location.url),
            accounts: total('accounts'),
            regions: total('regions'),
            dayFolders: total('dayFolders'),
            bytes: total('bytes'),
            requests,
          },
          window: { firstEvent: trail.firstEventAt, lastEvent: trail.lastEventAt },
        },
        errors: trail.coverage.errors,
        detail: `${describeTrail(trail)} from ${options.locations.map((l) => l.url).join(', ')} (${total('dayFolders')} day folders)`,
        failed: trail.coverage.files === 0 && trail.coverage.errors.length > 0,
        link: (inventory) => reconcileObservations(inventory, trail),
      },
    ];
  },
});
