// Builds the AWS SDK clients of a live audit: the SDK's default credential chain, its region and endpoint settings, its retries.
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { IAMClient } from '@aws-sdk/client-iam';
import { S3Client } from '@aws-sdk/client-s3';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { credentialsUserError } from './awsErrors.js';
import { limitRequestRate, systemClock, TokenBucket, type Clock } from './requestRate.js';

/** How to reach the account: both optional, the SDK's own configuration fills in the rest. */
export interface AwsConnectionOptions {
  /** A profile of ~/.aws/config and ~/.aws/credentials (`--profile`); otherwise AWS_PROFILE or `default`. */
  profile?: string;
  /** `--region`; otherwise AWS_REGION / the profile's region, else us-east-1. */
  region?: string;
}

/** The clients of one live audit, sharing one credential provider. */
export interface AwsClients {
  iam: IAMClient;
  /** Every request (retries included) waits for a token: LookupEvents allows 2 requests a second per region. */
  cloudtrail: CloudTrailClient;
  s3: S3Client;
  region: string;
  /** Where the region came from: `--region`, the SDK's configuration (env or profile), or agentaudit's default. */
  regionSource: 'flag' | 'sdk-config' | 'default';
  /** Closes the clients' connections. */
  destroy(): void;
}

/** LookupEvents' documented limit: two requests a second, per account and region. */
export const LOOKUP_EVENTS_PER_SECOND = 2;

/** The region used when neither `--region` nor the SDK's configuration names one (IAM is global; LookupEvents is not). */
export const DEFAULT_REGION = 'us-east-1';

/**
 * Resolves credentials through the SDK's default chain (environment, `--profile` / AWS_PROFILE with SSO, web identity,
 * process credentials, container and instance roles) and builds the IAM, CloudTrail and S3 clients. Endpoints are the
 * SDK's own: `AWS_ENDPOINT_URL` and `AWS_ENDPOINT_URL_IAM` / `_CLOUDTRAIL` / `_S3` (or `endpoint_url` in the profile)
 * point them at any AWS-compatible endpoint. Retries follow the SDK's standard mode unless AWS_RETRY_MODE /
 * AWS_MAX_ATTEMPTS (or the profile) say otherwise.
 * Throws a UserError with a next step when the chain finds no credentials. `clock` paces LookupEvents (tests pass a fake).
 */
export async function connectAws(
  options: AwsConnectionOptions,
  env: Readonly<Record<string, string | undefined>>,
  clock: Clock = systemClock,
): Promise<AwsClients> {
  const profile = options.profile;
  const credentials = fromNodeProviderChain(profile ? { profile } : {});
  try {
    await credentials();
  } catch (error) {
    throw credentialsUserError('no AWS credentials could be found', error, profile);
  }
  const { region, regionSource } = await resolveRegion(options);
  const common = {
    region,
    credentials,
    ...(profile ? { profile } : {}),
    // The SDK's standard retry mode handles throttling with backoff; more attempts than its default of 3 because a
    // whole-account read makes many calls. Left to the SDK when the environment configures retries itself.
    ...(env['AWS_MAX_ATTEMPTS'] || env['AWS_RETRY_MODE'] ? {} : { maxAttempts: 8 }),
    customUserAgent: 'agentaudit',
  };
  const iam = new IAMClient(common);
  const cloudtrail = new CloudTrailClient(common);
  limitRequestRate(cloudtrail, new TokenBucket(LOOKUP_EVENTS_PER_SECOND, 1, clock));
  // A trail bucket may live in another region than --region: let the SDK follow S3's redirect.
  const s3 = new S3Client({ ...common, followRegionRedirects: true });
  return {
    iam,
    cloudtrail,
    s3,
    region,
    regionSource,
    destroy() {
      iam.destroy();
      cloudtrail.destroy();
      s3.destroy();
    },
  };
}

async function resolveRegion(
  options: AwsConnectionOptions,
): Promise<{ region: string; regionSource: AwsClients['regionSource'] }> {
  if (options.region) return { region: options.region, regionSource: 'flag' };
  const probe = new IAMClient(options.profile ? { profile: options.profile } : {});
  try {
    const region = await probe.config.region();
    if (region) return { region, regionSource: 'sdk-config' };
  } catch {
    // No region configured anywhere: fall back below.
  } finally {
    probe.destroy();
  }
  return { region: DEFAULT_REGION, regionSource: 'default' };
}
