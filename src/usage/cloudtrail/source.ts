// CloudTrail files as a scan source: `--cloudtrail PATH`, ingested over the evidence window and joined to the inventory.
import { reconcileObservations } from '../../analysis/reconcile.js';
import { defineSource, optionList } from '../../connectors/contract.js';
import { ingestCloudTrail, type CloudTrailIngestResult } from './ingest.js';

function describe(trail: CloudTrailIngestResult): string {
  const c = trail.coverage;
  const total = c.mapped + c.unmapped;
  const share = total === 0 ? 'n/a' : `${((100 * c.mapped) / total).toFixed(1)}%`;
  const read = `${c.events} events in ${c.files} files (${c.duplicates} duplicates skipped), ${share} mapped to IAM actions`;
  return c.reused ? `${read}; ${describeReuse(c.reused, trail.reusedFromScans)}` : read;
}

/** `12 files unchanged since scan 3, reused` (or `since scans 2, 3`). */
function describeReuse(files: number, scans: readonly number[]): string {
  const since = scans.length === 1 ? `scan ${scans[0]}` : `scans ${scans.join(', ')}`;
  return `${files} ${files === 1 ? 'file' : 'files'} unchanged since ${since}, reused`;
}

/** CloudTrail logs from local files and folders. */
export const cloudtrailSource = defineSource<string[]>({
  id: 'cloudtrail',
  summary: 'CloudTrail logs from files and folders (.json, .json.gz, the S3 delivery layout)',
  options: [
    {
      flags: '--cloudtrail <path>',
      description:
        'CloudTrail file or folder (.json, .json.gz, S3 layout), or a trail bucket as s3://bucket/prefix (repeatable)',
      repeatable: true,
    },
  ],
  plan(values) {
    // `s3://` URLs are a trail's bucket, read live by the AWS connector (src/connectors/aws/live/trailSource.ts).
    const paths = optionList(values, 'cloudtrail').filter((path) => !/^s3:\/\//i.test(path));
    return paths.length > 0 ? paths : null;
  },
  async collect(paths, context) {
    context.progress({ phase: 'start', message: `reading CloudTrail from ${paths.length} path(s)` });
    const trail = await ingestCloudTrail(paths, {
      concurrency: context.concurrency,
      since: context.window.since,
      until: context.window.until,
      fileCache: context.cloudtrailFiles,
    });
    return [
      {
        name: 'cloudtrail',
        // Usage joins the inventory in `link`, once every source's identities are known.
        inventory: {},
        coverage: {
          cloudtrail: trail.coverage,
          window: { firstEvent: trail.firstEventAt, lastEvent: trail.lastEventAt },
        },
        errors: trail.coverage.errors,
        detail: describe(trail),
        link: (inventory) => reconcileObservations(inventory, trail),
      },
    ];
  },
});
