// Reads a CloudTrail trail's S3 bucket: finds accounts and regions by delimiter listing, lists only the day folders of the window, streams each log object into the ingestion.
import type { Readable } from 'node:stream';
import { GetObjectCommand, paginateListObjectsV2, type S3Client } from '@aws-sdk/client-s3';
import { UserError } from '../../../errors/errors.js';
import type { CloudTrailEventIngest } from '../../../usage/cloudtrail/eventIngest.js';
import type { EvidenceWindow } from '../../contract.js';
import type { CallLog } from './callLog.js';
import { forEachConcurrently } from './concurrency.js';

/** Where a trail's logs are, as given by `s3://bucket/prefix` (each part past the prefix optional). */
export interface TrailLocation {
  url: string;
  bucket: string;
  /** The `…/AWSLogs/` prefix the delivery layout starts at. */
  root: string;
  organization: string | null;
  account: string | null;
  region: string | null;
}

/** What reading the bucket amounted to. */
export interface TrailBucketOutcome {
  accounts: number;
  regions: number;
  /** Day folders listed (regions × days of the window). */
  dayFolders: number;
  objects: number;
  bytes: number;
}

const ORGANIZATION = /^o-[a-z0-9]{10,32}$/;
const ACCOUNT = /^\d{12}$/;
const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d+$/;
const LOG_OBJECT = /\.json(?:\.gz)?$/i;

/**
 * Reads `s3://bucket/prefix` as a trail location: `prefix` may stop anywhere down to a region folder
 * (`s3://b`, `s3://b/team-trails`, `s3://b/AWSLogs/o-abc…/123456789012/CloudTrail/eu-west-1`); the missing parts are
 * discovered. Throws a UserError for anything else: the days are chosen from the evidence window (`--since`).
 */
export function parseTrailLocation(url: string): TrailLocation {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/i.exec(url.trim());
  if (!match || !match[1]) {
    throw new UserError(
      `"${url}" is not an S3 URL`,
      'Write a trail bucket as s3://bucket or s3://bucket/prefix.',
    );
  }
  const bucket = match[1];
  const segments = (match[2] ?? '').split('/').filter((segment) => segment !== '');
  const logs = segments.indexOf('AWSLogs');
  const root = [...(logs < 0 ? segments : segments.slice(0, logs)), 'AWSLogs'].join('/') + '/';
  const tail = logs < 0 ? [] : segments.slice(logs + 1);
  let index = 0;
  const take = (pattern: RegExp): string | null => {
    const segment = tail[index];
    if (segment === undefined || !pattern.test(segment)) return null;
    index++;
    return segment;
  };
  const organization = take(ORGANIZATION);
  const account = take(ACCOUNT);
  let region: string | null = null;
  if (account && take(/^CloudTrail$/)) region = take(REGION);
  if (index < tail.length) {
    throw new UserError(
      `${url}: cannot read "${tail.slice(index).join('/')}" as part of the CloudTrail delivery layout`,
      'Give the bucket, optionally with its prefix down to AWSLogs/<account>/CloudTrail/<region>/ at most: agentaudit ' +
        'lists the day folders of the evidence window itself (set it with --since).',
    );
  }
  return { url, bucket, root, organization, account, region };
}

/** `YYYY/MM/DD/` of every UTC day the window touches, oldest first. */
export function dayFoldersOf(window: EvidenceWindow): string[] {
  const start = Date.parse(window.since);
  const end = Date.parse(window.until);
  if (Number.isNaN(start) || Number.isNaN(end) || end < start) return [];
  const days: string[] = [];
  const day = new Date(start);
  day.setUTCHours(0, 0, 0, 0);
  for (; day.getTime() <= end; day.setUTCDate(day.getUTCDate() + 1)) {
    days.push(day.toISOString().slice(0, 10).replace(/-/g, '/') + '/');
  }
  return days;
}

/**
 * Reads the trail's log objects of the evidence window into `ingest`. Accounts (and an organization trail's member
 * accounts) and regions not given in the location are found by listing with a `/` delimiter; then only the day
 * folders `AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/` inside the window are listed (ListObjectsV2, all pages),
 * and each object is streamed through the same gunzip and event scanner as a local file (GetObject). A listing or
 * object that cannot be read is recorded in `log` with its s3:// URL; the rest is still read.
 */
export async function readTrailBucket(
  s3: S3Client,
  location: TrailLocation,
  window: EvidenceWindow,
  ingest: CloudTrailEventIngest,
  log: CallLog,
  options: {
    concurrency?: number;
    progress?: (message: string, counts: Record<string, number>) => void;
  } = {},
): Promise<TrailBucketOutcome> {
  const progress = options.progress ?? (() => undefined);
  const urlOf = (prefix: string): string => `s3://${location.bucket}/${prefix}`;

  /** Folders right under `prefix`, or null when the listing failed (recorded). */
  const childFolders = async (prefix: string): Promise<string[] | null> => {
    const folders: string[] = [];
    try {
      for await (const page of paginateListObjectsV2(
        { client: s3 },
        { Bucket: location.bucket, Prefix: prefix, Delimiter: '/' },
      )) {
        log.request('s3:ListBucket');
        for (const common of page.CommonPrefixes ?? []) if (common.Prefix) folders.push(common.Prefix);
      }
    } catch (error) {
      log.request('s3:ListBucket');
      log.failure('s3:ListBucket', urlOf(prefix), error);
      return null;
    }
    return folders;
  };
  const lastSegment = (folder: string): string => folder.slice(0, -1).split('/').pop() ?? '';

  const accountFolders: string[] = [];
  const organizationRoot = location.organization ? `${location.root}${location.organization}/` : null;
  if (location.account) {
    accountFolders.push(`${organizationRoot ?? location.root}${location.account}/`);
  } else {
    for (const folder of (await childFolders(organizationRoot ?? location.root)) ?? []) {
      const name = lastSegment(folder);
      if (ACCOUNT.test(name)) accountFolders.push(folder);
      else if (!organizationRoot && ORGANIZATION.test(name)) {
        for (const member of (await childFolders(folder)) ?? []) {
          if (ACCOUNT.test(lastSegment(member))) accountFolders.push(member);
        }
      }
    }
  }
  const regionFolders: string[] = [];
  for (const accountFolder of accountFolders) {
    const trailFolder = `${accountFolder}CloudTrail/`;
    if (location.region) regionFolders.push(`${trailFolder}${location.region}/`);
    else
      regionFolders.push(
        ...((await childFolders(trailFolder)) ?? []).filter((f) => REGION.test(lastSegment(f))),
      );
  }

  const days = dayFoldersOf(window);
  const dayFolders = regionFolders.flatMap((region) => days.map((day) => `${region}${day}`));
  const outcome: TrailBucketOutcome = {
    accounts: accountFolders.length,
    regions: regionFolders.length,
    dayFolders: dayFolders.length,
    objects: 0,
    bytes: 0,
  };
  let listed = 0;
  await forEachConcurrently(dayFolders, options.concurrency ?? 4, async (folder) => {
    const keys: string[] = [];
    try {
      for await (const page of paginateListObjectsV2(
        { client: s3 },
        { Bucket: location.bucket, Prefix: folder },
      )) {
        log.request('s3:ListBucket');
        for (const object of page.Contents ?? []) {
          if (object.Key && LOG_OBJECT.test(object.Key)) keys.push(object.Key);
        }
      }
    } catch (error) {
      log.request('s3:ListBucket');
      log.failure('s3:ListBucket', urlOf(folder), error);
      return;
    }
    for (const key of keys.sort()) {
      log.request('s3:GetObject');
      let body: Readable;
      try {
        const object = await s3.send(new GetObjectCommand({ Bucket: location.bucket, Key: key }));
        body = object.Body as Readable;
        outcome.bytes += object.ContentLength ?? 0;
      } catch (error) {
        log.failure('s3:GetObject', urlOf(key), error);
        continue;
      }
      await ingest.addLogStream(urlOf(key), body);
      outcome.objects++;
    }
    listed++;
    progress(
      `${outcome.objects} log objects from ${location.url} (${listed} of ${dayFolders.length} day folders)`,
      {
        objects: outcome.objects,
        dayFolders: listed,
      },
    );
  });
  if (outcome.objects === 0 && log.errors().length === 0) {
    log.problem(
      location.url,
      regionFolders.length === 0
        ? `no CloudTrail delivery folders (${location.root}<account>/CloudTrail/<region>/) under it`
        : `no CloudTrail log objects in the ${dayFolders.length} day folders of the evidence window`,
    );
  }
  return outcome;
}
