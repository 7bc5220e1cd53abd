// Granted vs used per identity, as a scan derives it: real exports, NotAction, boundaries, what the window can show.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { summarizeGrantedVsUsed, usageWindowFrom } from '../../src/analysis/grantedVsUsed.js';
import { loadIamCatalogue, type IamCatalogue } from '../../src/analysis/policy/expand.js';
import { readAwsExports } from '../../src/connectors/aws/exports/index.js';
import { awsRoleId, awsUserId } from '../../src/model/ids.js';
import type { Inventory, JsonObject, PermissionSummary } from '../../src/model/types.js';
import { inventoryFromCase } from '../../src/rules/selftest.js';

const fixture = (file: string) => fileURLToPath(new URL(`../../fixtures/${file}`, import.meta.url));
const WINDOW = usageWindowFrom({
  since: '2026-08-01T12:00:00Z',
  until: '2026-10-30T12:00:00Z',
  firstEvent: '2026-10-26T00:00:00Z',
  lastEvent: '2026-10-30T11:00:00Z',
});

let catalogue: IamCatalogue;
beforeAll(async () => {
  catalogue = await loadIamCatalogue();
});

const summaryOf = (summaries: PermissionSummary[], id: string) => summaries.find((s) => s.identityId === id)!;
const usageRow = (identityId: string, permission: string) => ({
  identityId,
  permission,
  firstSeen: '2026-10-27T09:00:00Z',
  lastSeen: '2026-10-28T09:00:00Z',
});

describe('summarizeGrantedVsUsed', () => {
  it('expands the real cloudsplaining export: AdministratorAccess directly and through a group is the whole catalogue', async () => {
    // Given the cloudsplaining test export read by the AWS connector, and one call by user obama
    const exported = await readAwsExports({
      authzFiles: [fixture('aws/cloudsplaining-test/example-authz-details.json')],
      credentialReportFiles: [],
    });
    const obama = awsUserId('arn:aws:iam::012345678901:user/obama');
    const inventory: Inventory = {
      ...exported.inventory,
      usage: inventoryFromCase({ usage: [usageRow(obama, 'ec2:DescribeInstances')] }).usage,
    };
    // When summarised
    const summaries = summarizeGrantedVsUsed(inventory, catalogue, WINDOW);
    // Then obama holds every catalogue action, used one, and every service but ec2 is unused
    const summary = summaryOf(summaries, obama);
    expect(summary).toMatchObject({
      grantedCount: catalogue.all.length,
      usedCount: 1,
      unusedCount: catalogue.all.length - 1,
      usedServices: ['ec2'],
      policiesComplete: true,
      window: WINDOW,
    });
    expect(summary.unusedServices).not.toContain('ec2');
    expect(summary.unusedServices.length + summary.unobservableServices.length).toBe(
      catalogue.byService.size - 1,
    );
    // And the connector kept one attachment per policy reaching him (direct and through group admin)
    expect(inventory.policies!.filter((p) => p.identityId === obama).map((p) => p.sourcePolicy)).toEqual([
      'arn:aws:iam::aws:policy/AdministratorAccess',
      'group:admin/arn:aws:iam::aws:policy/AdministratorAccess',
    ]);
  });

  it('allows everything but IAM, Organizations and Account under PowerUserAccess (NotAction), plus its exceptions', () => {
    // Given a role holding the real PowerUserAccess document (NotAction iam:*, organizations:*, account:*)
    const authz = JSON.parse(
      fs.readFileSync(fixture('aws/cloudsplaining-test/example-authz-details.json'), 'utf8'),
    ) as {
      Policies: {
        PolicyName: string;
        PolicyVersionList: { IsDefaultVersion: boolean; Document: JsonObject }[];
      }[];
    };
    const powerUser = authz.Policies.find((p) => p.PolicyName === 'PowerUserAccess')!;
    const document = powerUser.PolicyVersionList.find((v) => v.IsDefaultVersion)!.Document;
    const role = awsRoleId('arn:aws:iam::111122223333:role/dev');
    const inventory = inventoryFromCase({
      identities: [{ id: role, kind: 'iam-role', name: 'dev' }],
      policies: [{ identityId: role, sourcePolicy: 'arn:aws:iam::aws:policy/PowerUserAccess', document }],
    });
    // When summarised
    const summary = summaryOf(summarizeGrantedVsUsed(inventory, catalogue, WINDOW), role);
    // Then the count is the catalogue without those three services, plus the five actions named back
    const excluded = catalogue.all.filter((a) => /^(iam|organizations|account):/i.test(a)).length;
    expect(summary.grantedCount).toBe(catalogue.all.length - excluded + 5);
    expect(summary.usedCount).toBe(0);
  });

  it('caps the demo preview role with its permission boundary read from the export', async () => {
    // Given the demo export, whose preview-deploy role holds s3:*, cloudfront:*, lambda:* under a boundary of s3:* and
    // two CloudFront actions, and a window in which it used s3:PutObject
    const exported = await readAwsExports({
      authzFiles: [fixture('demo/aws/authorization-details.json')],
      credentialReportFiles: [],
    });
    const preview = awsRoleId('arn:aws:iam::210987654321:role/ci/preview-deploy');
    const inventory: Inventory = {
      ...exported.inventory,
      usage: inventoryFromCase({ usage: [usageRow(preview, 's3:PutObject')] }).usage,
    };
    // When summarised
    const summary = summaryOf(summarizeGrantedVsUsed(inventory, catalogue, WINDOW), preview);
    // Then the grant is s3 and two CloudFront actions, the boundary is named, and the lambda actions are capped away
    const s3 = catalogue.byService.get('s3')!.length;
    const lambda = catalogue.byService.get('lambda')!.length;
    const cloudfront = catalogue.byService.get('cloudfront')!.length;
    expect(summary).toMatchObject({
      grantedCount: s3 + 2,
      boundary: 'arn:aws:iam::210987654321:policy/NorthwindCiBoundary',
      removedByBoundary: lambda + cloudfront - 2,
      usedCount: 1,
      usedServices: ['s3'],
      unusedServices: ['cloudfront'],
    });
  });

  it('tells unused services the window could show from those it could not, and counts used-but-not-granted', () => {
    // Given an agent granted bedrock, iam:PassRole and lambda:InvokeFunction, that used bedrock and an ungranted ec2 call
    const agent = awsRoleId('arn:aws:iam::111122223333:role/agent');
    const inventory = inventoryFromCase({
      identities: [{ id: agent, kind: 'iam-role', name: 'agent' }],
      grants: [
        { identityId: agent, permission: 'bedrock:InvokeModel' },
        { identityId: agent, permission: 'iam:PassRole' },
        { identityId: agent, permission: 'lambda:InvokeFunction' },
        { identityId: agent, permission: 'sqs:GetQueueUrl' },
      ],
      usage: [usageRow(agent, 'bedrock:InvokeModel'), usageRow(agent, 'ec2:DescribeInstances')],
    });
    // When summarised
    const summary = summaryOf(summarizeGrantedVsUsed(inventory, catalogue, WINDOW), agent);
    // Then sqs is unused and visible; iam (PassRole is never logged) and lambda (no Invoke data event seen) are not
    expect(summary).toMatchObject({
      grantedCount: 4,
      usedCount: 1,
      usedNotGranted: 1,
      unusedCount: 3,
      unusedUnobservable: 2,
      unusedServices: ['sqs'],
      unobservableServices: ['iam', 'lambda'],
    });
  });

  it('marks the counts of an identity with an unreadable policy, and leaves the window empty without an audit log', () => {
    // Given a user one of whose groups is missing from the export, summarised without any usage source
    const user = awsUserId('arn:aws:iam::111122223333:user/ci');
    const inventory = inventoryFromCase({
      identities: [{ id: user, name: 'ci', attributes: { unresolved_policies: ['group:deployers'] } }],
    });
    // When summarised with no window
    const [summary] = summarizeGrantedVsUsed(inventory, catalogue, null);
    // Then it is listed with nothing granted, policies incomplete, and no window
    expect(summary).toMatchObject({
      identityId: user,
      grantedCount: 0,
      policiesComplete: false,
      window: { since: null, until: null, firstEvent: null, lastEvent: null },
    });
    expect(usageWindowFrom({ since: 'x', until: 'y' })).toBeNull();
  });
});
