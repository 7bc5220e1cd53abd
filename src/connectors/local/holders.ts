// Splits a configuration file into its holders: the MCP servers, compose services or CI jobs each secret belongs to.
import path from 'node:path';
import { parseDocument } from 'yaml';
import type { ConfigKind } from './configFiles.js';

/** What kind of thing holds a secret in a file. */
export type HolderType = 'mcp-server' | 'agent' | 'env-file' | 'service' | 'job' | 'file';

/** One holder: its name, what it is, and the text secrets are looked for in (its part of the file). */
export interface Holder {
  name: string;
  type: HolderType;
  /** The holder's part of the file as text, for the detectors. */
  text: string;
  /** The parsed value, to name the field a secret sits in; null for plain text. */
  value: unknown;
}

/** A file split into holders, plus a holder for the whole file (secrets outside any holder belong to it). */
export interface SplitFile {
  holders: Holder[];
  file: Holder;
  /** A parse problem (the file is still scanned as text), with its line when known. */
  problem: string | null;
}

type JsonObject = Record<string, unknown>;
const isObject = (value: unknown): value is JsonObject =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * Removes `//` and block comments and trailing commas outside strings: VS Code's settings.json is JSON with
 * comments, and people copy that habit into other MCP configs.
 */
export function stripJsonComments(text: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i]!;
    const next = text[i + 1];
    if (inString) {
      out += char;
      if (char === '\\') {
        out += next ?? '';
        i += 1;
      } else if (char === '"') inString = false;
      continue;
    }
    if (char === '"') {
      inString = true;
      out += char;
    } else if (char === '/' && next === '/') {
      while (i < text.length && text[i] !== '\n') i += 1;
      out += '\n';
    } else if (char === '/' && next === '*') {
      const end = text.indexOf('*/', i + 2);
      const skipped = text.slice(i, end === -1 ? text.length : end + 2);
      out += skipped.replace(/[^\n]/g, ' ');
      i = end === -1 ? text.length : end + 1;
    } else {
      out += char;
    }
  }
  return out.replace(/,(\s*[}\]])/g, '$1');
}

const json = (value: unknown): string => JSON.stringify(value, null, 2);

function mcpServers(container: unknown, prefix = ''): Holder[] {
  if (!isObject(container)) return [];
  return Object.entries(container).map(([name, value]) => ({
    name: `${prefix}${name}`,
    type: 'mcp-server' as const,
    text: json(value),
    value,
  }));
}

/** MCP clients keep servers under `mcpServers` (Claude, Cursor, Windsurf) or `servers` / `mcp.servers` (VS Code). */
function jsonHolders(kind: ConfigKind, document: JsonObject): Holder[] {
  const holders = [...mcpServers(document.mcpServers)];
  if (kind === 'vscode') {
    holders.push(...mcpServers(document.servers));
    holders.push(...mcpServers(isObject(document.mcp) ? document.mcp.servers : undefined));
    holders.push(...mcpServers(document['mcp.servers']));
  }
  if (kind === 'claude-code' && isObject(document.projects)) {
    for (const [project, settings] of Object.entries(document.projects)) {
      if (isObject(settings))
        holders.push(...mcpServers(settings.mcpServers, `${path.posix.basename(project)}/`));
    }
  }
  if (isObject(document.env)) {
    holders.push({ name: 'env', type: 'agent', text: json(document.env), value: document.env });
  }
  return holders;
}

const GITLAB_KEYWORDS = new Set([
  'default',
  'include',
  'stages',
  'variables',
  'workflow',
  'image',
  'services',
  'cache',
  'before_script',
  'after_script',
]);

function yamlHolders(kind: ConfigKind, document: JsonObject): Holder[] {
  const holder = (name: string, type: HolderType, value: unknown): Holder => ({
    name,
    type,
    text: json(value),
    value,
  });
  if (kind === 'compose' && isObject(document.services)) {
    return Object.entries(document.services).map(([name, value]) => holder(name, 'service', value));
  }
  if (kind !== 'ci') return [];
  const holders: Holder[] = [];
  if (isObject(document.jobs)) {
    for (const [name, value] of Object.entries(document.jobs)) holders.push(holder(name, 'job', value));
    if (document.env !== undefined) holders.push(holder('env', 'job', document.env));
    return holders;
  }
  for (const [name, value] of Object.entries(document)) {
    if (name === 'variables') holders.push(holder('variables', 'job', value));
    else if (!GITLAB_KEYWORDS.has(name) && !name.startsWith('.') && isObject(value))
      holders.push(holder(name, 'job', value));
  }
  return holders;
}

/** The line (1-based) of character `offset` in `text`. */
export function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i += 1) if (text.charCodeAt(i) === 10) line += 1;
  return line;
}

/**
 * Splits `content` of a file of `kind` into holders. Files that do not parse are still scanned whole, and the
 * problem is returned so the scan can say which file it could not read as structured data.
 */
export function splitConfigFile(kind: ConfigKind, displayPath: string, content: string): SplitFile {
  const fileName = `${path.posix.basename(path.posix.dirname(displayPath.split(path.sep).join('/')))}/${path.posix.basename(displayPath.split(path.sep).join('/'))}`;
  const file: Holder = {
    name: fileName,
    type: kind === 'dotenv' ? 'env-file' : 'file',
    text: content,
    value: kind === 'dotenv' ? parseDotenv(content) : null,
  };
  const lower = displayPath.toLowerCase();
  if (lower.endsWith('.json')) {
    try {
      const document = JSON.parse(stripJsonComments(content)) as unknown;
      return { holders: isObject(document) ? jsonHolders(kind, document) : [], file, problem: null };
    } catch (error) {
      return { holders: [], file, problem: `not valid JSON: ${(error as Error).message}` };
    }
  }
  if (lower.endsWith('.yml') || lower.endsWith('.yaml')) {
    const document = parseDocument(content, { prettyErrors: false, uniqueKeys: false });
    if (document.errors.length > 0) {
      const first = document.errors[0]!;
      const line = lineOf(content, first.pos[0]);
      return {
        holders: [],
        file,
        problem: `not valid YAML at line ${line}: ${first.message.split('\n')[0]}`,
      };
    }
    const value = document.toJS({ maxAliasCount: 100 }) as unknown;
    return { holders: isObject(value) ? yamlHolders(kind, value) : [], file, problem: null };
  }
  return { holders: [], file, problem: null };
}

/** `KEY=value` lines of a .env file (quotes removed, `export ` allowed), for naming the variable a secret is in. */
export function parseDotenv(content: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const line of content.split(/\r?\n/)) {
    const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/.exec(line);
    if (!match) continue;
    let value = match[2]!.trim();
    if (/^(['"]).*\1$/.test(value)) value = value.slice(1, -1);
    values[match[1]!] = value;
  }
  return values;
}

/** The path of the field (`env.AWS_SECRET_ACCESS_KEY`, `args[3]`) whose string value contains `needle`, or null. */
export function fieldHolding(value: unknown, needle: string, prefix = ''): string | null {
  if (typeof value === 'string') return value.includes(needle) ? prefix || null : null;
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = fieldHolding(item, needle, `${prefix}[${index}]`);
      if (found) return found;
    }
    return null;
  }
  if (isObject(value)) {
    for (const [key, item] of Object.entries(value)) {
      const found = fieldHolding(item, needle, prefix ? `${prefix}.${key}` : key);
      if (found) return found;
    }
  }
  return null;
}
