// Text helpers for the terminal UI: untrusted text made safe to print, fitted and wrapped to a width.
import { redactSecrets } from '../report/redact.js';
import { stripControlCharacters } from '../report/text.js';

export { shortResource } from '../triage/resource.js';

/** Untrusted text (a resource, a reason, a tag) as it may be printed: no control characters, no secret shapes. */
export function clean(text: string | null | undefined): string {
  return text ? redactSecrets(stripControlCharacters(text)) : '';
}

/** `text` cut to `width` characters, with `…` when cut. */
export function truncate(text: string, width: number): string {
  if (width <= 0) return '';
  return text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`;
}

/** `text` cut or padded with spaces to exactly `width` characters. */
export function fit(text: string, width: number): string {
  return truncate(text, width).padEnd(Math.max(0, width));
}

/** Word-wraps `text` to lines of at most `width` characters; words longer than a line (ARNs) are cut. */
export function wrap(text: string, width: number): string[] {
  const limit = Math.max(1, width);
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter((w) => w.length > 0)) {
    let rest = word;
    if (line.length > 0 && line.length + 1 + rest.length <= limit) {
      line = `${line} ${rest}`;
      continue;
    }
    if (line.length > 0) lines.push(line);
    while (rest.length > limit) {
      lines.push(rest.slice(0, limit));
      rest = rest.slice(limit);
    }
    line = rest;
  }
  if (line.length > 0 || lines.length === 0) lines.push(line);
  return lines;
}

/** A timestamp's date part, or a dash. */
export function day(timestamp: string | null | undefined): string {
  return timestamp ? timestamp.slice(0, 10) : '—';
}
