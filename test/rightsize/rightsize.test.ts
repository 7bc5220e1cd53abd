// Right-sizing one identity from a temporary cache: counts, unused services, data-event caveats, suggested policy.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { catalogueFrom } from '../../src/analysis/policy/expand.js';
import { UserError } from '../../src/errors/errors.js';
import { renderRightsizeText } from '../../src/rightsize/render.js';
import { rightsizeIdentity } from '../../src/rightsize/service.js';
import { inventoryFromCase } from '../../src/rules/selftest.js';
import { openDatabase } from '../../src/store/database.js';
import { beginScan, finishScan, writeInventory } from '../../src/store/writes.js';

const ACCOUNT = '111122223333';
const agentArn = `arn:aws:iam::${ACCOUNT}:role/agent`;
const agentId = `aws:iam-role:${agentArn}`;
const idleId = `aws:iam-user:arn:aws:iam::${ACCOUNT}:user/idle`;

const catalogue = catalogueFrom(
  new Map([
    ['s3', ['GetObject', 'PutObject', 'ListBucket', 'GetBucketPolicy']],
    ['iam', ['PassRole', 'GetRole']],
    ['bedrock', ['InvokeModel', 'ListFoundationModels']],
    ['lambda', ['InvokeFunction']],
    ['sts', ['GetCallerIdentity']],
  ]),
);

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

function cache(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agentaudit-rightsize-'));
  dirs.push(dir);
  const file = path.join(dir, 'cache.db');
  const db = openDatabase(file);
  const scanId = beginScan(db, {
    startedAt: '2026-10-05T00:00:00Z',
    asOf: '2026-10-05T00:00:00Z',
    since: null,
  });
  const row = (permission: string, resource: string | null, seen: string, count = 1) => ({
    identityId: agentId,
    permission,
    resource,
    firstSeen: seen,
    lastSeen: seen,
    count,
  });
  writeInventory(
    db,
    scanId,
    inventoryFromCase({
      identities: [
        { id: agentId, name: 'agent', kind: 'iam-role', arn: agentArn },
        { id: idleId, name: 'idle' },
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
      usage: [
        row('s3:GetObject', 'arn:aws:s3:::tickets/a.json', '2026-10-01T10:00:00Z'),
        row('s3:GetObject', 'arn:aws:s3:::tickets/b.json', '2026-10-02T10:00:00Z'),
        row('bedrock:InvokeModel', null, '2026-10-03T10:00:00Z', 40),
        row('sts:GetCallerIdentity', null, '2026-09-30T10:00:00Z'),
        row('ec2:DescribeInstances', null, '2026-10-03T11:00:00Z'),
        { identityId: agentId, permission: null, eventSource: 'x.amazonaws.com', eventName: 'Odd' },
      ],
    }),
  );
  finishScan(db, scanId, {
    finishedAt: '2026-10-05T00:00:01Z',
    status: 'complete',
    sources: [],
    coverage: {},
  });
  db.close();
  return file;
}

describe('rightsizeIdentity', () => {
  const file = cache();

  it('counts granted and used actions, groups unused ones by service and suggests a narrowed policy', async () => {
    // Given an agent role granted s3:*, bedrock:InvokeModel, iam:PassRole, lambda:InvokeFunction
    // When it is right-sized by name
    const result = await rightsizeIdentity(file, 'agent', { catalogue });
    // Then 7 actions are granted, 2 used (sts:GetCallerIdentity needs no permission), ec2 used but not granted
    expect(result.granted.count).toBe(7);
    expect(result.used.actions.map((u) => u.action)).toEqual([
      'bedrock:InvokeModel',
      'ec2:DescribeInstances',
      's3:GetObject',
    ]);
    expect(result.usedNotGranted).toEqual(['ec2:DescribeInstances']);
    expect(result.usedShare).toBeCloseTo(2 / 7);
    expect(result.unused.services.map((s) => [s.service, s.unused, s.wholeService])).toEqual([
      ['s3', 3, false],
      ['iam', 1, true],
      ['lambda', 1, true],
    ]);
    // And the data-event categories that may have been used unseen are listed apart
    expect(result.unseenDataEvents).toEqual([
      { category: 'S3 object-level', actions: ['s3:PutObject'] },
      { category: 'Lambda Invoke', actions: ['lambda:InvokeFunction'] },
    ]);
    // And the suggested policy keeps only what was used, narrowed to the objects seen
    expect(result.policy.Statement).toEqual([
      { Sid: 'Bedrock', Effect: 'Allow', Action: ['bedrock:InvokeModel'], Resource: '*' },
      {
        Sid: 'S3',
        Effect: 'Allow',
        Action: ['s3:GetObject'],
        Resource: ['arn:aws:s3:::tickets/a.json', 'arn:aws:s3:::tickets/b.json'],
      },
    ]);
    expect(JSON.stringify(result.policy)).not.toContain('iam:PassRole');
    expect(result.window).toMatchObject({
      firstSeen: '2026-10-01T10:00:00Z',
      lastSeen: '2026-10-03T11:00:00Z',
      sawNothing: false,
    });
    // And the text names the summary line
    expect(renderRightsizeText(result)).toContain(
      'granted 7 actions, used 3 (29%) over 2026-10-01T10:00:00Z',
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
