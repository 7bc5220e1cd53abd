// The terminal report: header, PARTIAL banner, findings by severity, wrapped reasons, summary footer, colour on demand.
import { describe, expect, it } from 'vitest';
import { TABLE_WIDTH, renderTable, wrapText } from '../../src/report/table.js';
import { completeScanInput, finding, partialScanInput } from './fixtures.js';

// eslint-disable-next-line no-control-regex -- ANSI escape sequences are what is being looked for
const ANSI = /\u001b\[[0-9;]*m/;

describe('renderTable', () => {
  it('has no ANSI codes when colour is off', () => {
    const text = renderTable(partialScanInput({ color: false }));
    expect(text).not.toMatch(ANSI);
  });

  it('colours severities and the banner when colour is on, whatever the terminal', () => {
    const text = renderTable(partialScanInput({ color: true }));
    expect(text).toMatch(ANSI);
    // And the same words are there once the colour is stripped
    // eslint-disable-next-line no-control-regex -- stripping ANSI escape sequences
    expect(text.replace(/\u001b\[[0-9;]*m/g, '')).toBe(renderTable(partialScanInput({ color: false })));
  });

  it('starts with a header naming the scan, its as-of, usage window, status and sources', () => {
    const [first] = renderTable(partialScanInput()).split('\n');
    expect(first).toBe(
      'agentaudit  scan #7  as of 2025-06-01T10:00:00.000Z  usage since 2025-03-03T10:00:00Z  status partial  sources: aws ok, github partial, cloudtrail partial',
    );
  });

  it('warns with a PARTIAL banner listing what could not be read', () => {
    const text = renderTable(partialScanInput());
    expect(text).toContain(' PARTIAL SCAN ');
    expect(text).toContain('source github was read only in part: rate limited after 4,980 requests');
    expect(text).toContain('file trail/2025/06/01/broken.json.gz could not be read: unexpected end of file');
    expect(text).toContain('rule github-deploy-key-write could not be evaluated: no such column: read_only');
  });

  it('shows no banner for a complete scan', () => {
    expect(renderTable(completeScanInput())).not.toContain('PARTIAL');
  });

  it('groups findings by severity, most severe first, each as rule and resource then an indented reason', () => {
    const lines = renderTable(partialScanInput()).split('\n');
    const headings = lines.filter((line) => /^[A-Z]+ \(\d+\)$/.test(line));
    expect(headings).toEqual(['CRITICAL (1)', 'HIGH (2)', 'MEDIUM (1)', 'LOW (1)', 'INFO (1)']);
    const at = lines.indexOf('  aws-access-key-shared-by-agents  arn:aws:iam::123456789012:user/ci-deploy');
    expect(at).toBeGreaterThan(lines.indexOf('CRITICAL (1)'));
    expect(lines[at + 1]).toBe(
      '      Access key AKIAIOSFODNN7EXAMPLE is used by 3 agent clients (claude-code, cursor, aider) from 4',
    );
    expect(lines[at + 2]).toBe('      networks.');
  });

  it('wraps long reasons to the table width', () => {
    const lines = renderTable(partialScanInput()).split('\n');
    const reasonLines = lines.filter((line) => line.startsWith('      '));
    expect(reasonLines.length).toBeGreaterThan(6);
    for (const line of reasonLines) expect(line.length).toBeLessThanOrEqual(TABLE_WIDTH);
  });

  it('keeps a word longer than a line whole rather than breaking it', () => {
    const arn = `arn:aws:iam::123456789012:role/${'very-long-path/'.repeat(10)}x`;
    expect(wrapText(`see ${arn} now`, 60, '  ')).toEqual(['  see', `  ${arn}`, '  now']);
  });

  it('ends with a summary footer and CloudTrail coverage', () => {
    const lines = renderTable(partialScanInput()).trimEnd().split('\n');
    expect(lines.at(-2)).toBe(
      'checked 311 resources with 8 rules: 6 alarms (1 critical, 2 high, 1 medium, 1 low, 1 info), ' +
        'hidden: 2 suppressed, 1 baselined',
    );
    expect(lines.at(-1)).toBe(
      'CloudTrail: 48,210 events in 12 files, 99.1% mapped (448 unmapped), 112 duplicates, 1 file with errors',
    );
  });

  it('says so plainly when a complete scan found nothing', () => {
    const text = renderTable(completeScanInput({ findings: [] }));
    expect(text).toContain('No findings: 311 resources checked with 8 rules, all clean.');
  });

  it('never calls a partial scan clean, and always shows the banner when it found nothing', () => {
    const text = renderTable(partialScanInput({ findings: [] }));
    expect(text).toContain('PARTIAL SCAN');
    expect(text).not.toContain('all clean');
    expect(text).toContain('this is not a clean result');
  });

  it('neutralises terminal control sequences in provider-supplied text', () => {
    // Given a resource name that carries an escape sequence meant to rewrite the terminal
    const hostile = finding(
      'aws-role-without-description',
      'arn:aws:iam::123456789012:role/evil\u001b[2J\u001b[31m',
      'reason\u0007 with a bell',
    );
    // When rendered without colour
    const text = renderTable(partialScanInput({ findings: [hostile] }));
    // Then no escape byte reaches the terminal
    expect(text).not.toContain('\u001b');
    expect(text).not.toContain('\u0007');
  });

  it('shows the agent posture scorecard: a row per agent, ✓ ✗ ? per property, totals and a legend', () => {
    // Given a scan with two agents, one failing distinct and scoped through a finding each
    const text = renderTable(partialScanInput());
    // Then the scorecard has the seven columns, the failing properties with their finding counts, and a legend
    expect(text).toContain('AGENT POSTURE (2 agents)');
    expect(text).toMatch(
      /^agent +distinct {2}scoped {2}short-lived {2}observable {2}owner {2}purpose {2}expiry$/m,
    );
    expect(text).toMatch(/^github-actions-deploy \(aws iam-user\) +✗ 1 +✗ 1 +✓ +✓ +✓ +✓ +✗$/m);
    expect(text).toMatch(/^Claude \| <b>bot<\/b> \(slack oauth-app\) +✓ +\? +\? +✗ +✗ +✓ +✗$/m);
    expect(text).toContain(
      'agents failing each property (of 2): distinct 1, scoped 1, short-lived 0, observable 1, owner 1, purpose 0, expiry 2',
    );
    expect(text).toContain('✓ pass  ✗ fail (✗ N: N findings fail it)  ? unknown');
  });

  it('leaves the scorecard out when the scan has no agent', () => {
    expect(renderTable(partialScanInput({ agents: [] }))).not.toContain('AGENT POSTURE');
  });
});
