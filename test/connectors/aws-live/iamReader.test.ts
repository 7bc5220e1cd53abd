// The live IAM reader against a mocked IAM client: pagination, credential report polling, denied and throttled calls, refused credentials.
import fs from 'node:fs';
import {
  GenerateCredentialReportCommand,
  GetAccessKeyLastUsedCommand,
  GetAccountAuthorizationDetailsCommand,
  GetCredentialReportCommand,
  GetOpenIDConnectProviderCommand,
  IAMClient,
  IAMServiceException,
  ListAccessKeysCommand,
  ListOpenIDConnectProvidersCommand,
  ListSAMLProvidersCommand,
} from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readIamAccount } from '../../../src/connectors/aws/live/iamReader.js';
import { CallLog } from '../../../src/connectors/aws/live/callLog.js';
import type { Clock } from '../../../src/connectors/aws/live/requestRate.js';
import { UserError } from '../../../src/errors/errors.js';
import { DEMO_AUTHZ_FILE, DEMO_REPORT_FILE, demoAccessKeys } from './demoEstate.js';
import { sdkShaped } from './sdkShapes.js';

const iamMock = mockClient(IAMClient);
const iam = new IAMClient({ region: 'us-east-1' });

/** A clock that only moves when slept on, recording each sleep. */
function fakeClock(): Clock & { sleeps: number[] } {
  let now = 0;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
  };
}

/** An error as the SDK throws it for an AWS error response. */
function awsError(name: string, message: string, status = 403): IAMServiceException {
  return new IAMServiceException({ name, message, $fault: 'client', $metadata: { httpStatusCode: status } });
}

const authz = JSON.parse(fs.readFileSync(DEMO_AUTHZ_FILE, 'utf8')) as Record<string, unknown[]>;
const csv = fs.readFileSync(DEMO_REPORT_FILE, 'utf8');
const keys = demoAccessKeys(csv);

/** The demo's authorization details as the SDK returns them, in pages of `size` entities of each list. */
function authorizationPages(size: number): Record<string, unknown>[] {
  const lists = ['UserDetailList', 'GroupDetailList', 'RoleDetailList', 'Policies'];
  const longest = Math.max(...lists.map((list) => (authz[list] ?? []).length));
  const pages: Record<string, unknown>[] = [];
  for (let start = 0; start < longest; start += size) {
    const page: Record<string, unknown> = {};
    for (const list of lists) page[list] = sdkShaped((authz[list] ?? []).slice(start, start + size), list);
    pages.push(page);
  }
  return pages.map((page, index) => ({
    ...page,
    IsTruncated: index < pages.length - 1,
    ...(index < pages.length - 1 ? { Marker: `m${index + 1}` } : {}),
  }));
}

/** The Marker of each GetAccountAuthorizationDetails request, as sent (the SDK's paginator reuses its input object). */
let markersSent: (string | null)[] = [];

/** Answers every call as the demo account would. */
function mockDemoAccount(): void {
  const pages = authorizationPages(2);
  markersSent = [];
  iamMock.on(GetAccountAuthorizationDetailsCommand).callsFake((input: { Marker?: string }) => {
    markersSent.push(input.Marker ?? null);
    const index = input.Marker ? Number(input.Marker.slice(1)) : 0;
    return pages[index];
  });
  iamMock.on(GenerateCredentialReportCommand).resolves({ State: 'COMPLETE' });
  iamMock.on(GetCredentialReportCommand).resolves({
    Content: new TextEncoder().encode(csv),
    ReportFormat: 'text/csv',
    GeneratedTime: new Date('2026-10-30T11:58:00Z'),
  });
  iamMock.on(ListAccessKeysCommand).callsFake((input: { UserName: string }) => ({
    AccessKeyMetadata: (keys[input.UserName] ?? []).map((key) => ({
      UserName: input.UserName,
      AccessKeyId: key.AccessKeyId,
      Status: key.Status,
      CreateDate: new Date(key.CreateDate),
    })),
    IsTruncated: false,
  }));
  iamMock.on(GetAccessKeyLastUsedCommand).callsFake((input: { AccessKeyId: string }) => {
    const key = Object.values(keys)
      .flat()
      .find((candidate) => candidate.AccessKeyId === input.AccessKeyId);
    const used = key?.LastUsed;
    return {
      AccessKeyLastUsed: {
        ...(used?.LastUsedDate ? { LastUsedDate: new Date(used.LastUsedDate) } : {}),
        ServiceName: used?.ServiceName ?? 'N/A',
        Region: used?.Region ?? 'N/A',
      },
    };
  });
  iamMock.on(ListOpenIDConnectProvidersCommand).resolves({
    OpenIDConnectProviderList: [
      { Arn: 'arn:aws:iam::210987654321:oidc-provider/token.actions.githubusercontent.com' },
    ],
  });
  iamMock.on(GetOpenIDConnectProviderCommand).resolves({
    Url: 'token.actions.githubusercontent.com',
    ClientIDList: ['sts.amazonaws.com'],
    ThumbprintList: [],
    CreateDate: new Date('2024-03-01T10:00:00Z'),
  });
  iamMock.on(ListSAMLProvidersCommand).resolves({ SAMLProviderList: [] });
}

beforeEach(() => {
  iamMock.reset();
  mockDemoAccount();
});
afterEach(() => iamMock.reset());

describe('readIamAccount', () => {
  it('reads every page of the authorization details, in order, as the JSON the export connector reads', async () => {
    // Given an account whose authorization details come in 5 pages of 2 entities per list
    const log = new CallLog();
    // When it is read
    const reading = await readIamAccount(iam, log, { clock: fakeClock() });
    // Then every page was requested with the previous page's Marker, and the pages hold every entity
    expect(markersSent).toEqual([null, 'm1', 'm2', 'm3', 'm4']);
    expect(reading.authorizationPages).toHaveLength(5);
    const users = reading.authorizationPages.flatMap(
      (page) => (page as { UserDetailList: unknown[] }).UserDetailList,
    );
    expect(users).toHaveLength(5);
    // …with dates as ISO text and the API's URL-encoded policy documents, and no SDK metadata or paging fields
    const firstRole = (reading.authorizationPages[0] as { RoleDetailList: Record<string, unknown>[] })
      .RoleDetailList[0];
    expect(firstRole?.['CreateDate']).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000Z$/);
    expect(firstRole?.['AssumeRolePolicyDocument']).toMatch(/^%7B%22Version%22/);
    expect(reading.authorizationPages[0]).not.toHaveProperty('$metadata');
    expect(reading.authorizationPages[0]).not.toHaveProperty('Marker');
    expect(log.calls().find((c) => c.call === 'iam:GetAccountAuthorizationDetails')).toEqual({
      call: 'iam:GetAccountAuthorizationDetails',
      requests: 5,
      failures: 0,
    });
    expect(log.errors()).toEqual([]);
  });

  it('lists every user’s access keys with their last use, and the identity providers', async () => {
    const reading = await readIamAccount(iam, new CallLog(), { clock: fakeClock() });
    expect([...reading.accessKeys.keys()].sort()).toEqual([
      'ana.silva',
      'ci-artifacts',
      'github-actions-deploy',
      'legacy-backup',
      'maria.gonzalez',
    ]);
    expect(reading.accessKeys.get('legacy-backup')).toEqual([
      {
        userName: 'legacy-backup',
        keyId: 'AKIANWRDLEGACYBKP004',
        status: 'Active',
        createdAt: '2021-04-19T14:05:30Z',
        lastUsedAt: '2026-03-02T03:00:12Z',
        lastUsedService: 's3',
        lastUsedRegion: 'us-east-1',
        lastUsedKnown: true,
      },
      {
        userName: 'legacy-backup',
        keyId: 'AKIANWRDLEGACYBKP005',
        status: 'Active',
        createdAt: '2024-01-15T10:22:48Z',
        lastUsedAt: null,
        lastUsedService: null,
        lastUsedRegion: null,
        lastUsedKnown: true,
      },
    ]);
    expect(reading.oidcProviders).toEqual([
      {
        arn: 'arn:aws:iam::210987654321:oidc-provider/token.actions.githubusercontent.com',
        url: 'token.actions.githubusercontent.com',
        clientIds: ['sts.amazonaws.com'],
        thumbprints: [],
        createdAt: '2024-03-01T10:00:00Z',
        tags: {},
        detailsKnown: true,
      },
    ]);
    expect(reading.samlProviders).toEqual([]);
  });

  it('polls GenerateCredentialReport until it is COMPLETE, then reads the report', async () => {
    // Given a report that is STARTED, then INPROGRESS twice, then COMPLETE
    iamMock
      .on(GenerateCredentialReportCommand)
      .resolvesOnce({ State: 'STARTED' })
      .resolvesOnce({ State: 'INPROGRESS' })
      .resolvesOnce({ State: 'INPROGRESS' })
      .resolves({ State: 'COMPLETE' });
    const clock = fakeClock();
    // When the account is read
    const reading = await readIamAccount(iam, new CallLog(), { clock, reportPollMs: 2000 });
    // Then it asked four times, waiting 2 s between, and read the report once
    expect(iamMock.commandCalls(GenerateCredentialReportCommand)).toHaveLength(4);
    expect(clock.sleeps).toEqual([2000, 2000, 2000]);
    expect(iamMock.commandCalls(GetCredentialReportCommand)).toHaveLength(1);
    expect(reading.credentialReport).toEqual({
      csv,
      generatedAt: '2026-10-30T11:58:00Z',
      generationDenied: false,
    });
  });

  it('stops waiting for a report that never completes, and says so', async () => {
    iamMock.on(GenerateCredentialReportCommand).resolves({ State: 'INPROGRESS' });
    const log = new CallLog();
    const reading = await readIamAccount(iam, log, {
      clock: fakeClock(),
      reportPollMs: 1000,
      reportMaxWaitMs: 5000,
    });
    expect(reading.credentialReport).toBeNull();
    expect(iamMock.commandCalls(GetCredentialReportCommand)).toHaveLength(0);
    expect(log.errors()).toEqual([
      {
        file: 'iam:GenerateCredentialReport',
        message: 'the credential report was still being generated when agentaudit stopped waiting',
      },
    ]);
    // the rest of the account is still read
    expect(reading.authorizationPages).toHaveLength(5);
  });

  it('reads an existing report when generating one is denied, and records the denial', async () => {
    iamMock
      .on(GenerateCredentialReportCommand)
      .rejects(
        awsError(
          'AccessDenied',
          'User: arn:aws:iam::210987654321:user/auditor is not authorized to perform: iam:GenerateCredentialReport',
        ),
      );
    const log = new CallLog();
    const reading = await readIamAccount(iam, log, { clock: fakeClock() });
    expect(reading.credentialReport?.generationDenied).toBe(true);
    expect(reading.credentialReport?.csv).toBe(csv);
    expect(log.errors()).toEqual([
      {
        file: 'iam:GenerateCredentialReport',
        message:
          'AccessDenied: User: arn:aws:iam::210987654321:user/auditor is not authorized to perform: iam:GenerateCredentialReport',
      },
    ]);
  });

  it('records an AccessDenied ListAccessKeys once with a count, and keeps reading everything else', async () => {
    // Given an auditor who may not list access keys
    iamMock
      .on(ListAccessKeysCommand)
      .rejects(
        awsError(
          'AccessDenied',
          'User: arn:aws:iam::210987654321:user/auditor is not authorized to perform: iam:ListAccessKeys',
        ),
      );
    const log = new CallLog();
    // When the account is read
    const reading = await readIamAccount(iam, log, { clock: fakeClock() });
    // Then no user's keys are known (not "no keys"), one error names the call and the reason, and the rest is read
    expect(reading.accessKeys.size).toBe(0);
    expect(log.errors()).toEqual([
      {
        file: 'iam:ListAccessKeys (user ana.silva)',
        message:
          'AccessDenied: User: arn:aws:iam::210987654321:user/auditor is not authorized to perform: iam:ListAccessKeys (and 4 more of the same)',
      },
    ]);
    expect(iamMock.commandCalls(GetAccessKeyLastUsedCommand)).toHaveLength(0);
    expect(reading.authorizationPages).toHaveLength(5);
    expect(reading.credentialReport).not.toBeNull();
    expect(reading.oidcProviders).toHaveLength(1);
  });

  it('keeps the pages read before a throttle the SDK could not absorb, and names the failed page', async () => {
    const pages = authorizationPages(2);
    iamMock
      .on(GetAccountAuthorizationDetailsCommand)
      .resolvesOnce(pages[0] as never)
      .rejects(awsError('Throttling', 'Rate exceeded', 400));
    const log = new CallLog();
    const reading = await readIamAccount(iam, log, { clock: fakeClock() });
    expect(reading.authorizationPages).toHaveLength(1);
    expect(log.errors()).toContainEqual({
      file: 'iam:GetAccountAuthorizationDetails (page 2)',
      message: 'Throttling: Rate exceeded',
    });
  });

  it('falls back to the credential report for the users whose keys to list when authorization details are denied', async () => {
    iamMock
      .on(GetAccountAuthorizationDetailsCommand)
      .rejects(awsError('AccessDenied', 'not authorized to perform: iam:GetAccountAuthorizationDetails'));
    const reading = await readIamAccount(iam, new CallLog(), { clock: fakeClock() });
    expect(reading.authorizationPages).toEqual([]);
    expect(
      iamMock
        .commandCalls(ListAccessKeysCommand)
        .map((call) => call.args[0].input.UserName)
        .sort(),
    ).toEqual(['ana.silva', 'ci-artifacts', 'github-actions-deploy', 'legacy-backup', 'maria.gonzalez']);
  });

  it('throws a UserError with a next step when AWS refuses the credentials', async () => {
    iamMock
      .on(GetAccountAuthorizationDetailsCommand)
      .rejects(awsError('ExpiredToken', 'The security token included in the request is expired'));
    const error = await readIamAccount(iam, new CallLog(), { clock: fakeClock(), profile: 'audit' }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toBe(
      'AWS refused the credentials: ExpiredToken: The security token included in the request is expired',
    );
    expect((error as UserError).hint).toContain('aws sso login --profile audit');
  });
});
