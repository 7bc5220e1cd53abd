// The SARIF 2.1.0 report, shaped for GitHub code scanning: every rule, one result per finding, scan gaps as notifications.
import type { JsonObject, Severity } from '../model/types.js';
import type { StoredFinding } from '../store/reads.js';
import { redactReportInput, redactSecrets } from './redact.js';
import {
  describeProblem,
  isCompleteScan,
  readCloudTrailCoverage,
  readProblems,
  type ReadProblem,
} from './summary.js';
import type { ReportInput, ReportRule } from './types.js';

/** The schema URI GitHub's documentation gives for SARIF 2.1.0. */
export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';

/** GitHub maps security-severity to its levels: > 9.0 critical, 7.0–8.9 high, 4.0–6.9 medium, 0.1–3.9 low, 0.0 none. */
export const SECURITY_SEVERITY: Record<Severity, string> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  info: '0.0',
};

/** SARIF result levels: GitHub filters on these. */
export const SARIF_LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'note',
};

/** Where the pseudo-artifacts of findings live (see `resourceArtifactUri`). */
export const RESOURCE_ARTIFACT_ROOT = '.agentaudit/resources';

// GitHub's documented limits: descriptions are cut at 1024 characters, rule names at 255, tags beyond 20 reject the file.
const MAX_DESCRIPTION = 1024;
const MAX_NAME = 255;
const MAX_TAGS = 20;

const truncate = (text: string, max: number): string =>
  text.length <= max ? text : `${text.slice(0, max - 1)}…`;

/** `shared-access-key` → `SharedAccessKey`: SARIF's rule `name` is a friendly Pascal-case identifier. */
function pascalName(ruleId: string): string {
  const name = ruleId
    .split(/[^A-Za-z0-9]+/)
    .filter((part) => part.length > 0)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');
  return truncate(name || 'Rule', MAX_NAME);
}

/** An absolute http(s) URL, or null: SARIF's `helpUri` must be an absolute URI. */
function httpUrl(candidate: string | undefined): string | null {
  if (!candidate) return null;
  try {
    const url = new URL(candidate);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
  } catch {
    return null;
  }
}

/** Reference ids that name an OWASP entry (`NHI1:2025`, `OWASP-NHI7`, `OWASP A01:2021`) become tags. */
const isOwaspId = (id: string): boolean => /^(owasp\b|nhi\d)/i.test(id.trim());

/**
 * The artifact URI of a finding: a stable, readable pseudo-path for the cloud identity or resource it is about.
 *
 * Why a pseudo-path: agentaudit's findings are about identities in AWS, GitHub and SaaS tools, not lines of a file,
 * but GitHub code scanning rejects a result without a `physicalLocation` with an `artifactLocation.uri` ("expected
 * a physical location"; a logical location alone is not enough), and rejects absolute URIs whose scheme differs from
 * the checkout's `file:` (so an ARN or an `https:` console link cannot be the URI). Peers do the same kind of thing:
 * Prowler puts the resource name in `artifactLocation.uri`, Legitify the entity's link, Checkov line 1 when it has no
 * line. We keep it honest and stable: a relative path under `.agentaudit/resources/` (agentaudit's own folder, so it
 * never names a real file of the repository) built from the resource's `:`/`/`-separated parts, each
 * percent-encoded; the exact resource stays in `logicalLocations[].fullyQualifiedName`, `message` and `properties`.
 * The path only has to be stable and readable, not reversible: results are told apart by `partialFingerprints`.
 */
export function resourceArtifactUri(resource: string): string {
  const segments = resource
    .split(/[:/]+/)
    .filter((segment) => segment.length > 0)
    .map((segment) => encodeURIComponent(segment).replace(/^\.{1,2}$/, (dots) => dots.replace(/\./g, '%2E')));
  return `${RESOURCE_ARTIFACT_ROOT}/${segments.length > 0 ? segments.join('/') : '%2D'}`;
}

/** The SARIF reportingDescriptor of one rule. */
function ruleDescriptor(rule: ReportRule, fallbackHelpUri: string): JsonObject {
  const description = rule.description.trim() || rule.title || rule.id;
  const references = rule.references.map((r) => `- ${r.id}: ${r.title} ${r.url}`.trimEnd());
  const helpText = [
    description,
    rule.risk ? `Risk: ${rule.risk}` : '',
    rule.remediation ? `Remediation: ${rule.remediation}` : '',
    references.length > 0 ? `References:\n${references.join('\n')}` : '',
  ]
    .filter((part) => part.length > 0)
    .join('\n\n');
  const helpMarkdown = [
    description,
    rule.risk ? `**Risk.** ${rule.risk}` : '',
    rule.remediation ? `**Remediation.** ${rule.remediation}` : '',
    rule.references.length > 0
      ? `**References**\n\n${rule.references
          .map((r) => {
            const label = `${r.id}: ${r.title}`.replace(/[[\]]/g, '\\$&');
            const url = httpUrl(r.url);
            return url ? `- [${label}](${url})` : `- ${label}`;
          })
          .join('\n')}`
      : '',
  ]
    .filter((part) => part.length > 0)
    .join('\n\n');
  const tags = [
    ...new Set(['security', rule.category, ...rule.references.map((r) => r.id.trim()).filter(isOwaspId)]),
  ]
    .filter((tag) => tag.length > 0)
    .slice(0, MAX_TAGS);
  return {
    id: rule.id,
    name: pascalName(rule.id),
    shortDescription: { text: truncate(rule.title || rule.id, MAX_DESCRIPTION) },
    fullDescription: { text: truncate(description, MAX_DESCRIPTION) },
    help: { text: helpText, markdown: helpMarkdown },
    helpUri: httpUrl(rule.references[0]?.url) ?? fallbackHelpUri,
    defaultConfiguration: { level: SARIF_LEVEL[rule.severity] ?? 'warning' },
    properties: {
      tags,
      'security-severity': SECURITY_SEVERITY[rule.severity] ?? '0.0',
      category: rule.category,
      severity: rule.severity,
    },
  };
}

/** Rule metadata for a finding whose rule is missing from `input.rules`, so every result still has a rule. */
const ruleFromFinding = (finding: StoredFinding): ReportRule => ({
  id: finding.ruleId,
  title: finding.title,
  severity: finding.severity,
  category: finding.category,
  description: finding.title,
  risk: '',
  remediation: finding.remediation,
  references: finding.references,
});

/** Notification descriptors: the kinds of scan gap a run reports in `toolExecutionNotifications`. */
type NotificationKind = ReadProblem['kind'] | 'results-capped';
const NOTIFICATIONS: Record<NotificationKind, { id: string; text: string; help: string }> = {
  source: {
    id: 'source-incomplete',
    text: 'An input source could not be read in full; findings may be missing.',
    help: 'Check the credentials, permissions and rate limits of the source, then scan again.',
  },
  'input-file': {
    id: 'input-file-error',
    text: 'An input file could not be read; its events are not counted.',
    help: 'Fix or replace the file named in the message (a truncated download, invalid JSON), then scan again.',
  },
  rule: {
    id: 'rule-error',
    text: 'A rule could not be evaluated; its findings are missing.',
    help: 'Run `agentaudit rules test` to see the failing rule, fix its query, then scan again.',
  },
  'results-capped': {
    id: 'results-capped',
    text: 'More findings than GitHub code scanning accepts in one run; the least severe were left out.',
    help: 'The JSON report lists every finding. Fix or suppress the most frequent ones to bring the count down.',
  },
};
const NOTIFICATION_KINDS = Object.keys(NOTIFICATIONS) as NotificationKind[];

/** GitHub rejects a run with more results than this; findings come most severe first, so the cap drops the least. */
export const SARIF_MAX_RESULTS = 25_000;

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const SEMVER = /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;

/** Builds the SARIF log object, with at most `maxResults` results (the rest counted in a notification). */
export function buildSarifLog(input: ReportInput, maxResults = SARIF_MAX_RESULTS): JsonObject {
  // Every rule that ran, once, in catalogue order; then any rule a finding names that the catalogue lacks.
  const rules: ReportRule[] = [];
  const ruleIndex = new Map<string, number>();
  for (const rule of [...input.rules, ...input.findings.map(ruleFromFinding)]) {
    if (ruleIndex.has(rule.id)) continue;
    ruleIndex.set(rule.id, rules.length);
    rules.push(rule);
  }

  const kept = input.findings.slice(0, Math.max(0, maxResults));
  const results = kept.map((finding): JsonObject => {
    const reason = finding.reason.trim();
    return {
      ruleId: finding.ruleId,
      ruleIndex: ruleIndex.get(finding.ruleId)!,
      level: SARIF_LEVEL[finding.severity] ?? 'warning',
      message: { text: `${finding.title}: ${finding.resource}.${reason ? ` ${reason}` : ''}` },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: resourceArtifactUri(finding.resource) },
            // GitHub requires a region; the pseudo-artifact has no lines, so the whole finding sits on line 1.
            region: { startLine: 1 },
          },
          logicalLocations: [{ fullyQualifiedName: finding.resource, kind: 'resource' }],
        },
      ],
      // GitHub matches alerts across runs on primaryLocationLineHash (with the rule and path): the finding's
      // fingerprint is exactly that identity, stable across scans for the same rule and resource.
      partialFingerprints: { primaryLocationLineHash: finding.id, 'agentauditFinding/v1': finding.id },
      properties: {
        findingId: finding.id,
        resource: finding.resource,
        severity: finding.severity,
        category: finding.category,
        evidence: finding.evidence,
      },
    };
  });

  const notifications = readProblems(input).map((problem): JsonObject => {
    const descriptorIndex = NOTIFICATION_KINDS.indexOf(problem.kind);
    const sentence = describeProblem(problem);
    const notification: JsonObject = {
      level: problem.level,
      message: { text: `${sentence[0]!.toUpperCase()}${sentence.slice(1)}` },
      descriptor: { id: NOTIFICATIONS[problem.kind].id, index: descriptorIndex },
      properties: { kind: problem.kind, name: problem.name },
    };
    const index = ruleIndex.get(problem.name);
    if (problem.kind === 'rule' && index !== undefined)
      notification.associatedRule = { id: problem.name, index };
    return notification;
  });
  const omitted = input.findings.length - kept.length;
  if (omitted > 0) {
    notifications.push({
      level: 'warning',
      message: {
        text: `${omitted} more findings are not in this SARIF log: it holds the ${kept.length} most severe.`,
      },
      descriptor: {
        id: NOTIFICATIONS['results-capped'].id,
        index: NOTIFICATION_KINDS.indexOf('results-capped'),
      },
      properties: { omitted, total: input.findings.length },
    });
  }

  const invocation: JsonObject = {
    executionSuccessful: isCompleteScan(input),
    toolExecutionNotifications: notifications,
    properties: { scanId: input.scan.id, status: input.scan.status, asOf: input.scan.asOf },
  };
  if (RFC3339.test(input.scan.startedAt)) invocation.startTimeUtc = input.scan.startedAt;
  if (input.scan.finishedAt && RFC3339.test(input.scan.finishedAt))
    invocation.endTimeUtc = input.scan.finishedAt;

  const driver: JsonObject = {
    name: input.tool.name,
    version: input.tool.version,
    informationUri: input.tool.informationUri,
    rules: rules.map((rule) => ruleDescriptor(rule, input.tool.informationUri)),
    notifications: NOTIFICATION_KINDS.map((kind) => ({
      id: NOTIFICATIONS[kind].id,
      name: pascalName(NOTIFICATIONS[kind].id),
      shortDescription: { text: NOTIFICATIONS[kind].text },
      fullDescription: { text: NOTIFICATIONS[kind].text },
      help: { text: NOTIFICATIONS[kind].help },
    })),
  };
  if (SEMVER.test(input.tool.version)) driver.semanticVersion = input.tool.version;

  const cloudtrail = readCloudTrailCoverage(input.scan.coverage);
  return {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: { driver },
        invocations: [invocation],
        results,
        properties: {
          scanId: input.scan.id,
          status: input.scan.status,
          asOf: input.scan.asOf,
          sources: input.scan.sources.map(({ name, status, detail }) => ({ name, status, detail })),
          coverage: JSON.parse(
            JSON.stringify(cloudtrail ? { ...input.scan.coverage, cloudtrail } : input.scan.coverage),
          ) as JsonObject,
          // The agent posture scorecard, as `summary.agents` of the JSON report.
          agents: JSON.parse(JSON.stringify(input.agents)) as JsonObject[],
        },
      },
    ],
  };
}

/**
 * Renders the SARIF 2.1.0 log for GitHub code scanning: every rule, one result per finding (at most
 * `maxResults`, GitHub's limit by default), scan gaps as tool execution notifications; secrets masked.
 */
export function renderSarif(input: ReportInput, options: { maxResults?: number } = {}): string {
  const log = buildSarifLog(redactReportInput(input), options.maxResults);
  return redactSecrets(`${JSON.stringify(log, null, 2)}\n`);
}
