// The JSON report's contract: the keys and counts scripts rely on.
import { describe, expect, it } from 'vitest';
import { renderJson } from '../../src/report/json.js';
import { CLOUDTRAIL, FINDINGS, completeScanInput, partialScanInput } from './fixtures.js';

describe('renderJson', () => {
  it('emits the documented top-level contract, pretty-printed with a trailing newline', () => {
    // Given a partial scan with findings
    const input = partialScanInput();
    // When it is rendered as JSON
    const text = renderJson(input);
    const report = JSON.parse(text);
    // Then the document has exactly the contract's sections, indented by 2 spaces
    expect(Object.keys(report)).toEqual(['scan', 'summary', 'findings', 'rules']);
    expect(text.endsWith('}\n')).toBe(true);
    expect(text.split('\n')[1]).toMatch(/^ {2}"scan": \{$/);
    expect(Object.keys(report.scan)).toEqual([
      'id',
      'startedAt',
      'finishedAt',
      'asOf',
      'window',
      'status',
      'sources',
      'coverage',
    ]);
    expect(report.scan).toMatchObject({ id: 7, status: 'partial', asOf: '2025-06-01T10:00:00.000Z' });
    expect(report.scan.sources[1]).toEqual({
      name: 'github',
      status: 'partial',
      detail: 'rate limited after 4,980 requests; 3 repositories not read',
    });
  });

  it('passes CloudTrail coverage through with its errors', () => {
    // Given a scan whose CloudTrail ingestion hit a truncated file
    const report = JSON.parse(renderJson(partialScanInput()));
    // Then coverage.cloudtrail carries the counts and the named file
    expect(report.scan.coverage.cloudtrail).toEqual(CLOUDTRAIL);
    expect(Object.keys(report.scan.coverage.cloudtrail)).toEqual([
      'files',
      'events',
      'duplicates',
      'mapped',
      'unmapped',
      'errors',
    ]);
    // And other coverage keys are kept
    expect(report.scan.coverage.window).toEqual({
      firstEvent: '2025-03-03T00:00:00Z',
      lastEvent: '2025-05-31T23:59:59Z',
    });
  });

  it('summarises checked resources, alarms, every severity and hidden findings', () => {
    const report = JSON.parse(renderJson(partialScanInput()));
    expect(report.summary.checked).toBe(61 + 42 + 8 + 97 + 5 + 97 + 1 + 0);
    expect(report.summary.alarms).toBe(FINDINGS.length);
    expect(report.summary.bySeverity).toEqual({ critical: 1, high: 2, medium: 1, low: 1, info: 1 });
    expect(report.summary.byCategory).toMatchObject({
      'shared-credential': 1,
      'human-credential': 1,
      'long-lived-secret': 1,
      'over-privilege': 1,
      'orphaned-identity': 1,
      hygiene: 1,
      'insecure-trust': 0,
    });
    expect(report.summary.hidden).toEqual({ suppressed: 2, baselined: 1 });
  });

  it('lists findings in input order with their stable ids and every contract field', () => {
    const report = JSON.parse(renderJson(partialScanInput()));
    expect(report.findings.map((f: { id: string }) => f.id)).toEqual(FINDINGS.map((f) => f.id));
    expect(Object.keys(report.findings[0])).toEqual([
      'id',
      'ruleId',
      'title',
      'severity',
      'category',
      'resource',
      'status',
      'reason',
      'evidence',
      'remediation',
      'references',
    ]);
    expect(report.findings[0]).toMatchObject({
      ruleId: 'aws-access-key-shared-by-agents',
      severity: 'critical',
      status: 'alarm',
      evidence: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', networks: 4 },
    });
    // suppressedBy is a cache detail, not part of the contract
    expect(report.findings[0]).not.toHaveProperty('suppressedBy');
  });

  it('reports per-rule counts, including a rule that failed', () => {
    const report = JSON.parse(renderJson(partialScanInput()));
    expect(report.rules).toHaveLength(8);
    expect(report.rules[0]).toEqual({
      ruleId: 'aws-access-key-shared-by-agents',
      checked: 61,
      alarms: 1,
      ok: 60,
      skipped: 0,
      error: null,
    });
    expect(report.rules.at(-1)).toMatchObject({
      ruleId: 'github-deploy-key-write',
      error: 'no such column: read_only',
    });
  });

  it('keeps all five severities at zero when there are no findings', () => {
    // Given a complete scan that found nothing
    const report = JSON.parse(renderJson(completeScanInput({ findings: [] })));
    // Then the counts are explicit zeros, not missing keys
    expect(report.summary.bySeverity).toEqual({ critical: 0, high: 0, medium: 0, low: 0, info: 0 });
    expect(report.summary.alarms).toBe(0);
    expect(report.findings).toEqual([]);
  });

  it('is deterministic', () => {
    expect(renderJson(partialScanInput())).toBe(renderJson(partialScanInput()));
  });

  it('gives each agent’s scorecard in summary.agents, failures with the ids of their findings', () => {
    // Given a scan with two agents
    const report = JSON.parse(renderJson(partialScanInput())) as {
      summary: {
        agents: { name: string; properties: Record<string, { status: string; findings: string[] }> }[];
      };
      findings: { id: string }[];
    };
    // Then summary.agents has both, with the seven properties, and the failing ones name findings of the report
    expect(report.summary.agents.map((a) => a.name)).toEqual([
      'github-actions-deploy',
      'Claude | <b>bot</b>',
    ]);
    const deploy = report.summary.agents[0]!;
    expect(Object.keys(deploy.properties)).toEqual([
      'distinct',
      'scoped',
      'shortLived',
      'observable',
      'owner',
      'purpose',
      'expiry',
    ]);
    expect(deploy.properties.distinct).toMatchObject({ status: 'fail', findings: [FINDINGS[0]!.id] });
    expect(report.findings.map((f) => f.id)).toContain(deploy.properties.scoped!.findings[0]);
    expect(deploy.properties.observable).toMatchObject({ status: 'pass', findings: [] });
  });
});
