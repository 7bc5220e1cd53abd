// Normalization of a live read: the same model as the account's export files, plus key ids and identity-provider facts.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readAwsExports } from '../../../src/connectors/aws/exports/index.js';
import { joinListedAccessKeys } from '../../../src/connectors/aws/live/accessKeys.js';
import type { IamReading, ListedAccessKey } from '../../../src/connectors/aws/live/iamReader.js';
import { buildLiveAwsInventory } from '../../../src/connectors/aws/live/liveInventory.js';
import { awsAccessKeyId, awsAccessKeySlotId, awsRoleId, awsUserId } from '../../../src/model/ids.js';
import type { Credential, Inventory } from '../../../src/model/types.js';
import { emptyInventory } from '../../../src/model/types.js';
import { DEMO_AUTHZ_FILE, DEMO_REPORT_FILE, demoAccessKeys } from './demoEstate.js';
import { sdkShaped } from './sdkShapes.js';

const ACCOUNT = '210987654321';
const authz = JSON.parse(fs.readFileSync(DEMO_AUTHZ_FILE, 'utf8')) as Record<string, unknown[]>;
const csv = fs.readFileSync(DEMO_REPORT_FILE, 'utf8');

/** The demo account as readIamAccount returns it: SDK-shaped pages turned back to JSON, the report, listed keys. */
function demoReading(overrides: Partial<IamReading> = {}): IamReading {
  const page = JSON.parse(JSON.stringify(sdkShaped(authz))) as unknown;
  const accessKeys = new Map<string, ListedAccessKey[]>();
  for (const [userName, keys] of Object.entries(demoAccessKeys(csv))) {
    accessKeys.set(
      userName,
      keys.map((key) => ({
        userName,
        keyId: key.AccessKeyId,
        status: key.Status,
        createdAt: new Date(key.CreateDate).toISOString().replace('.000Z', 'Z'),
        lastUsedAt: key.LastUsed?.LastUsedDate
          ? new Date(key.LastUsed.LastUsedDate).toISOString().replace('.000Z', 'Z')
          : null,
        lastUsedService: key.LastUsed?.LastUsedDate ? key.LastUsed.ServiceName : null,
        lastUsedRegion: key.LastUsed?.LastUsedDate ? key.LastUsed.Region : null,
        lastUsedKnown: true,
      })),
    );
  }
  return {
    authorizationPages: [page],
    credentialReport: { csv, generatedAt: '2026-10-30T11:58:00Z', generationDenied: false },
    accessKeys,
    oidcProviders: [
      {
        arn: `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`,
        url: 'token.actions.githubusercontent.com',
        clientIds: ['sts.amazonaws.com'],
        thumbprints: [],
        createdAt: '2024-03-01T10:00:00Z',
        tags: {},
        detailsKnown: true,
      },
    ],
    samlProviders: [
      {
        arn: `arn:aws:iam::${ACCOUNT}:saml-provider/AWSSSO_4e1a7c2b9d3f5a60_DO_NOT_DELETE`,
        createdAt: '2023-02-01T09:00:00Z',
        validUntil: '2123-02-01T09:00:00Z',
      },
    ],
    accountAlias: 'northwind-prod',
    ...overrides,
  };
}

/** The parts of an inventory that do not depend on how keys were identified. */
const comparable = (inventory: Inventory) => ({
  identities: inventory.identities.map((identity) => JSON.stringify(identity)).sort(),
  grants: inventory.grants.map((grant) => JSON.stringify(grant)).sort(),
});

describe('buildLiveAwsInventory', () => {
  it('gives the same identities and grants as the same account’s export files', async () => {
    // Given the demo account read live (URL-encoded policy documents, SDK dates) and from its export files
    const live = buildLiveAwsInventory(demoReading({ accessKeys: new Map() }));
    const offline = await readAwsExports({
      authzFiles: [DEMO_AUTHZ_FILE],
      credentialReportFiles: [DEMO_REPORT_FILE],
    });
    // Then the model is the same (without listed keys, the credentials are the same report slots too)
    expect(live.errors).toEqual([]);
    expect(comparable(live.inventory)).toEqual(comparable(offline.inventory));
    expect(live.inventory.credentials.map((c) => JSON.stringify(c)).sort()).toEqual(
      offline.inventory.credentials.map((c) => JSON.stringify(c)).sort(),
    );
    const {
      accessKeys: _keys,
      accessKeysMatchedToReport: _matched,
      oidcProviders,
      samlProviders,
      accountAlias,
      credentialReport,
      ...summary
    } = live.summary;
    expect(summary).toEqual(offline.summary);
    expect({ oidcProviders, samlProviders, accountAlias, credentialReport }).toEqual({
      oidcProviders: 1,
      samlProviders: 1,
      accountAlias: 'northwind-prod',
      credentialReport: { generatedAt: '2026-10-30T11:58:00Z', generationDenied: false },
    });
  });

  it('keeps the account alias as the account resource environment isolation reads', () => {
    // Given the demo account read live, whose alias is northwind-prod
    // When it is normalized
    const built = buildLiveAwsInventory(demoReading());
    // Then the account is a resource named by its alias, and the summary says the alias
    expect(built.inventory.resources).toEqual([
      {
        id: `aws:account:${ACCOUNT}`,
        provider: 'aws',
        kind: 'account',
        name: 'northwind-prod',
        account: ACCOUNT,
        attributes: { alias: 'northwind-prod' },
      },
    ]);
    expect(built.summary.accountAlias).toBe('northwind-prod');
    // And an account without an alias has no such resource
    expect(buildLiveAwsInventory(demoReading({ accountAlias: null })).inventory.resources ?? []).toEqual([]);
  });

  it('replaces report slots by listed keys carrying their ids, creation and last use', () => {
    const live = buildLiveAwsInventory(demoReading());
    expect(live.summary).toMatchObject({ accessKeys: 5, accessKeysMatchedToReport: 5 });
    const deploy = live.inventory.credentials.find((c) => c.id === awsAccessKeyId('AKIANWRDDEPLOYKEY001'));
    expect(deploy).toEqual({
      id: 'aws:access-key:AKIANWRDDEPLOYKEY001',
      identityId: awsUserId(`arn:aws:iam::${ACCOUNT}:user/ci/github-actions-deploy`),
      kind: 'aws-access-key',
      keyId: 'AKIANWRDDEPLOYKEY001',
      createdAt: '2025-02-11T09:20:03Z',
      lastRotatedAt: '2025-02-11T09:20:03Z',
      lastUsedAt: '2026-10-30T10:52:00Z',
      expiresAt: null,
      status: 'active',
      scopes: [],
      fingerprint: 'AKIANWRDDEPLOYKEY001',
      hint: 'Y001',
      attributes: {
        slot: 1,
        last_used_region: 'us-east-1',
        last_used_service: 'cloudformation',
        sources: ['list-access-keys', 'credential-report'],
      },
    });
    // No user keeps a slot credential; the root's key (which ListAccessKeys cannot list) does.
    const slots = live.inventory.credentials.filter((c) => c.kind === 'aws-access-key' && c.keyId === null);
    expect(slots.map((c) => c.id)).toEqual([awsAccessKeySlotId(`arn:aws:iam::${ACCOUNT}:root`, 1)]);
  });

  it('tells trust edges whether their OIDC provider exists and what audience it expects', () => {
    const live = buildLiveAwsInventory(demoReading());
    const oidc = live.inventory.edges.filter((edge) => edge.from.includes(':oidc-provider/'));
    expect(oidc.length).toBeGreaterThan(0);
    for (const edge of oidc) {
      expect(edge.evidence).toMatchObject({
        provider_registered: true,
        provider_url: 'token.actions.githubusercontent.com',
        provider_audiences: ['sts.amazonaws.com'],
      });
    }
    const terraform = oidc.find(
      (edge) => edge.to === awsRoleId(`arn:aws:iam::${ACCOUNT}:role/ci/terraform-ci`),
    );
    expect(terraform).toBeDefined();
    // A provider the account does not have is a trust nobody can use today
    const missing = buildLiveAwsInventory(demoReading({ oidcProviders: [] }));
    const oidcEdge = (inventory: Inventory) =>
      inventory.edges.find((edge) => edge.from.includes(':oidc-provider/'));
    expect(oidcEdge(missing.inventory)?.evidence).toMatchObject({
      provider_registered: false,
    });
    // and unknown providers (the listing failed) change nothing
    const unknown = buildLiveAwsInventory(demoReading({ oidcProviders: null }));
    expect(oidcEdge(unknown.inventory)?.evidence).not.toHaveProperty('provider_registered');
  });

  it('reports a credential report that is not a report, naming the call', () => {
    const live = buildLiveAwsInventory(
      demoReading({
        credentialReport: {
          csv: 'user,arn\nsvc,arn:aws:iam::210987654321:user/svc',
          generatedAt: null,
          generationDenied: false,
        },
      }),
    );
    expect(live.errors).toEqual([
      { file: 'iam:GetCredentialReport', message: expect.stringContaining('CSV missing required columns') },
    ]);
    expect(live.summary.credentialRows).toBe(0);
  });
});

describe('joinListedAccessKeys', () => {
  const userArn = `arn:aws:iam::${ACCOUNT}:user/svc`;
  const slot = (n: 1 | 2, createdAt: string): Credential => ({
    id: awsAccessKeySlotId(userArn, n),
    identityId: awsUserId(userArn),
    kind: 'aws-access-key',
    keyId: null,
    createdAt,
    lastRotatedAt: createdAt,
    lastUsedAt: '2026-01-01T00:00:00Z',
    expiresAt: null,
    status: 'active',
    scopes: [],
    fingerprint: null,
    hint: null,
    attributes: { slot: n, last_used_region: 'eu-west-1', last_used_service: 'sqs' },
  });
  const inventory = (credentials: Credential[]): Inventory => ({
    ...emptyInventory(),
    identities: [
      {
        id: awsUserId(userArn),
        provider: 'aws',
        kind: 'iam-user',
        name: 'svc',
        account: ACCOUNT,
        arn: userArn,
        isHuman: false,
        owner: null,
        ownerSource: null,
        purpose: null,
        createdAt: null,
        lastUsedAt: '2026-01-01T00:00:00Z',
        expiresAt: null,
        isAgent: false,
        agentEvidence: [],
        tags: {},
        attributes: {},
      },
    ],
    credentials,
  });
  const listed = (
    keyId: string,
    createdAt: string,
    overrides: Partial<ListedAccessKey> = {},
  ): ListedAccessKey => ({
    userName: 'svc',
    keyId,
    status: 'Active',
    createdAt,
    lastUsedAt: null,
    lastUsedService: null,
    lastUsedRegion: null,
    lastUsedKnown: false,
    ...overrides,
  });

  it('matches keys to slots by creation time, whatever the order they are listed in', () => {
    const join = joinListedAccessKeys(
      inventory([slot(1, '2024-01-01T00:00:00Z'), slot(2, '2025-06-01T00:00:00Z')]),
      new Map([
        [
          'svc',
          [
            listed('AKIASVCKEY0000000002', '2025-06-01T00:00:00Z'),
            listed('AKIASVCKEY0000000001', '2024-01-01T00:00:00Z'),
          ],
        ],
      ]),
    );
    expect(join).toMatchObject({ listed: 2, matchedToReport: 2, staleReportSlots: 0 });
    const slotOf = Object.fromEntries(join.inventory.credentials.map((c) => [c.keyId, c.attributes['slot']]));
    expect(slotOf).toEqual({ AKIASVCKEY0000000001: 1, AKIASVCKEY0000000002: 2 });
    // GetAccessKeyLastUsed unknown: the report's last use stays
    expect(join.inventory.credentials.every((c) => c.lastUsedAt === '2026-01-01T00:00:00Z')).toBe(true);
  });

  it('drops the slot of a key deleted since the report, and adds a key created since', () => {
    // Given a report with keys of 2024 and 2025, and a listing (newer) with the 2024 key and one made today
    const join = joinListedAccessKeys(
      inventory([slot(1, '2024-01-01T00:00:00Z'), slot(2, '2025-06-01T00:00:00Z')]),
      new Map([
        [
          'svc',
          [
            listed('AKIASVCKEY0000000001', '2024-01-01T00:00:00Z'),
            listed('AKIASVCKEY0000000003', '2026-10-30T09:00:00Z', { status: 'Inactive' }),
          ],
        ],
      ]),
    );
    // Then the 2025 slot is gone (its key no longer exists) and the new key is its own credential
    expect(join).toMatchObject({ listed: 2, matchedToReport: 1, staleReportSlots: 1 });
    expect(join.inventory.credentials.map((c) => [c.id, c.status, c.attributes['slot']])).toEqual([
      ['aws:access-key:AKIASVCKEY0000000001', 'active', 1],
      ['aws:access-key:AKIASVCKEY0000000003', 'inactive', null],
    ]);
  });

  it('takes the last key and slot to be the same key only when a creation time is unknown', () => {
    const join = joinListedAccessKeys(
      inventory([{ ...slot(1, '2024-01-01T00:00:00Z'), createdAt: null, lastRotatedAt: null }]),
      new Map([['svc', [listed('AKIASVCKEY0000000001', '2024-01-01T00:00:00Z')]]]),
    );
    expect(join).toMatchObject({ listed: 1, matchedToReport: 1, staleReportSlots: 0 });
    expect(join.inventory.credentials[0]?.attributes['slot']).toBe(1);
  });

  it('leaves the slots of a user whose keys could not be listed, and updates a user’s last use from its keys', () => {
    const untouched = joinListedAccessKeys(inventory([slot(1, '2024-01-01T00:00:00Z')]), new Map());
    expect(untouched.inventory.credentials.map((c) => c.id)).toEqual([awsAccessKeySlotId(userArn, 1)]);
    const used = joinListedAccessKeys(
      inventory([]),
      new Map([
        [
          'svc',
          [
            listed('AKIASVCKEY0000000001', '2024-01-01T00:00:00Z', {
              lastUsedKnown: true,
              lastUsedAt: '2026-10-29T08:00:00Z',
              lastUsedService: 's3',
              lastUsedRegion: 'us-east-1',
            }),
          ],
        ],
      ]),
    );
    expect(used.inventory.identities[0]?.lastUsedAt).toBe('2026-10-29T08:00:00Z');
    expect(used.inventory.credentials[0]?.attributes).toEqual({
      slot: null,
      last_used_region: 'us-east-1',
      last_used_service: 's3',
      sources: ['list-access-keys'],
    });
  });
});
