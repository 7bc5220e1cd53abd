// Live AWS as a scan source: `--aws` (with `--profile`, `--region`) reads IAM and, without --cloudtrail, LookupEvents.
import { reconcileObservations } from '../../../analysis/reconcile.js';
import { errorMessage, UserError } from '../../../errors/errors.js';
import { CloudTrailEventIngest } from '../../../usage/cloudtrail/eventIngest.js';
import {
  defineSource,
  optionFlag,
  optionList,
  optionString,
  type CollectContext,
  type SourceResult,
} from '../../contract.js';
import { CallLog } from './callLog.js';
import { connectAws, type AwsClients, type AwsConnectionOptions } from './clients.js';
import { readIamAccount } from './iamReader.js';
import { buildLiveAwsInventory } from './liveInventory.js';
import { readLookupEvents } from './lookupEvents.js';
import { connectionOptions, isS3Url } from './liveOptions.js';
import { describeTrail } from './trailSource.js';

/** What `--aws` was asked to do. */
export interface AwsLiveOptions {
  connection: AwsConnectionOptions;
  /** Read LookupEvents: only when no --cloudtrail is given (a trail's files hold the same events; both would count them twice). */
  lookupEvents: boolean;
  /** The coverage key: `aws`, or `awsLive` when export files are read in the same scan (their summary is `aws`). */
  coverageKey: string;
}

/** Live AWS IAM and CloudTrail LookupEvents. */
export const awsLiveSource = defineSource<AwsLiveOptions>({
  id: 'aws',
  summary: 'AWS IAM and CloudTrail, live through the AWS SDK (read-only calls only)',
  options: [
    {
      flags: '--aws',
      description:
        'audit the AWS account of the current credentials live, read-only (policy: docs/agentaudit-readonly-policy.json)',
    },
    {
      flags: '--profile <name>',
      description:
        'AWS profile for --aws, s3:// trails, --cloudtrail-lake and --athena (default: the SDK chain)',
      env: 'AWS_PROFILE',
    },
    {
      flags: '--region <region>',
      description:
        'AWS region for LookupEvents, S3 and Athena (default: the SDK configuration, else us-east-1)',
      env: 'AWS_REGION',
    },
  ],
  plan(values) {
    const connection = connectionOptions(values);
    const trails = optionList(values, 'cloudtrail');
    if (!optionFlag(values, 'aws')) {
      const pushdown = optionString(values, 'cloudtrailLake') ?? optionString(values, 'athena');
      if ((connection.profile || connection.region) && !trails.some(isS3Url) && !pushdown) {
        throw new UserError(
          '--profile and --region apply to live AWS reads only',
          'Add --aws (live IAM), --cloudtrail s3://bucket/prefix (a trail bucket), --cloudtrail-lake or --athena, or drop them.',
        );
      }
      return null;
    }
    const exports = optionList(values, 'awsAuthz').length + optionList(values, 'awsCredentialReport').length;
    return { connection, lookupEvents: trails.length === 0, coverageKey: exports > 0 ? 'awsLive' : 'aws' };
  },
  async collect(options, context) {
    context.progress({ phase: 'start', message: 'connecting to AWS' });
    const clients = await connectAws(options.connection, context.env);
    const stopLookup = new AbortController();
    try {
      const iam = collectIam(clients, options, context).catch((error: unknown) => {
        // Refused credentials stop the scan: no point paging LookupEvents meanwhile.
        if (error instanceof UserError) stopLookup.abort();
        throw error;
      });
      const lookup = options.lookupEvents
        ? collectLookupEvents(clients, context, stopLookup.signal)
        : Promise.resolve([]);
      const [iamResults, lookupResults] = await Promise.allSettled([iam, lookup]);
      const results: SourceResult[] = [];
      for (const [name, settled] of [
        ['aws', iamResults],
        ['cloudtrail:lookup-events', lookupResults],
      ] as const) {
        if (settled.status === 'fulfilled') results.push(...settled.value);
        else if (settled.reason instanceof UserError) throw settled.reason;
        // One half failing unexpectedly (a bug, a response the SDK could not parse) keeps the other half.
        else results.push(failedResult(name, settled.reason));
      }
      return results;
    } finally {
      clients.destroy();
    }
  },
});

function failedResult(name: string, error: unknown): SourceResult {
  return {
    name,
    inventory: {},
    coverage: {},
    errors: [{ file: name, message: errorMessage(error) }],
    detail: 'nothing could be read',
    failed: true,
  };
}

async function collectIam(
  clients: AwsClients,
  options: AwsLiveOptions,
  context: CollectContext,
): Promise<SourceResult[]> {
  const log = new CallLog();
  const reading = await readIamAccount(clients.iam, log, {
    ...(options.connection.profile ? { profile: options.connection.profile } : {}),
    progress: (message, counts) =>
      context.progress({ phase: 'update', message, ...(counts ? { counts } : {}) }),
  });
  const built = buildLiveAwsInventory(reading);
  const errors = [...log.errors(), ...built.errors];
  const s = built.summary;
  return [
    {
      name: 'aws',
      inventory: built.inventory,
      coverage: {
        [options.coverageKey]: {
          ...s,
          live: true,
          region: clients.region,
          requests: log.requests,
          calls: log.calls(),
          errors,
        },
      },
      errors,
      detail:
        `${s.users} users, ${s.roles} roles, ${s.groups} groups, ${s.policies} policies, ${s.accessKeys} access keys, ` +
        `${s.credentialRows} credential report rows (live, ${log.requests} requests)`,
      failed: reading.authorizationPages.length === 0 && reading.credentialReport === null,
    },
  ];
}

async function collectLookupEvents(
  clients: AwsClients,
  context: CollectContext,
  signal: AbortSignal,
): Promise<SourceResult[]> {
  const log = new CallLog();
  const ingest = new CloudTrailEventIngest(context.window);
  const outcome = await readLookupEvents(clients.cloudtrail, context.window, ingest, log, clients.region, {
    signal,
    progress: (message, counts) => context.progress({ phase: 'update', message, counts }),
  });
  for (const error of log.errors()) ingest.addError(error);
  const trail = await ingest.finish();
  return [
    {
      name: 'cloudtrail:lookup-events',
      // Usage joins the inventory in `link`, once every source's identities are known.
      inventory: {},
      coverage: {
        cloudtrail: trail.coverage,
        lookupEvents: { region: clients.region, requests: outcome.pages, complete: outcome.complete },
        window: { firstEvent: trail.firstEventAt, lastEvent: trail.lastEventAt },
      },
      errors: trail.coverage.errors,
      detail: `${describeTrail(trail)} from LookupEvents in ${clients.region} (${outcome.pages} requests)`,
      failed: outcome.pages === 0,
      link: (inventory) => reconcileObservations(inventory, trail),
    },
  ];
}
