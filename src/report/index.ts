// The report formats, by name: what `--format` selects.
import { renderJson } from './json.js';
import { renderMarkdown } from './markdown.js';
import { renderSarif } from './sarif.js';
import { renderTable } from './table.js';
import type { Renderer } from './types.js';

/** Names of the report formats. */
export const REPORT_FORMATS = ['table', 'json', 'sarif', 'markdown'] as const;
/** A report format. */
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** Every renderer, by format name. Each is a pure function of the report input with secrets masked. */
export const RENDERERS: Record<ReportFormat, Renderer> = {
  table: renderTable,
  json: renderJson,
  sarif: (input) => renderSarif(input),
  markdown: (input) => renderMarkdown(input),
};

export { renderJson, renderMarkdown, renderSarif, renderTable };
export { redactSecrets } from './redact.js';
export type { Renderer, ReportInput, ReportRule } from './types.js';
