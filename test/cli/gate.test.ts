// The CI gate's exit codes: threshold, none, and a partial scan that must not pass silently.
import { describe, expect, it } from 'vitest';
import { gateExitCode } from '../../src/cli/gate.js';

describe('gateExitCode', () => {
  it('fails at or above the threshold and passes below it', () => {
    expect(gateExitCode({ severities: ['high'], partial: false, failOn: 'high', allowPartial: false })).toBe(
      1,
    );
    expect(
      gateExitCode({ severities: ['critical'], partial: false, failOn: 'high', allowPartial: false }),
    ).toBe(1);
    expect(
      gateExitCode({ severities: ['medium', 'low'], partial: false, failOn: 'high', allowPartial: false }),
    ).toBe(0);
    expect(gateExitCode({ severities: [], partial: false, failOn: 'info', allowPartial: false })).toBe(0);
  });

  it('never fails on findings with --fail-on none', () => {
    expect(
      gateExitCode({ severities: ['critical'], partial: false, failOn: 'none', allowPartial: false }),
    ).toBe(0);
  });

  it('exits 3 for a partial scan unless allowed, even with findings', () => {
    expect(
      gateExitCode({ severities: ['critical'], partial: true, failOn: 'high', allowPartial: false }),
    ).toBe(3);
    expect(gateExitCode({ severities: [], partial: true, failOn: 'none', allowPartial: false })).toBe(3);
    expect(
      gateExitCode({ severities: ['critical'], partial: true, failOn: 'high', allowPartial: true }),
    ).toBe(1);
    expect(gateExitCode({ severities: [], partial: true, failOn: 'high', allowPartial: true })).toBe(0);
  });
});
