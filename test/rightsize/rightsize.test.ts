// Right-sizing one identity from a temporary cache: counts, unused services, what the window cannot show, the policy.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { summarizeGrantedVsUsed, usageWindowFrom } from '../../src/analysis/grantedVsUsed.js';
import { catalogueFrom } from '../../src/analysis/policy/expand.js';
import { UserError } from '../../src/errors/errors.js';
import { renderRightsize, renderRightsizeText } from '../../src/rightsize/render.js';
import { rightsizeIdentity } from '../../src/rightsize/service.js';
import { inventoryFromCase } from '../../src/rules/selftest.js';
import { openDatabase } from '../../src/store/database.js';
import { beginScan, finishScan, writeInventory } from '../../src/store/writes.js';

const ACCOUNT = '111122223333';
const agentArn = `arn:aws:iam::${ACCOUNT}:role/agent`;
const agentId = `aws:iam-role:${agentArn}`;
const idleId = `aws:iam-user:arn:aws:iam::${ACCOUNT}:user/idle`;
const fencedId = `aws:iam-role:arn:aws:iam::${ACCOUNT}:role/fenced`;
const WINDOW = {
  since: '2026-09-05T00:00:00Z',
  until: '2026-10-05T00:00:00Z',
  firstEvent: '2026-09-30T10:00:00Z',
  lastEvent: '2026-10-03T11:00:00Z',
};

const catalogue = catalogueFrom(
  new Map([
    ['s3', ['GetObject', 'PutObject', 'ListBucket', 'GetBucketPolicy']],
    ['iam', ['PassRole', 'GetRole']],
    ['bedrock', ['InvokeModel', 'ListFoundationModels']],
    ['lambda', ['InvokeFunction']],
    ['sts', ['GetCallerIdentity']],
  ]),
  new Map([
    ['s3:GetObject', 'Read'],
    ['s3:ListBucket', 'List'],
    ['s3:GetBucketPolicy', 'Read'],
    ['iam:GetRole', 'Read'],
    ['bedrock:ListFoundationModels', 'List'],
  ]),
);

const row = (
  permission: string,
  resource: string | null,
  seen: string,
  count = 1,
  credentialId?: string,
) => ({
  identityId: agentId,
  permission,
  resource,
  firstSeen: seen,
  lastSeen: seen,
  count,
  ...(credentialId ? { credentialId } : {}),
});

const inventory = inventoryFromCase({
  identities: [
    {
      id: agentId,
      name: 'agent',
      kind: 'iam-role',
      arn: agentArn,
      isAgent: true,
      agentEvidence: ['tag ai-agent=true'],
    },
    { id: idleId, name: 'idle' },
    {
      id: fencedId,
      name: 'fenced',
      kind: 'iam-role',
      attributes: { permissions_boundary: `arn:aws:iam::${ACCOUNT}:policy/fence` },
    },
    { id: `aws:iam-user:arn:aws:iam::${ACCOUNT}:user/dup`, name: 'dup' },
    { id: `aws:iam-role:arn:aws:iam::${ACCOUNT}:role/dup`, name: 'dup', kind: 'iam-role' },
  ],
  grants: [
    { identityId: agentId, permission: 's3:*', resource: 'arn:aws:s3:::tickets/*' },
    { identityId: agentId, permission: 'bedrock:InvokeModel', resource: '*' },
    { identityId: agentId, permission: 'iam:PassRole', resource: '*' },
    { identityId: agentId, permission: 'lambda:InvokeFunction', resource: '*' },
    { identityId: idleId, permission: 'iam:Get*', resource: '*' },
  ],
  policies: [
    {
      identityId: fencedId,
      sourcePolicy: 'arn:aws:iam::aws:policy/AdministratorAccess',
      document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
    },
    {
      identityId: fencedId,
      sourcePolicy: `arn:aws:iam::${ACCOUNT}:policy/fence`,
      kind: 'boundary',
      document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:Get*', Resource: '*' }] },
    },
  ],
  usage: [
    ...Array.from({ length: 12 }, (_, i) =>
      row(
        's3:GetObject',
        `arn:aws:s3:::tickets/${i}.json`,
        `2026-10-0${1 + (i % 2)}T10:00:00Z`,
        1,
        'aws:session:a',
      ),
    ),
    row('bedrock:InvokeModel', null, '2026-10-03T10:00:00Z', 40, 'aws:session:b'),
    row('sts:GetCallerIdentity', null, '2026-09-30T10:00:00Z'),
    row('ec2:DescribeInstances', null, '2026-10-03T11:00:00Z'),
    { identityId: agentId, permission: null, eventSource: 'x.amazonaws.com', eventName: 'Odd' },
    {
      identityId: fencedId,
      permission: 's3:GetObject',
      resource: 'arn:aws:s3:::logs/a',
      firstSeen: '2026-10-02T00:00:00Z',
      lastSeen: '2026-10-02T00:00:00Z',
      sessionNames: ['nightly-job'],
    },
  ],
});

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

function cache(coverage: object = { window: WINDOW }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agentaudit-rightsize-'));
  dirs.push(dir);
  const file = path.join(dir, 'cache.db');
  const db = openDatabase(file);
  const scanId = beginScan(db, { startedAt: WINDOW.until, asOf: WINDOW.until, since: WINDOW.since });
  writeInventory(db, scanId, inventory);
  finishScan(db, scanId, { finishedAt: WINDOW.until, status: 'complete', sources: [], coverage });
  db.close();
  return file;
}

describe('rightsizeIdentity', () => {
  const file = cache();

  it('counts granted and used actions, groups unused ones by service and suggests a narrowed policy', async () => {
    // Given an agent role granted s3:* on a bucket, bedrock:InvokeModel, iam:PassRole, lambda:InvokeFunction
    // When it is right-sized by name
    const result = await rightsizeIdentity(file, 'agent', { catalogue });
    // Then 7 actions are granted, 2 used (sts:GetCallerIdentity needs no permission), ec2 used but not granted
    expect(result.granted.count).toBe(7);
    expect(result.used.count).toBe(2);
    expect(result.used.actions.map((u) => [u.action, u.granted])).toEqual([
      ['bedrock:InvokeModel', true],
      ['ec2:DescribeInstances', false],
      ['s3:GetObject', true],
    ]);
    expect(result.usedNotGranted).toEqual(['ec2:DescribeInstances']);
    expect(result.usedShare).toBeCloseTo(2 / 7);
    expect(result.removed).toBe(5);
    expect(result.unused.services.map((s) => [s.service, s.unused, s.wholeService, s.observable])).toEqual([
      ['s3', 3, false, true],
      ['iam', 1, true, false],
      ['lambda', 1, true, false],
    ]);
    // And what the window cannot show is listed apart: PassRole is never logged; no Lambda data event was seen,
    // while S3 object events were (so the unused s3:PutObject counts as observed unused)
    expect(result.cannotShow).toEqual({
      neverLogged: ['iam:PassRole'],
      dataEvents: [{ category: 'Lambda Invoke', actions: ['lambda:InvokeFunction'] }],
    });
    expect(result.unused.unobservable).toBe(2);
    // And the suggested policy keeps only what was used: 12 objects generalised to the granted bucket
    expect(result.policy.Statement).toEqual([
      { Sid: 'Bedrock', Effect: 'Allow', Action: ['bedrock:InvokeModel'], Resource: '*' },
      { Sid: 'S3', Effect: 'Allow', Action: ['s3:GetObject'], Resource: 'arn:aws:s3:::tickets/*' },
    ]);
    // And the window and the use per credential are reported
    expect(result.window).toMatchObject({ ...WINDOW, firstUsed: '2026-09-30T10:00:00Z', sawNothing: false });
    expect(result.used.byCredential.map((c) => [c.credentialId, c.actions, c.events])).toEqual([
      ['aws:session:b', 1, 40],
      ['aws:session:a', 1, 12],
      [null, 1, 1],
    ]);
    const text = renderRightsizeText(result);
    expect(text).toContain(
      'granted 7 actions, used 2 (29%) over 2026-09-30T10:00:00Z → 2026-10-03T11:00:00Z',
    );
    expect(text).toContain(
      'the suggested policy removes 5 permissions (2 of them the window could not have shown used)',
    );
    expect(text).toContain('never logged by CloudTrail: iam:PassRole');
    expect(text).toContain('AI agent: tag ai-agent=true');
  });

  it('gives the same counts as the summary the scan stores for rules', async () => {
    // Given the same inventory summarised as a scan would
    const summaries = summarizeGrantedVsUsed(inventory, catalogue, usageWindowFrom(WINDOW));
    // When the agent is right-sized from the cache
    const result = await rightsizeIdentity(file, agentId, { catalogue });
    // Then granted, used and unused agree
    expect(summaries.find((s) => s.identityId === agentId)).toMatchObject({
      grantedCount: result.granted.count,
      usedCount: result.used.count,
      unusedCount: result.removed,
      unusedUnobservable: result.unused.unobservable,
      usedNotGranted: 1,
      unusedServices: [],
      unobservableServices: ['iam', 'lambda'],
      usedServices: ['bedrock', 's3'],
    });
  });

  it('caps the grant with the permission boundary read from the cache', async () => {
    // Given a role with AdministratorAccess under a boundary of s3:Get*
    // When it is right-sized
    const result = await rightsizeIdentity(file, 'fenced', { catalogue });
    // Then only the two s3:Get actions are granted, the boundary is named, and the policy keeps the object seen
    expect(result.granted).toMatchObject({
      count: 2,
      boundary: `arn:aws:iam::${ACCOUNT}:policy/fence`,
      removedByBoundary: 9,
    });
    expect(result.policy.Statement).toEqual([
      { Sid: 'S3', Effect: 'Allow', Action: ['s3:GetObject'], Resource: 'arn:aws:s3:::logs/a' },
    ]);
    expect(result.used.sessionNames).toEqual(['nightly-job']);
    expect(result.caveats.join('\n')).toContain(
      `keep the permission boundary arn:aws:iam::${ACCOUNT}:policy/fence`,
    );
  });

  it('says the window saw nothing and recommends keeping permissions without other evidence', async () => {
    // Given a user with grants and no usage, selected by its stable id
    // When it is right-sized
    const result = await rightsizeIdentity(file, idleId, { catalogue });
    // Then nothing is used and the caveat warns against removing on this evidence alone
    expect(result).toMatchObject({ granted: { count: 1 }, used: { count: 0 }, window: { sawNothing: true } });
    expect(result.policy.Statement).toEqual([]);
    expect(result.caveats[0]).toMatch(/saw no use.*do not remove/);
  });

  it('says so when no audit log was read at all', async () => {
    // Given a scan without any usage source
    const bare = cache({});
    // When the agent is right-sized
    const result = await rightsizeIdentity(bare, 'agent', { catalogue });
    // Then the first caveat says nothing can be called unused, and the text says no log was read
    expect(result.caveats[0]).toMatch(/no audit log was read/);
    expect(renderRightsize(result, 'text')).toContain('evidence window: no audit log was read');
  });

  it('refuses an unknown or ambiguous selector, listing candidates', async () => {
    // Given names that match nothing and two identities
    // When they are right-sized
    // Then a UserError names the candidates
    await expect(rightsizeIdentity(file, 'dup', { catalogue })).rejects.toThrow(UserError);
    await expect(rightsizeIdentity(file, 'dup', { catalogue })).rejects.toMatchObject({
      hint: expect.stringContaining('role/dup'),
    });
    await expect(rightsizeIdentity(file, 'agen', { catalogue })).rejects.toMatchObject({
      hint: expect.stringContaining(agentArn),
    });
    await expect(rightsizeIdentity(file, 'agent', { catalogue, scanId: 9 })).rejects.toThrow(/no scan 9/);
  });
});
