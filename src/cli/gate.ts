// The CI gate: which exit code a scan earns, from its findings, its completeness and the --fail-on threshold.
import { EXIT } from '../errors/errors.js';
import { SEVERITIES, type Severity } from '../model/types.js';

/** A --fail-on value. */
export type FailOn = Severity | 'none';

/**
 * 3 when the scan is partial (unless allowed): a gate that could not see everything must not pass silently;
 * else 1 when a visible finding is at or above the threshold; else 0.
 */
export function gateExitCode(input: {
  severities: readonly Severity[];
  partial: boolean;
  failOn: FailOn;
  allowPartial: boolean;
}): number {
  if (input.partial && !input.allowPartial) return EXIT.partial;
  if (input.failOn === 'none') return EXIT.ok;
  const threshold = SEVERITIES.indexOf(input.failOn);
  return input.severities.some((severity) => SEVERITIES.indexOf(severity) <= threshold)
    ? EXIT.findings
    : EXIT.ok;
}
