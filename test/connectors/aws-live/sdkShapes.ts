// Turns `aws iam …` CLI JSON into what the AWS SDK for JavaScript returns: Date objects, URL-encoded policy documents.
import { urlEncodedJson } from './fakeAws.js';

const POLICY_DOCUMENT_FIELDS = new Set(['PolicyDocument', 'AssumeRolePolicyDocument', 'Document']);

/** `value` (found under `key`) as the SDK would have parsed it from IAM's XML. */
export function sdkShaped(value: unknown, key = ''): unknown {
  if (Array.isArray(value)) return value.map((item) => sdkShaped(item));
  if (POLICY_DOCUMENT_FIELDS.has(key) && typeof value === 'object' && value !== null)
    return urlEncodedJson(value);
  if (typeof value === 'string' && key.endsWith('Date')) return new Date(value);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([name, child]) => [name, sdkShaped(child, name)]));
  }
  return value;
}
