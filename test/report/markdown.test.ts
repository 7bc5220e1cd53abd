// The Markdown report for GitHub Actions job summaries: status, tables, escaping and the size cap.
import { describe, expect, it } from 'vitest';
import { MARKDOWN_MAX_AGENTS, MARKDOWN_MAX_FINDINGS, renderMarkdown } from '../../src/report/markdown.js';
import { AGENTS, completeScanInput, finding, manyFindings, partialScanInput } from './fixtures.js';

describe('renderMarkdown', () => {
  it('says a partial scan is PARTIAL and what could not be read', () => {
    // Given a scan where GitHub was rate limited, a CloudTrail file was truncated and a rule failed
    const md = renderMarkdown(partialScanInput());
    // Then the status names each gap
    expect(md).toMatch(/^## agentaudit report\n/);
    expect(md).toContain('**Status: PARTIAL.**');
    expect(md).toContain('> - source github was read only in part: rate limited after 4,980 requests');
    expect(md).toContain(
      '> - file trail/2025/06/01/broken.json.gz could not be read: unexpected end of file (truncated gzip)',
    );
    expect(md).toContain(
      '> - rule github-deploy-key-write could not be evaluated: no such column: read\\_only',
    );
  });

  it('says a complete scan is complete', () => {
    const md = renderMarkdown(completeScanInput());
    expect(md).toContain('**Status:** complete');
    expect(md).not.toContain('PARTIAL');
  });

  it('summarises severities in a table and states checks and hidden findings', () => {
    const md = renderMarkdown(partialScanInput());
    expect(md).toContain('| Severity | Findings |');
    expect(md).toContain('| Critical | 1 |');
    expect(md).toContain('| High | 2 |');
    expect(md).toContain('| Info | 1 |');
    expect(md).toContain('| **Total** | **6** |');
    expect(md).toContain('Checked 311 resources with 8 rules; hidden: 2 suppressed, 1 baselined.');
  });

  it('reports CloudTrail coverage with the mapped share to one decimal and the errors', () => {
    const md = renderMarkdown(partialScanInput());
    // 47,650 of 48,098 mapped = 99.07 %
    expect(md).toContain(
      '48,210 events in 12 files; 99.1% mapped to a permission (47,650 mapped, 448 unmapped)',
    );
    expect(md).toContain('- **Errors:** 1 file could not be read in full:');
  });

  it('groups findings by severity in tables, with remediation per rule collapsed', () => {
    const md = renderMarkdown(partialScanInput());
    expect(md).toContain('#### Critical (1)');
    expect(md).toContain('#### High (2)');
    expect(md).toContain('| Severity | Rule | Resource | Reason |');
    expect(md).toContain(
      '| critical | `aws-access-key-shared-by-agents` | arn:aws:iam::123456789012:user/ci-deploy |',
    );
    expect(md.indexOf('#### Critical')).toBeLessThan(md.indexOf('#### High'));
    expect(md).toContain('<details>');
    expect(md).toContain(
      '<summary><strong>aws-access-key-shared-by-agents</strong>: Access key shared by several agents',
    );
    expect(md).toContain('**Remediation.** Fix aws-access-key-shared-by-agents');
    expect(md).toContain(
      '- [NHI2:2025: Secret Leakage](https://owasp.org/www-project-non-human-identities-top-10/)',
    );
  });

  it('escapes pipes, HTML, backticks and newlines in resources and reasons', () => {
    // Given a finding whose provider-supplied text tries to break the table and inject HTML
    const hostile = finding(
      'aws-role-without-description',
      'arn:aws:iam::123456789012:role/a|b`c`',
      'Reason with | a pipe, <script>alert(1)</script>, `code`\nand a second line',
    );
    // When rendered
    const md = renderMarkdown(partialScanInput({ findings: [hostile] }));
    const row = md.split('\n').find((line) => line.startsWith('| info |'))!;
    // Then the row keeps its four cells and no raw markup survives
    expect(row).toContain('a\\|b\\`c\\`');
    expect(row).toContain(
      'Reason with \\| a pipe, &lt;script&gt;alert(1)&lt;/script&gt;, \\`code\\`<br>and a second line',
    );
    expect(md).not.toContain('<script>');
    expect(row.split(/(?<!\\)\|/).length - 2).toBe(4);
  });

  it('caps the findings listed in detail and says how many were omitted', () => {
    // Given far more findings than a job summary should hold
    const findings = manyFindings(MARKDOWN_MAX_FINDINGS + 150);
    // When rendered
    const md = renderMarkdown(completeScanInput({ findings }));
    // Then only the cap is listed, the rest are counted, and the document stays far below 1 MiB
    expect(md.split('\n').filter((line) => line.startsWith('| medium |'))).toHaveLength(
      MARKDOWN_MAX_FINDINGS,
    );
    expect(md).toContain('#### Medium (250, 100 shown)');
    expect(md).toContain('_150 more findings not shown: this summary lists the 100 most severe.');
    expect(Buffer.byteLength(md)).toBeLessThan(1024 * 1024);
  });

  it('bounds the document even when reasons are huge', () => {
    const huge = manyFindings(300).map((f) => ({
      ...f,
      reason: 'x'.repeat(100_000),
      resource: 'r'.repeat(50_000),
    }));
    const md = renderMarkdown(completeScanInput({ findings: huge }));
    expect(Buffer.byteLength(md)).toBeLessThan(512 * 1024);
  });

  it('never calls an empty partial scan clean', () => {
    const md = renderMarkdown(partialScanInput({ findings: [] }));
    expect(md).toContain('PARTIAL');
    expect(md).toContain('No findings in what could be read');
    expect(md).toContain('not a clean result');
  });

  it('says plainly when a complete scan found nothing', () => {
    const md = renderMarkdown(completeScanInput({ findings: [] }));
    expect(md).toContain('No findings: 311 resources checked with 8 rules, none alarmed.');
  });

  it('shows the agent posture scorecard as a table for the job summary, untrusted names escaped', () => {
    // Given a scan with two agents, one of them named with Markdown and HTML in it
    const md = renderMarkdown(partialScanInput());
    // Then a table has one row per agent, ✗ N where N findings fail a property, and a legend
    expect(md).toContain('### Agent posture (2 agents)');
    expect(md).toContain(
      '| Agent | distinct | scoped | short-lived | observable | owner | purpose | expiry |',
    );
    expect(md).toContain('|---|:-:|:-:|:-:|:-:|:-:|:-:|:-:|');
    expect(md).toContain('| github-actions-deploy <sub>aws iam-user</sub> | ✗ 1 | ✗ 1 | ✓ | ✓ | ✓ | ✓ | ✗ |');
    expect(md).toContain(
      '| Claude \\| &lt;b&gt;bot&lt;/b&gt; <sub>slack oauth-app</sub> | ✓ | ? | ? | ✗ | ✗ | ✓ | ✗ |',
    );
    expect(md).toMatch(/✓ pass {2}✗ fail .*\? unknown/);
    // And it comes before the findings
    expect(md.indexOf('### Agent posture')).toBeLessThan(md.indexOf('### Critical'));
  });

  it('bounds the scorecard: at most MARKDOWN_MAX_AGENTS rows, the rest counted', () => {
    // Given more agents than the cap
    const many = Array.from({ length: MARKDOWN_MAX_AGENTS + 5 }, (_, i) => ({
      ...AGENTS[0]!,
      identity: `agent-${i}`,
      name: `agent-${i}`,
    }));
    const md = renderMarkdown(partialScanInput({ agents: many }));
    // Then the table stops at the cap and says how many more there are, while the totals count every agent
    expect(md).toContain(`| agent-${MARKDOWN_MAX_AGENTS - 1} <sub>`);
    expect(md).not.toContain(`| agent-${MARKDOWN_MAX_AGENTS} <sub>`);
    expect(md).toContain('… and 5 more agents (the JSON report lists every one).');
    expect(md).toContain(`agents failing each property (of ${MARKDOWN_MAX_AGENTS + 5})`);
  });
});
