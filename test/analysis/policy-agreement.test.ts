// Agreement of the expansion with iam-dataset's effective_actions on a committed sample of real AWS managed policies.
import fs from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  compareWithReference,
  type AgreementReport,
  type ReferencePolicy,
} from '../../src/analysis/policy/agreement.js';
import { loadIamCatalogue } from '../../src/analysis/policy/expand.js';

const fixture = (name: string) =>
  fs.readFileSync(new URL(`../../fixtures/aws-managed-policies/${name}`, import.meta.url), 'utf8');
const policies = fixture('policies.jsonl')
  .split('\n')
  .filter((line) => line.trim())
  .map((line) => JSON.parse(line) as ReferencePolicy);
const vocabulary = new Set(fixture('vocabulary.txt').split('\n').filter(Boolean));

let report: AgreementReport;
const comparison = (name: string) => report.comparisons.find((c) => c.name === name)!;

beforeAll(async () => {
  // Given 60 real managed policies (NotAction, NotResource, Deny, Conditions, inner wildcards) and iam-dataset's lists
  // When agentaudit expands each against its catalogue and compares
  report = compareWithReference(policies, await loadIamCatalogue(), vocabulary);
});

describe('expansion agreement with iam-dataset on the committed sample', () => {
  it('agrees exactly on most policies and on every action both catalogues know, bar explicit Denies', () => {
    // Then at least 80 % match exactly, and on the actions both catalogues know precision and recall exceed 98 %
    expect(report.policies).toBe(60);
    expect(report.exact / report.policies).toBeGreaterThanOrEqual(0.8);
    expect(report.precisionOnSharedVocabulary).toBeGreaterThan(0.99);
    expect(report.recallOnSharedVocabulary).toBeGreaterThan(0.98);
    // And every difference has a known cause
    expect(report.byCause.unexplained).toEqual({ policies: 0, actions: 0 });
  });

  it('matches NotAction and NotResource Deny statements exactly', () => {
    // Then the permission boundary whose Denies use NotAction + NotResource, and the root-credential policies, agree
    for (const name of [
      'AmazonSecurityLakePermissionsBoundary',
      'IAMAuditRootUserCredentials',
      'IAMDeleteRootUserCredentials',
      'S3UnlockBucketPolicy',
      'AWSDenyAll',
    ]) {
      expect(comparison(name), name).toMatchObject({ exact: true });
    }
  });

  it('removes what an explicit Deny denies, where iam-dataset lists every action an Allow names', () => {
    // Then PutDataLakeSettings, allowed by lakeformation:* and denied by name, is the only difference
    expect(comparison('AWSLakeFormationDataAdmin').causes).toEqual({
      'explicit-deny': ['lakeformation:putdatalakesettings'],
    });
    // And the Connect role's Deny of `connect:*Contact` removes contact actions its `connect:Create*` allows
    expect(comparison('AmazonConnectSynchronizationServiceRolePolicy').causes['explicit-deny']).toContain(
      'connect:createcontact',
    );
  });

  it('explains the rest by catalogue drift on either side', () => {
    // Then actions newer than iam-dataset's snapshot, and actions AWS has since removed, account for the others
    expect(comparison('AWSBatchFullAccess').causes).toEqual({
      'newer-in-our-catalogue': ['batch:setcapacitytags'],
    });
    expect(comparison('AWSGlueServiceRole').causes).toEqual({
      'absent-from-our-catalogue': ['glue:getpartitionmetadata'],
    });
    expect(Object.keys(comparison('AWSCodePipelineFullAccess').causes)).toEqual(['their-expansion-older']);
  });
});
