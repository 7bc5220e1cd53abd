// Which sources `scan` plans for the live AWS flags: --aws, --profile/--region, and s3:// values of --cloudtrail.
import { describe, expect, it } from 'vitest';
import { UserError } from '../../../src/errors/errors.js';
import { SOURCES } from '../../../src/scan/sources.js';

/** The ids of the sources these parsed flags ask for. */
const planned = (values: Record<string, unknown>): string[] =>
  SOURCES.flatMap((source) => source.plan(values, {})?.id ?? []);

describe('planning the live AWS sources', () => {
  it('plans live IAM for --aws, and nothing AWS without it', () => {
    expect(planned({ aws: true })).toEqual(['aws']);
    expect(planned({ awsAuthz: ['authz.json'] })).toEqual(['aws-exports']);
  });

  it('sends s3:// values of --cloudtrail to the trail bucket reader and local paths to the file reader', () => {
    expect(planned({ cloudtrail: ['s3://trail/AWSLogs/'] })).toEqual(['cloudtrail-s3']);
    expect(planned({ cloudtrail: ['./AWSLogs'] })).toEqual(['cloudtrail']);
    expect(planned({ aws: true, cloudtrail: ['./AWSLogs', 'S3://trail'] })).toEqual([
      'aws',
      'cloudtrail',
      'cloudtrail-s3',
    ]);
  });

  it('refuses --profile or --region with nothing live to read, and a trail URL it cannot read', () => {
    expect(() => planned({ profile: 'audit', awsAuthz: ['authz.json'] })).toThrow(UserError);
    expect(() => planned({ region: 'eu-west-1' })).toThrow(/apply to live AWS reads only/);
    expect(planned({ profile: 'audit', cloudtrail: ['s3://trail'] })).toEqual(['cloudtrail-s3']);
    expect(() =>
      planned({ cloudtrail: ['s3://trail/AWSLogs/111122223333/CloudTrail/eu-west-1/2026/'] }),
    ).toThrow(UserError);
  });
});
