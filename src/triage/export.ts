// Pure renderers of the current triage view (findings or identities, as filtered) to Markdown or JSON, secrets masked.
import type { Severity } from '../model/types.js';
import { escapeMarkdown } from '../report/markdown.js';
import { redactSecrets } from '../report/redact.js';
import type { TriageFinding, TriageIdentity, TriageScan } from './types.js';

/** Formats `e` offers. */
export const EXPORT_FORMATS = ['markdown', 'json'] as const;
/** An export format. */
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** The filters the view was narrowed by, written into the export so a reader knows what was left out. */
export interface ExportFilters {
  /** Lowest severity shown. */
  floor: Severity;
  provider: string | null;
  text: string;
}

/** What is exported: the rows of one view, as filtered, and out of how many. */
export type ExportView =
  | { kind: 'findings'; rows: readonly TriageFinding[]; total: number }
  | {
      kind: 'identities';
      rows: readonly TriageIdentity[];
      total: number;
      /** Severity of each finding, to summarise an identity's findings. */
      severityOf: ReadonlyMap<string, Severity>;
    };

/** Renders `view` in `format`. */
export function renderExport(
  view: ExportView,
  format: ExportFormat,
  context: { scan: TriageScan; filters: ExportFilters; exportedAt: string },
): string {
  return format === 'json' ? exportJson(view, context) : exportMarkdown(view, context);
}

function exportJson(
  view: ExportView,
  context: { scan: TriageScan; filters: ExportFilters; exportedAt: string },
): string {
  const common = {
    scan: { id: context.scan.id, asOf: context.scan.asOf, status: context.scan.status },
    exportedAt: context.exportedAt,
    view: view.kind,
    filters: context.filters,
    shown: view.rows.length,
    total: view.total,
  };
  const body =
    view.kind === 'findings'
      ? {
          ...common,
          findings: view.rows.map((f) => ({
            id: f.id,
            ruleId: f.ruleId,
            title: f.title,
            severity: f.severity,
            category: f.category,
            resource: f.resource,
            identity: f.identityId,
            provider: f.provider,
            state: f.state,
            acceptance: f.acceptance,
            reason: f.reason,
            evidence: f.evidence,
            remediation: f.remediation,
            references: f.references,
          })),
        }
      : {
          ...common,
          identities: view.rows.map((i) => ({
            id: i.id,
            provider: i.provider,
            kind: i.kind,
            name: i.name,
            arn: i.arn,
            owner: i.owner,
            ownerSource: i.ownerSource,
            ownerStatus: i.ownerStatus,
            lastUsedAt: i.lastUsedAt,
            isAgent: i.isAgent,
            credentials: i.credentials,
            findings: i.findingIds,
          })),
        };
  return `${redactSecrets(JSON.stringify(body, null, 2))}\n`;
}

function exportMarkdown(
  view: ExportView,
  context: { scan: TriageScan; filters: ExportFilters; exportedAt: string },
): string {
  const cell = (text: string | null | undefined, max = 300): string =>
    text ? escapeMarkdown(redactSecrets(text), max) : '—';
  const { filters, scan } = context;
  const narrowed = [
    filters.floor === 'info' ? null : `severity ${filters.floor} or above`,
    filters.provider ? `provider ${filters.provider}` : null,
    filters.text ? `text “${filters.text}”` : null,
  ].filter((part): part is string => part !== null);
  const lines = [
    `# agentaudit triage: ${view.kind} of scan ${scan.id}`,
    '',
    `Judged as of ${scan.asOf}${scan.status === 'partial' ? ' (**partial scan**: some input could not be read)' : ''}; exported ${context.exportedAt}.`,
    `${view.rows.length} of ${view.total} ${view.kind} shown${narrowed.length > 0 ? `, filtered by ${cell(narrowed.join(', '))}` : ''}.`,
    '',
  ];
  if (view.kind === 'findings') {
    lines.push('| severity | state | rule | resource | reason |', '| --- | --- | --- | --- | --- |');
    for (const f of view.rows) {
      const state =
        f.state === 'open'
          ? 'open'
          : `${f.state}${f.acceptance?.expiresAt ? ` until ${f.acceptance.expiresAt.slice(0, 10)}` : ''}${f.acceptance?.reason ? `: ${f.acceptance.reason}` : ''}`;
      lines.push(
        `| ${f.severity} | ${cell(state)} | ${cell(f.ruleId)} | ${cell(f.resource, 200)} | ${cell(f.reason, 500)} |`,
      );
    }
  } else {
    lines.push(
      '| identity | kind | owner | last used | credentials | findings |',
      '| --- | --- | --- | --- | --- | --- |',
    );
    for (const i of view.rows) {
      const owner = i.owner
        ? `${i.owner}${i.ownerStatus && i.ownerStatus !== 'active' ? ` (${i.ownerStatus})` : ''}`
        : null;
      const severities = i.findingIds.map((id) => view.severityOf.get(id)).filter(Boolean);
      lines.push(
        `| ${cell(i.arn ?? i.name, 200)} | ${cell(i.kind)} | ${cell(owner)} | ${cell(i.lastUsedAt)} | ${i.credentials.length} | ${cell(severities.length > 0 ? `${severities.length} (worst ${severities[0]})` : '0')} |`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}
