// Parses a file's text as one JSON document or several concatenated ones (paged CLI output appended to one file).

/** The documents of a text, or the first syntax error with its line and column. */
export type JsonDocumentsResult = { ok: true; documents: unknown[] } | { ok: false; message: string };

/**
 * Parses `text` as one JSON document, or as several documents written one after another
 * (`aws iam get-account-authorization-details` pages appended with `>>`). A leading byte-order mark is ignored.
 * On a syntax error the message says where: `invalid JSON at line 3, column 14: Expected ',' or '}'…`.
 */
export function parseJsonDocuments(text: string): JsonDocumentsResult {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (source.trim() === '') return { ok: false, message: 'the file is empty, expected JSON' };
  try {
    return { ok: true, documents: [JSON.parse(source)] };
  } catch (error) {
    const spans = splitTopLevelDocuments(source);
    if (spans.length < 2) return { ok: false, message: describeSyntaxError(source, error, 0) };
    const documents: unknown[] = [];
    for (const [start, end] of spans) {
      try {
        documents.push(JSON.parse(source.slice(start, end)));
      } catch (inner) {
        return { ok: false, message: describeSyntaxError(source, inner, start) };
      }
    }
    return { ok: true, documents };
  }
}

/**
 * Start/end offsets of the top-level `{…}` / `[…]` values of a text, found by bracket depth outside strings.
 * Text between values that is not whitespace becomes its own span so that JSON.parse reports it precisely.
 */
function splitTopLevelDocuments(text: string): [number, number][] {
  const spans: [number, number][] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') {
      inString = true;
      if (depth === 0 && start < 0) start = i;
    } else if (ch === '{' || ch === '[') {
      if (depth === 0 && start < 0) start = i;
      depth++;
    } else if (ch === '}' || ch === ']') {
      depth--;
      if (depth === 0 && start >= 0) {
        spans.push([start, i + 1]);
        start = -1;
      }
      if (depth < 0) return [[0, text.length]];
    } else if (depth === 0 && start < 0 && !/\s/.test(ch ?? '')) {
      // A stray scalar between documents: hand the rest to JSON.parse, which names the position.
      spans.push([i, text.length]);
      return spans;
    }
  }
  if (start >= 0) spans.push([start, text.length]);
  return spans;
}

/** `invalid JSON at line L, column C: <parser message>` from a JSON.parse error at `offset` within `text`. */
function describeSyntaxError(text: string, error: unknown, offset: number): string {
  const raw = error instanceof Error ? error.message : String(error);
  const position = /at position (\d+)/.exec(raw);
  const reason = raw.replace(/\s*in JSON at position \d+.*$/s, '').replace(/\s*at position \d+.*$/s, '');
  const absolute = position
    ? offset + Number(position[1])
    : /Unexpected end of JSON input/.test(raw)
      ? text.length
      : null;
  if (absolute === null) return `invalid JSON: ${raw}`;
  const { line, column } = lineAndColumn(text, absolute);
  return `invalid JSON at line ${line}, column ${column} (offset ${absolute}): ${reason}`;
}

/** 1-based line and column of an offset. */
function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}
