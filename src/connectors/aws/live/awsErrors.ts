// Reads AWS SDK errors: a one-line description, and which ones mean the credentials themselves were refused.
import { UserError } from '../../../errors/errors.js';

/** Error codes AWS answers when it does not accept the credentials at all (as opposed to one call being denied). */
const AUTHENTICATION_FAILURES = new Set([
  'InvalidClientTokenId',
  'SignatureDoesNotMatch',
  'ExpiredToken',
  'ExpiredTokenException',
  'UnrecognizedClientException',
  'InvalidAccessKeyId',
  'InvalidToken',
  'TokenRefreshRequired',
  'AuthFailure',
]);

interface SdkErrorShape {
  name?: unknown;
  message?: unknown;
  Code?: unknown;
  code?: unknown;
  $metadata?: { httpStatusCode?: unknown };
}

/** The error code AWS returned (`AccessDenied`, `Throttling`…), or the error's name. */
export function awsErrorCode(error: unknown): string {
  const shape = (typeof error === 'object' && error !== null ? error : {}) as SdkErrorShape;
  for (const value of [shape.Code, shape.name, shape.code]) {
    if (typeof value === 'string' && value !== '' && value !== 'Error') return value;
  }
  return 'Error';
}

/** `AccessDenied: User: arn:… is not authorized to perform: iam:ListAccessKeys …` (HTTP status when AWS gave no text). */
export function describeAwsError(error: unknown): string {
  const code = awsErrorCode(error);
  const shape = (typeof error === 'object' && error !== null ? error : {}) as SdkErrorShape;
  const raw = typeof shape.message === 'string' ? shape.message.trim() : String(error);
  const status = shape.$metadata?.httpStatusCode;
  const message =
    raw === '' || raw === 'UnknownError' ? (status ? `HTTP ${String(status)}` : 'no message') : raw;
  const text = message.startsWith(code) ? message : `${code}: ${message}`;
  return text.replace(/\s+/g, ' ').slice(0, 500);
}

/** True when AWS refused the credentials (invalid, expired, wrong signature), whatever the call. */
export function isAuthenticationFailure(error: unknown): boolean {
  return AUTHENTICATION_FAILURES.has(awsErrorCode(error));
}

/** What to do when no credentials could be found or AWS refused them. */
export function credentialsHint(profile: string | undefined): string {
  const login = profile ? `aws sso login --profile ${profile}` : 'aws sso login';
  return (
    `Sign in again (\`${login}\`), pass --profile NAME for a profile of ~/.aws/config, or set ` +
    'AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY; on EC2, ECS or Lambda the instance or task role is used. ' +
    'Check with `aws sts get-caller-identity`.'
  );
}

/** The UserError for credentials the SDK's chain could not find or that AWS refused. */
export function credentialsUserError(what: string, error: unknown, profile: string | undefined): UserError {
  return new UserError(`${what}: ${describeAwsError(error)}`, credentialsHint(profile));
}
