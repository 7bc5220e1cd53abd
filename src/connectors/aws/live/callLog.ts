// Counts the AWS calls a live audit made and what failed, folding repeats of one failure into one error with a count.
import type { InputError } from '../../../model/types.js';
import { awsErrorCode, describeAwsError } from './awsErrors.js';

/** Requests and failures of one call (`iam:ListAccessKeys`). */
export interface CallCount {
  call: string;
  requests: number;
  failures: number;
}

interface FailureGroup {
  call: string;
  first: string;
  subject: string | null;
  count: number;
}

/**
 * What a live audit asked AWS and what it could not read. A failure names the call and the reason
 * (`iam:ListAccessKeys (user ci/deploy)`: `AccessDenied: …`); the same call failing with the same code for many
 * subjects (every user, every day folder) becomes one error that says how many, so a missing permission reads as
 * one line, not a thousand.
 */
export class CallLog {
  private readonly counts = new Map<string, CallCount>();
  private readonly failures = new Map<string, FailureGroup>();
  private readonly notes: InputError[] = [];

  /** Counts one request of `call` (an IAM action name: `iam:GetAccountAuthorizationDetails`). */
  request(call: string): void {
    this.countOf(call).requests++;
  }

  /** Records that a request of `call` about `subject` (a user, an S3 prefix; null for the account) failed. */
  failure(call: string, subject: string | null, error: unknown): void {
    this.countOf(call).failures++;
    const key = `${call}\u0000${awsErrorCode(error)}`;
    const group = this.failures.get(key);
    if (group) group.count++;
    else this.failures.set(key, { call, subject, first: describeAwsError(error), count: 1 });
  }

  /** Records a problem that is not an AWS error (a report that never completed, a page that could not be read). */
  problem(file: string, message: string): void {
    this.notes.push({ file, message });
  }

  /** Requests and failures per call, sorted by call. */
  calls(): CallCount[] {
    return [...this.counts.values()].sort((a, b) => (a.call < b.call ? -1 : a.call > b.call ? 1 : 0));
  }

  /** Total requests made. */
  get requests(): number {
    let total = 0;
    for (const count of this.counts.values()) total += count.requests;
    return total;
  }

  /** Every failure and problem as InputErrors naming the call. */
  errors(): InputError[] {
    const errors = [...this.notes];
    for (const group of this.failures.values()) {
      const file = group.subject ? `${group.call} (${group.subject})` : group.call;
      const more = group.count > 1 ? ` (and ${group.count - 1} more of the same)` : '';
      errors.push({ file, message: `${group.first}${more}` });
    }
    return errors;
  }

  private countOf(call: string): CallCount {
    let count = this.counts.get(call);
    if (!count) {
      count = { call, requests: 0, failures: 0 };
      this.counts.set(call, count);
    }
    return count;
  }
}
