// Joining CloudTrail observations to the inventory: sessions to roles with paths, key ids to report slots, unknown principals.
import { describe, expect, it } from 'vitest';
import { reconcileObservations, type Observations } from '../../src/analysis/reconcile.js';
import { classifyAgents } from '../../src/analysis/agents.js';
import { awsAccessKeyId } from '../../src/model/ids.js';
import { inventoryFromCase } from '../../src/rules/selftest.js';

const ACCOUNT = '111122223333';
const userId = `aws:iam-user:arn:aws:iam::${ACCOUNT}:user/ci`;
const roleArn = `arn:aws:iam::${ACCOUNT}:role/service-role/etl`;

function observations(partial: Partial<Observations>): Observations {
  return { usage: [], clientActivity: [], accessKeys: [], principals: [], ...partial };
}

const key = (keyId: string, lastSeen: string, identityId = userId) => ({
  keyId,
  identityId,
  principalArn: null,
  temporary: false,
  firstSeen: lastSeen,
  lastSeen,
  count: 3,
});

describe('reconcileObservations', () => {
  it('links the only key seen to the only active credential-report slot, and re-points its usage', () => {
    // Given a user with one active slot, and CloudTrail activity of one long-term key
    const inventory = inventoryFromCase({
      identities: [{ id: userId, name: 'ci' }],
      credentials: [
        { id: `aws:access-key:arn:aws:iam::${ACCOUNT}:user/ci#1`, identityId: userId, status: 'active' },
      ],
    });
    const usage = [
      {
        identityId: userId,
        credentialId: awsAccessKeyId('AKIAEXAMPLEKEY1'),
        permission: 's3:GetObject',
        eventSource: 's3.amazonaws.com',
        eventName: 'GetObject',
        resource: null,
        firstSeen: '2026-05-01T00:00:00Z',
        lastSeen: '2026-05-02T00:00:00Z',
        count: 3,
        userAgents: [],
        sourceAddresses: [],
        sessionNames: [],
      },
    ];
    // When reconciled
    const result = reconcileObservations(
      inventory,
      observations({ usage, accessKeys: [key('AKIAEXAMPLEKEY1', '2026-05-02T00:00:00Z')] }),
    );
    // Then the slot carries the key id, no second credential appears, and usage points at the slot
    expect(result.credentials).toHaveLength(1);
    expect(result.credentials[0]).toMatchObject({ keyId: 'AKIAEXAMPLEKEY1' });
    expect(result.usage[0]!.credentialId).toBe(`aws:access-key:arn:aws:iam::${ACCOUNT}:user/ci#1`);
  });

  it('matches two keys to two slots by last-used day, and keeps an unmatched key as observed only', () => {
    const inventory = inventoryFromCase({
      identities: [{ id: userId, name: 'ci' }],
      credentials: [
        { id: 'slot1', identityId: userId, status: 'active', lastUsedAt: '2026-05-02T10:00:00Z' },
        { id: 'slot2', identityId: userId, status: 'active', lastUsedAt: '2026-04-20T10:00:00Z' },
      ],
    });
    const result = reconcileObservations(
      inventory,
      observations({
        accessKeys: [
          key('AKIAEXAMPLEKEYA', '2026-04-20T09:00:00Z'),
          key('AKIAEXAMPLEKEYB', '2026-05-02T08:00:00Z'),
          key('AKIAEXAMPLEKEYC', '2026-03-01T08:00:00Z'),
        ],
      }),
    );
    const byId = new Map(result.credentials.map((c) => [c.id, c]));
    expect(byId.get('slot1')!.keyId).toBe('AKIAEXAMPLEKEYB');
    expect(byId.get('slot2')!.keyId).toBe('AKIAEXAMPLEKEYA');
    expect(byId.get(awsAccessKeyId('AKIAEXAMPLEKEYC'))).toMatchObject({
      status: 'unknown',
      attributes: { observed_only: true },
    });
  });

  it("attributes a session to the inventory's role even when the session ARN lost the role's path", () => {
    const inventory = inventoryFromCase({
      identities: [{ id: `aws:iam-role:${roleArn}`, kind: 'iam-role', name: 'etl', arn: roleArn }],
    });
    const pathless = `aws:iam-role:arn:aws:iam::${ACCOUNT}:role/etl`;
    const result = reconcileObservations(
      inventory,
      observations({
        principals: [
          {
            identityId: pathless,
            principalArn: null,
            principalType: 'AssumedRole',
            accountId: ACCOUNT,
            firstSeen: 'a',
            lastSeen: 'b',
            count: 1,
            sessionNames: ['s'],
          },
        ],
        usage: [
          {
            identityId: pathless,
            credentialId: null,
            permission: 'glue:GetTable',
            eventSource: 'glue.amazonaws.com',
            eventName: 'GetTable',
            resource: null,
            firstSeen: 'a',
            lastSeen: 'b',
            count: 1,
            userAgents: [],
            sourceAddresses: [],
            sessionNames: ['s'],
          },
        ],
      }),
    );
    expect(result.identities).toHaveLength(1);
    expect(result.usage[0]!.identityId).toBe(`aws:iam-role:${roleArn}`);
  });

  it('adds IAM principals seen only in the logs, marked observed_only, and ignores AWS services', () => {
    const ghost = `aws:iam-user:arn:aws:iam::${ACCOUNT}:user/deleted-bot`;
    const result = reconcileObservations(
      inventoryFromCase({}),
      observations({
        principals: [
          {
            identityId: ghost,
            principalArn: null,
            principalType: 'IAMUser',
            accountId: ACCOUNT,
            firstSeen: '2026-05-01T00:00:00Z',
            lastSeen: '2026-05-02T00:00:00Z',
            count: 9,
            sessionNames: [],
          },
          {
            identityId: 'aws:principal:AWSService:glue.amazonaws.com',
            principalArn: null,
            principalType: 'AWSService',
            accountId: null,
            firstSeen: 'a',
            lastSeen: 'b',
            count: 1,
            sessionNames: [],
          },
        ],
      }),
    );
    expect(result.identities.map((i) => i.id)).toEqual([ghost]);
    expect(result.identities[0]).toMatchObject({
      name: 'deleted-bot',
      account: ACCOUNT,
      attributes: { observed_only: true, events: 9 },
    });
  });
});

describe('classifyAgents', () => {
  it('keeps the evidence for each verdict: tag, name, agent client, session name; and none for a plain role', () => {
    const inventory = inventoryFromCase({
      identities: [
        { id: 'tagged', name: 'ticket-worker', tags: { 'ai-agent': 'true' } },
        { id: 'named', name: 'claude-reviewer' },
        { id: 'driven', name: 'deploy' },
        { id: 'sessions', name: 'runner' },
        { id: 'plain', name: 'reporting' },
      ],
      clientActivity: [
        { identityId: 'driven', clientFamily: 'ai-agent:claude-code', agent: true, automated: true },
      ],
      usage: [{ identityId: 'sessions', sessionNames: ['langchain-run-42'] }],
    });
    const verdicts = new Map(
      classifyAgents(inventory.identities, inventory.clientActivity, inventory.usage).map((i) => [i.id, i]),
    );
    expect(verdicts.get('tagged')!.agentEvidence).toEqual(['tag ai-agent=true']);
    expect(verdicts.get('named')!.agentEvidence[0]).toMatch(/^name "claude-reviewer" matches/);
    expect(verdicts.get('driven')!.agentEvidence).toEqual(['driven by AI agent client ai-agent:claude-code']);
    expect(verdicts.get('sessions')!.agentEvidence).toEqual(['role session name "langchain-run-42"']);
    expect(verdicts.get('plain')).toMatchObject({ isAgent: false, agentEvidence: [] });
    for (const id of ['tagged', 'named', 'driven', 'sessions']) expect(verdicts.get(id)!.isAgent).toBe(true);
  });
});
