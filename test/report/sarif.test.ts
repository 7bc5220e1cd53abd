// The SARIF report: valid against the SARIF 2.1.0 schema and shaped the way GitHub code scanning ingests it.
import { createRequire } from 'node:module';
import AjvDraft04Module from 'ajv-draft-04';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import {
  RESOURCE_ARTIFACT_ROOT,
  SARIF_MAX_RESULTS,
  renderSarif,
  resourceArtifactUri,
} from '../../src/report/sarif.js';
import { FINDINGS, RULES, completeScanInput, finding, partialScanInput } from './fixtures.js';

// The SARIF 2.1.0 JSON schema as Microsoft ships it in @microsoft/jest-sarif (MIT): a JSON Schema draft-04
// document, hence ajv-draft-04. Its definitions and properties match the final OASIS 2.1.0 schema; it differs
// only in GUID checks (a pattern instead of format: uuid) and a few artifact roles this report never uses.
const require = createRequire(import.meta.url);
const sarifSchema = require('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json') as object;
const Ajv = AjvDraft04Module.default;
const addFormats = addFormatsModule.default;
// unicodeRegExp: false because this schema's `language` pattern has a stray `]` that only the `u` flag rejects
// (the final 2.1.0 schema fixed the pattern; `language` is a property this report never sets).
const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats(ajv, { mode: 'full' });
const validateSarif = ajv.compile(sarifSchema);

interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: string;
  message: { text: string };
  locations: {
    physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } };
    logicalLocations: { fullyQualifiedName: string; kind: string }[];
  }[];
  partialFingerprints: Record<string, string>;
  properties: { findingId: string; resource: string; evidence: object };
}
interface SarifRule {
  id: string;
  name: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  help: { text: string; markdown: string };
  helpUri: string;
  defaultConfiguration: { level: string };
  properties: { tags: string[]; 'security-severity': string };
}
interface SarifNotification {
  level: string;
  message: { text: string };
  descriptor: { id: string; index: number };
  associatedRule?: { id: string; index: number };
}
interface SarifLog {
  $schema: string;
  version: string;
  runs: {
    tool: { driver: { name: string; version: string; informationUri: string; rules: SarifRule[] } };
    invocations: { executionSuccessful: boolean; toolExecutionNotifications: SarifNotification[] }[];
    results: SarifResult[];
  }[];
}

const parse = (text: string): SarifLog => JSON.parse(text) as SarifLog;
const schemaErrors = (log: unknown): string =>
  (validateSarif(log) ? [] : (validateSarif.errors ?? []))
    .map((e) => `${e.instancePath} ${e.message}`)
    .join('\n');

describe('renderSarif', () => {
  it('validates against the SARIF 2.1.0 schema, for a partial and a complete scan', () => {
    expect(schemaErrors(JSON.parse(renderSarif(partialScanInput())))).toBe('');
    expect(schemaErrors(JSON.parse(renderSarif(completeScanInput({ findings: [] }))))).toBe('');
  });

  it('is checked by a schema that does reject broken logs', () => {
    // Given a log whose result lost its required message
    const log = JSON.parse(renderSarif(partialScanInput()));
    delete log.runs[0].results[0].message;
    // Then the validator complains: the test above is not vacuous
    expect(schemaErrors(log)).toContain('message');
  });

  it('declares the schema, the version and the tool', () => {
    const log = parse(renderSarif(partialScanInput()));
    expect(log.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json');
    expect(log.version).toBe('2.1.0');
    expect(log.runs).toHaveLength(1);
    expect(log.runs[0]!.tool.driver).toMatchObject({
      name: 'agentaudit',
      version: '0.1.0',
      informationUri: 'https://github.com/agentaudit/agentaudit',
    });
  });

  it('lists every rule that ran, with help, tags and a security-severity GitHub understands', () => {
    const rules = parse(renderSarif(partialScanInput())).runs[0]!.tool.driver.rules;
    // Then every rule of the catalogue is there, including those without findings
    expect(rules.map((r) => r.id)).toEqual(RULES.map((r) => r.id));
    const shared = rules[0]!;
    expect(shared.name).toBe('AwsAccessKeySharedByAgents');
    expect(shared.shortDescription.text).toBe('Access key shared by several agents');
    expect(shared.fullDescription.text.length).toBeGreaterThan(0);
    expect(shared.help.text).toContain('Risk:');
    expect(shared.help.text).toContain('Remediation:');
    expect(shared.help.markdown).toContain('[NHI2:2025: Secret Leakage](https://owasp.org/');
    expect(shared.helpUri).toMatch(/^https:\/\//);
    expect(shared.properties.tags).toEqual(['security', 'shared-credential', 'NHI2:2025']);
    expect(shared.defaultConfiguration.level).toBe('error');
    // And security-severity is a string number, per severity
    const bySeverity = Object.fromEntries(
      RULES.map((r, i) => [r.severity, rules[i]!.properties['security-severity']]),
    );
    expect(bySeverity).toEqual({ critical: '9.5', high: '8.0', medium: '5.5', low: '3.0', info: '0.0' });
    for (const rule of rules) expect(rule.properties.tags.length).toBeLessThanOrEqual(20);
  });

  it('emits one result per finding, pointing at the right rule', () => {
    const run = parse(renderSarif(partialScanInput())).runs[0]!;
    expect(run.results).toHaveLength(FINDINGS.length);
    run.results.forEach((result, i) => {
      const f = FINDINGS[i]!;
      expect(result.ruleId).toBe(f.ruleId);
      expect(run.tool.driver.rules[result.ruleIndex]!.id).toBe(f.ruleId);
      expect(result.message.text).toContain(f.title);
      expect(result.message.text).toContain(f.resource);
      expect(result.message.text).toContain(f.reason);
      expect(result.properties).toMatchObject({
        findingId: f.id,
        resource: f.resource,
        evidence: f.evidence,
      });
    });
    expect(run.results.map((r) => r.level)).toEqual(['error', 'error', 'error', 'warning', 'note', 'note']);
  });

  it('carries the stable finding id as the fingerprint GitHub matches alerts on', () => {
    const results = parse(renderSarif(partialScanInput())).runs[0]!.results;
    results.forEach((result, i) => {
      expect(result.partialFingerprints.primaryLocationLineHash).toBe(FINDINGS[i]!.id);
    });
    // And a re-scan of the same estate gives the same fingerprints
    const again = parse(renderSarif(partialScanInput())).runs[0]!.results;
    expect(again.map((r) => r.partialFingerprints)).toEqual(results.map((r) => r.partialFingerprints));
  });

  it('gives each result the physical location GitHub requires, on a relative pseudo-path, plus the exact resource', () => {
    const results = parse(renderSarif(partialScanInput())).runs[0]!.results;
    for (const [i, result] of results.entries()) {
      const [location] = result.locations;
      const uri = location!.physicalLocation.artifactLocation.uri;
      // No scheme (GitHub rejects one that differs from the checkout's file:), no traversal, never empty
      expect(uri.startsWith(`${RESOURCE_ARTIFACT_ROOT}/`)).toBe(true);
      expect(uri).not.toMatch(/^[A-Za-z][A-Za-z0-9+.-]*:/);
      expect(uri.split('/')).not.toContain('..');
      expect(location!.physicalLocation.region.startLine).toBe(1);
      expect(location!.logicalLocations).toEqual([
        { fullyQualifiedName: FINDINGS[i]!.resource, kind: 'resource' },
      ]);
    }
    expect(results[0]!.locations[0]!.physicalLocation.artifactLocation.uri).toBe(
      '.agentaudit/resources/arn/aws/iam/123456789012/user/ci-deploy',
    );
  });

  it('makes pseudo-paths from any resource string safe and stable', () => {
    expect(resourceArtifactUri('https://github.com/octo-org/deploy-bot')).toBe(
      '.agentaudit/resources/https/github.com/octo-org/deploy-bot',
    );
    expect(resourceArtifactUri('a/../../etc passwd')).toBe(
      '.agentaudit/resources/a/%2E%2E/%2E%2E/etc%20passwd',
    );
    expect(resourceArtifactUri('')).toBe('.agentaudit/resources/%2D');
    expect(resourceArtifactUri('arn:aws:iam::1:user/x')).toBe(resourceArtifactUri('arn:aws:iam::1:user/x'));
  });

  it('shows a partial scan: execution not successful, one notification per unread source, file and rule', () => {
    const invocation = parse(renderSarif(partialScanInput())).runs[0]!.invocations[0]!;
    expect(invocation.executionSuccessful).toBe(false);
    const texts = invocation.toolExecutionNotifications.map((n) => n.message.text);
    expect(texts).toHaveLength(4);
    expect(texts[0]).toContain('github');
    expect(texts[1]).toContain('cloudtrail');
    expect(texts[2]).toContain('File trail/2025/06/01/broken.json.gz could not be read');
    expect(texts[2]).toContain('truncated gzip');
    expect(texts[3]).toContain('github-deploy-key-write');
    const ruleError = invocation.toolExecutionNotifications[3]!;
    expect(ruleError.level).toBe('error');
    expect(ruleError.associatedRule).toEqual({ id: 'github-deploy-key-write', index: 7 });
  });

  it('shows a complete scan as a successful execution without notifications', () => {
    const invocation = parse(renderSarif(completeScanInput())).runs[0]!.invocations[0]!;
    expect(invocation.executionSuccessful).toBe(true);
    expect(invocation.toolExecutionNotifications).toEqual([]);
    expect(SARIF_MAX_RESULTS).toBe(25_000);
  });

  it('still gives a result a rule when its rule is missing from the catalogue', () => {
    // Given a finding whose rule metadata was not passed in
    const input = partialScanInput({ rules: RULES.slice(1) });
    // When rendered
    const log = parse(renderSarif(input));
    const run = log.runs[0]!;
    // Then the rule is synthesised from the finding and the index points at it
    const first = run.results[0]!;
    expect(run.tool.driver.rules[first.ruleIndex]!.id).toBe('aws-access-key-shared-by-agents');
    expect(schemaErrors(log)).toBe('');
  });

  it("keeps the most severe results within GitHub's per-run limit and says how many it left out", () => {
    // Given more findings than the cap
    const input = completeScanInput();
    // When rendered with a cap of 4 (GitHub's is 25,000)
    const log = parse(renderSarif(input, { maxResults: 4 }));
    const run = log.runs[0]!;
    // Then the 4 most severe are kept and a notification counts the rest
    expect(run.results.map((r) => r.ruleId)).toEqual(FINDINGS.slice(0, 4).map((f) => f.ruleId));
    const [notification] = run.invocations[0]!.toolExecutionNotifications;
    expect(notification!.message.text).toBe(
      '2 more findings are not in this SARIF log: it holds the 4 most severe.',
    );
    expect(notification!.level).toBe('warning');
    expect(schemaErrors(log)).toBe('');
  });

  it('stays valid when a reason carries quotes, newlines and markup', () => {
    const odd = finding(
      'aws-role-without-description',
      'arn:aws:iam::123456789012:role/odd"name',
      'Line one\nline "two" <b>bold</b> | pipe',
    );
    const log = JSON.parse(renderSarif(partialScanInput({ findings: [odd] })));
    expect(schemaErrors(log)).toBe('');
    expect(log.runs[0].results[0].message.text).toContain('line "two" <b>bold</b> | pipe');
  });
});
