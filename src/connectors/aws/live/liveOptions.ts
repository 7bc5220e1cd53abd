// The options the live AWS sources share: `--profile`, `--region`, and which `--cloudtrail` values are trail buckets.
import { optionString, type OptionValues } from '../../contract.js';
import type { AwsConnectionOptions } from './clients.js';

/** True for `s3://…` values of `--cloudtrail`: a trail's bucket, read live. */
export const isS3Url = (value: string): boolean => /^s3:\/\//i.test(value);

/** `--profile` and `--region` as connection options (absent ones left to the SDK's configuration). */
export function connectionOptions(values: OptionValues): AwsConnectionOptions {
  const profile = optionString(values, 'profile');
  const region = optionString(values, 'region');
  return { ...(profile ? { profile } : {}), ...(region ? { region } : {}) };
}
