// Pieces of IAM ARNs: account, partition, path, and the root ARN of an account.

/** The account field of an ARN (`123456789012`, or `aws` for AWS-managed policies), or null. */
export function accountOfArn(arn: string): string | null {
  const account = arn.split(':')[4];
  return account ? account : null;
}

/** The partition of an ARN (`aws`, `aws-cn`, `aws-us-gov`), `aws` when it cannot be read. */
export function partitionOfArn(arn: string): string {
  const partition = arn.split(':')[1];
  return partition && partition.startsWith('aws') ? partition : 'aws';
}

/** `arn:<partition>:iam::<account>:root`: what a bare account id means as a trust-policy principal. */
export function rootArn(account: string, partition = 'aws'): string {
  return `arn:${partition}:iam::${account}:root`;
}

/** The IAM path of a user or role ARN: `arn:aws:iam::1:user/ops/ci` → `/ops/`, `/` when it has none. */
export function pathOfArn(arn: string): string {
  const resource = arn.split(':').slice(5).join(':');
  const parts = resource.split('/');
  return parts.length > 2 ? `/${parts.slice(1, -1).join('/')}/` : '/';
}

/** The last segment of an ARN's resource (a user, role or policy name). */
export function nameOfArn(arn: string): string {
  const resource = arn.split(':').slice(5).join(':');
  return resource.split('/').pop() ?? resource;
}

/**
 * The same ARN in the `aws` partition, so AWS-managed policies are recognized in every partition
 * (`arn:aws-cn:iam::aws:policy/AdministratorAccess` is the same policy as in `aws`).
 */
export function inDefaultPartition(arn: string): string {
  return arn.replace(/^arn:aws[a-z-]*:/, 'arn:aws:');
}
