// Reads an account's IAM live, read-only: authorization details, the credential report, access keys and their last use, identity providers.
import {
  GenerateCredentialReportCommand,
  GetAccessKeyLastUsedCommand,
  GetCredentialReportCommand,
  GetOpenIDConnectProviderCommand,
  ListAccountAliasesCommand,
  ListOpenIDConnectProvidersCommand,
  ListSAMLProvidersCommand,
  paginateGetAccountAuthorizationDetails,
  paginateListAccessKeys,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { decodeCredentialReportText, ROOT_ACCOUNT_USER } from '../exports/credentialReport.js';
import { toIsoUtc } from '../exports/isoDate.js';
import { tagsToRecord } from '../exports/ownershipTags.js';
import { isAuthenticationFailure, credentialsUserError } from './awsErrors.js';
import type { CallLog } from './callLog.js';
import { forEachConcurrently } from './concurrency.js';
import { systemClock, type Clock } from './requestRate.js';

/** An access key as ListAccessKeys and GetAccessKeyLastUsed describe it: its id, never its secret. */
export interface ListedAccessKey {
  userName: string;
  keyId: string;
  /** `Active` or `Inactive`. */
  status: string | null;
  createdAt: string | null;
  /** From GetAccessKeyLastUsed; null when never used or not known. */
  lastUsedAt: string | null;
  lastUsedService: string | null;
  lastUsedRegion: string | null;
  /** False when GetAccessKeyLastUsed could not be read for this key. */
  lastUsedKnown: boolean;
}

/** An OIDC identity provider of the account. */
export interface OidcProviderRecord {
  arn: string;
  url: string | null;
  /** Audiences (client ids) the provider's tokens must carry. */
  clientIds: string[];
  thumbprints: string[];
  createdAt: string | null;
  tags: Record<string, string>;
  /** False when GetOpenIDConnectProvider could not be read (only the ARN is known). */
  detailsKnown: boolean;
}

/** A SAML identity provider of the account. */
export interface SamlProviderRecord {
  arn: string;
  createdAt: string | null;
  validUntil: string | null;
}

/** The credential report as IAM returned it. */
export interface LiveCredentialReport {
  /** The report's CSV text. */
  csv: string;
  generatedAt: string | null;
  /** True when GenerateCredentialReport was refused and an existing report (at most 4 hours old) was read instead. */
  generationDenied: boolean;
}

/** Everything read from IAM, in the raw forms the export connector normalizes. */
export interface IamReading {
  /** Each GetAccountAuthorizationDetails page as JSON, exactly the document `aws iam get-account-authorization-details` pages are. */
  authorizationPages: unknown[];
  credentialReport: LiveCredentialReport | null;
  /** Listed keys by user name, for the users whose keys could be listed (a missing user: unknown, not "no keys"). */
  accessKeys: Map<string, ListedAccessKey[]>;
  /** Null when the providers could not be listed. */
  oidcProviders: OidcProviderRecord[] | null;
  samlProviders: SamlProviderRecord[] | null;
  /** The account's alias (its name in the console sign-in URL, `acme-prod`); null when it has none or it was unreadable. */
  accountAlias: string | null;
}

/** Pacing of the reader; tests pass a fake clock. */
export interface IamReadOptions {
  clock?: Clock;
  /** Wait between GenerateCredentialReport polls (default 2 s). */
  reportPollMs?: number;
  /** Give up waiting for the report after this long (default 3 minutes). */
  reportMaxWaitMs?: number;
  /** Per-user calls in flight at once (default 4). */
  concurrency?: number;
  /** Credentials profile, for the hint of a credentials error. */
  profile?: string;
  progress?: (message: string, counts?: Record<string, number>) => void;
}

/**
 * Reads the account's IAM through read-only calls: GetAccountAuthorizationDetails (all pages), the credential report
 * (GenerateCredentialReport polled until COMPLETE, then GetCredentialReport), ListAccessKeys and GetAccessKeyLastUsed
 * for every user, ListOpenIDConnectProviders + GetOpenIDConnectProvider, ListSAMLProviders, ListAccountAliases. A call that fails
 * (AccessDenied, a throttle the SDK's retries could not absorb) is recorded in `log` and the rest is still read.
 * Throws a UserError only when AWS refuses the credentials themselves (invalid, expired).
 */
export async function readIamAccount(
  iam: IAMClient,
  log: CallLog,
  options: IamReadOptions = {},
): Promise<IamReading> {
  const progress = options.progress ?? (() => undefined);
  const refused = (error: unknown): void => {
    if (isAuthenticationFailure(error)) {
      throw credentialsUserError('AWS refused the credentials', error, options.profile);
    }
  };
  progress('reading IAM authorization details and the credential report');
  const [authorizationPages, credentialReport] = await Promise.all([
    readAuthorizationDetails(iam, log, refused, progress),
    readCredentialReport(iam, log, refused, options),
  ]);
  const userNames = userNamesOf(authorizationPages, credentialReport);
  progress(`listing the access keys of ${userNames.length} users`, { users: userNames.length });
  const [accessKeys, oidcProviders, samlProviders, accountAlias] = await Promise.all([
    readAccessKeys(iam, log, userNames, options.concurrency ?? 4),
    readOidcProviders(iam, log),
    readSamlProviders(iam, log),
    readAccountAlias(iam, log),
  ]);
  return { authorizationPages, credentialReport, accessKeys, oidcProviders, samlProviders, accountAlias };
}

async function readAuthorizationDetails(
  iam: IAMClient,
  log: CallLog,
  refused: (error: unknown) => void,
  progress: NonNullable<IamReadOptions['progress']>,
): Promise<unknown[]> {
  const call = 'iam:GetAccountAuthorizationDetails';
  const pages: unknown[] = [];
  try {
    for await (const page of paginateGetAccountAuthorizationDetails({ client: iam }, {})) {
      log.request(call);
      pages.push(rawRecord(page));
      progress(`read ${pages.length} page(s) of authorization details`, { pages: pages.length });
    }
  } catch (error) {
    log.request(call);
    refused(error);
    log.failure(call, pages.length > 0 ? `page ${pages.length + 1}` : null, error);
  }
  return pages;
}

async function readCredentialReport(
  iam: IAMClient,
  log: CallLog,
  refused: (error: unknown) => void,
  options: IamReadOptions,
): Promise<LiveCredentialReport | null> {
  const clock = options.clock ?? systemClock;
  const pollMs = options.reportPollMs ?? 2000;
  const deadline = clock.now() + (options.reportMaxWaitMs ?? 180_000);
  const generate = 'iam:GenerateCredentialReport';
  let generationDenied = false;
  for (;;) {
    log.request(generate);
    try {
      const { State } = await iam.send(new GenerateCredentialReportCommand({}));
      if (State === 'COMPLETE') break;
    } catch (error) {
      refused(error);
      // Without the right to generate one, a report generated in the last 4 hours may still be readable.
      log.failure(generate, null, error);
      generationDenied = true;
      break;
    }
    if (clock.now() >= deadline) {
      log.problem(
        generate,
        'the credential report was still being generated when agentaudit stopped waiting',
      );
      return null;
    }
    await clock.sleep(pollMs);
  }
  const get = 'iam:GetCredentialReport';
  log.request(get);
  try {
    const report = await iam.send(new GetCredentialReportCommand({}));
    if (report.ReportFormat && report.ReportFormat !== 'text/csv') {
      log.problem(get, `unsupported ReportFormat "${report.ReportFormat}" (expected text/csv)`);
      return null;
    }
    const csv = Buffer.from(report.Content ?? new Uint8Array()).toString('utf8');
    return { csv, generatedAt: toIsoUtc(report.GeneratedTime?.toISOString()), generationDenied };
  } catch (error) {
    refused(error);
    log.failure(get, null, error);
    return null;
  }
}

/** User names from the authorization details, else from the credential report (the root has no listable keys). */
function userNamesOf(pages: unknown[], report: LiveCredentialReport | null): string[] {
  const names = new Set<string>();
  for (const page of pages) {
    const users = (page as { UserDetailList?: { UserName?: unknown }[] }).UserDetailList ?? [];
    for (const user of users) if (typeof user.UserName === 'string') names.add(user.UserName);
  }
  if (report) {
    const decoded = decodeCredentialReportText(report.csv);
    if (decoded.ok) {
      for (const row of decoded.rows) {
        const user = row['user'];
        if (user && user !== ROOT_ACCOUNT_USER) names.add(user);
      }
    }
  }
  return [...names].sort();
}

async function readAccessKeys(
  iam: IAMClient,
  log: CallLog,
  userNames: string[],
  concurrency: number,
): Promise<Map<string, ListedAccessKey[]>> {
  const byUser = new Map<string, ListedAccessKey[]>();
  await forEachConcurrently(userNames, concurrency, async (userName) => {
    const listed: ListedAccessKey[] = [];
    try {
      for await (const page of paginateListAccessKeys({ client: iam }, { UserName: userName })) {
        log.request('iam:ListAccessKeys');
        for (const key of page.AccessKeyMetadata ?? []) {
          if (!key.AccessKeyId) continue;
          listed.push({
            userName,
            keyId: key.AccessKeyId,
            status: key.Status ?? null,
            createdAt: toIsoUtc(key.CreateDate?.toISOString()),
            lastUsedAt: null,
            lastUsedService: null,
            lastUsedRegion: null,
            lastUsedKnown: false,
          });
        }
      }
    } catch (error) {
      log.request('iam:ListAccessKeys');
      log.failure('iam:ListAccessKeys', `user ${userName}`, error);
      return;
    }
    for (const key of listed) {
      log.request('iam:GetAccessKeyLastUsed');
      try {
        const { AccessKeyLastUsed: used } = await iam.send(
          new GetAccessKeyLastUsedCommand({ AccessKeyId: key.keyId }),
        );
        key.lastUsedAt = toIsoUtc(used?.LastUsedDate?.toISOString());
        key.lastUsedService = meaningful(used?.ServiceName);
        key.lastUsedRegion = meaningful(used?.Region);
        key.lastUsedKnown = true;
      } catch (error) {
        log.failure('iam:GetAccessKeyLastUsed', `key ${key.keyId}`, error);
      }
    }
    byUser.set(userName, listed);
  });
  return byUser;
}

async function readOidcProviders(iam: IAMClient, log: CallLog): Promise<OidcProviderRecord[] | null> {
  log.request('iam:ListOpenIDConnectProviders');
  let arns: string[];
  try {
    const listed = await iam.send(new ListOpenIDConnectProvidersCommand({}));
    arns = (listed.OpenIDConnectProviderList ?? []).flatMap((entry) => entry.Arn ?? []);
  } catch (error) {
    log.failure('iam:ListOpenIDConnectProviders', null, error);
    return null;
  }
  const providers: OidcProviderRecord[] = [];
  for (const arn of arns) {
    log.request('iam:GetOpenIDConnectProvider');
    try {
      const provider = await iam.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn }));
      providers.push({
        arn,
        url: provider.Url ?? null,
        clientIds: provider.ClientIDList ?? [],
        thumbprints: provider.ThumbprintList ?? [],
        createdAt: toIsoUtc(provider.CreateDate?.toISOString()),
        tags: tagsToRecord(provider.Tags),
        detailsKnown: true,
      });
    } catch (error) {
      log.failure('iam:GetOpenIDConnectProvider', arn, error);
      providers.push({
        arn,
        url: null,
        clientIds: [],
        thumbprints: [],
        createdAt: null,
        tags: {},
        detailsKnown: false,
      });
    }
  }
  return providers;
}

/** The account alias (an account has at most one), which names the environment of many accounts (`acme-staging`). */
async function readAccountAlias(iam: IAMClient, log: CallLog): Promise<string | null> {
  log.request('iam:ListAccountAliases');
  try {
    const listed = await iam.send(new ListAccountAliasesCommand({}));
    return listed?.AccountAliases?.[0] ?? null;
  } catch (error) {
    log.failure('iam:ListAccountAliases', null, error);
    return null;
  }
}

async function readSamlProviders(iam: IAMClient, log: CallLog): Promise<SamlProviderRecord[] | null> {
  log.request('iam:ListSAMLProviders');
  try {
    const listed = await iam.send(new ListSAMLProvidersCommand({}));
    return (listed.SAMLProviderList ?? []).flatMap((entry) =>
      entry.Arn
        ? [
            {
              arn: entry.Arn,
              createdAt: toIsoUtc(entry.CreateDate?.toISOString()),
              validUntil: toIsoUtc(entry.ValidUntil?.toISOString()),
            },
          ]
        : [],
    );
  } catch (error) {
    log.failure('iam:ListSAMLProviders', null, error);
    return null;
  }
}

/** An SDK response as the JSON it came from: dates as ISO text, without the SDK's `$metadata` and paging fields. */
function rawRecord(output: object): unknown {
  const {
    $metadata: _metadata,
    IsTruncated: _truncated,
    Marker: _marker,
    ...rest
  } = output as Record<string, unknown>;
  return JSON.parse(JSON.stringify(rest)) as unknown;
}

/** IAM writes `N/A` for a service or region a key never used. */
function meaningful(value: string | undefined): string | null {
  return value && value !== 'N/A' ? value : null;
}
