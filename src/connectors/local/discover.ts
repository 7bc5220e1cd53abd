// Walks agent configuration on disk and records each secret found as a fingerprint, a hint and where it sits.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { InputError } from '../../model/types.js';
import {
  AGENT_CONFIG_KINDS,
  classifyConfigPath,
  defaultConfigPaths,
  projectConfigPaths,
  SKIPPED_DIRECTORIES,
  type ConfigKind,
} from './configFiles.js';
import { accessKeyIds, detectSecrets, digestSecret, type DetectedSecret } from './detect.js';
import { fieldHolding, lineOf, splitConfigFile, type Holder, type HolderType } from './holders.js';

/** A secret found on disk, as agentaudit keeps it: never the value. Serializable (snapshots hold these). */
export interface FoundSecret {
  /** `sha256:<hex>` of the secret. */
  fingerprint: string;
  /** Its last 4 characters. */
  hint: string;
  provider: string;
  secretType: string;
  /** The public prefix of its format (`sk-proj-`), when it has one. */
  keyPrefix: string | null;
  /** The AWS access key id found next to an AWS secret access key. */
  keyId: string | null;
  /** True for credentials that expire by design (AWS session credentials, `ASIA…`). */
  temporary: boolean;
  /** The file as shown to people (`~/.cursor/mcp.json`, `fixtures/agent-home/.env`). */
  file: string;
  configKind: ConfigKind;
  /** Who holds it in the file: an MCP server's name, a compose service, a CI job, or the file itself. */
  holder: string;
  holderType: HolderType;
  /** Line in the file, when it could be located. */
  line: number | null;
  /** The field it is the value of (`env.OPENAI_API_KEY`, `args[2]`), when known. */
  field: string | null;
}

/** A configuration file that was read. */
export interface ScannedFile {
  file: string;
  configKind: ConfigKind;
  holders: { name: string; type: HolderType }[];
}

/** What one discovery run found on one host. */
export interface Discovery {
  host: string;
  /** The roots as given (`~` for the default home scan). */
  roots: string[];
  scannedAt: string;
  files: ScannedFile[];
  secrets: FoundSecret[];
  errors: InputError[];
  /** Entries skipped (too large, unreadable as text) and whether a walk stopped at its limit. */
  skipped: number;
  truncated: boolean;
}

/** Where to look. */
export interface DiscoveryRequest {
  /** Folders or files to walk; empty means the usual places under `home`. */
  paths: string[];
  home?: string;
  host?: string;
  now?: () => Date;
  /** Limits for walking a folder. */
  maxEntries?: number;
  maxFileBytes?: number;
  maxDepth?: number;
}

const DEFAULT_MAX_ENTRIES = 200_000;
const DEFAULT_MAX_FILE_BYTES = 2 * 1024 * 1024;
const DEFAULT_MAX_DEPTH = 12;

interface Candidate {
  absolute: string;
  display: string;
  kind: ConfigKind;
}

/** Finds agent configuration files and the secrets in them. Never throws for unreadable files: they are errors. */
export async function discoverLocalSecrets(request: DiscoveryRequest): Promise<Discovery> {
  const home = request.home ?? os.homedir();
  const errors: InputError[] = [];
  const state = { entries: 0, truncated: false, skipped: 0 };
  const limits = {
    maxEntries: request.maxEntries ?? DEFAULT_MAX_ENTRIES,
    maxFileBytes: request.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES,
    maxDepth: request.maxDepth ?? DEFAULT_MAX_DEPTH,
  };
  const candidates = new Map<string, Candidate>();
  const add = (absolute: string, display: string, kind: ConfigKind): void => {
    const key = path.resolve(absolute);
    if (!candidates.has(key)) candidates.set(key, { absolute: key, display, kind });
  };
  const showHome = (absolute: string): string =>
    absolute.startsWith(home + path.sep) ? `~${path.sep}${path.relative(home, absolute)}` : absolute;

  if (request.paths.length === 0) {
    for (const file of defaultConfigPaths(home)) {
      const kind = classifyConfigPath(file);
      if (kind && isFile(file)) add(file, showHome(file), kind);
    }
    for (const project of claudeCodeProjects(path.join(home, '.claude.json'))) {
      for (const file of projectConfigPaths(project)) {
        const kind = classifyConfigPath(file);
        if (kind && isFile(file)) add(file, showHome(file), kind);
      }
    }
  }
  for (const given of request.paths) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(given);
    } catch (error) {
      errors.push({ file: given, message: `cannot read: ${(error as NodeJS.ErrnoException).code ?? error}` });
      continue;
    }
    if (stat.isFile()) {
      add(given, given, classifyConfigPath(given) ?? 'other');
      continue;
    }
    walk(given, given, 0, limits, state, errors, (absolute, display) => {
      const kind = classifyConfigPath(display);
      if (kind) add(absolute, display, kind);
    });
  }
  if (state.truncated) {
    errors.push({
      file: request.paths.join(', '),
      message: `stopped after ${limits.maxEntries} entries; point --local at narrower folders`,
    });
  }

  const files: ScannedFile[] = [];
  const secrets: FoundSecret[] = [];
  for (const candidate of [...candidates.values()].sort((a, b) => a.display.localeCompare(b.display))) {
    let content: string;
    try {
      const size = fs.statSync(candidate.absolute).size;
      if (size > limits.maxFileBytes) {
        state.skipped += 1;
        continue;
      }
      content = fs.readFileSync(candidate.absolute, 'utf8');
    } catch (error) {
      errors.push({
        file: candidate.display,
        message: `cannot read: ${(error as NodeJS.ErrnoException).code ?? error}`,
      });
      continue;
    }
    const scanned = await scanFile(candidate, content);
    if (scanned.problem) errors.push({ file: candidate.display, message: scanned.problem });
    files.push(scanned.file);
    secrets.push(...scanned.secrets);
  }
  return {
    host: request.host ?? os.hostname(),
    roots: request.paths.length === 0 ? ['~'] : request.paths,
    scannedAt: (request.now?.() ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    files,
    secrets,
    errors,
    skipped: state.skipped,
    truncated: state.truncated,
  };
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** Project folders Claude Code knows (the keys of `projects` in ~/.claude.json), at most 200. */
function claudeCodeProjects(file: string): string[] {
  try {
    const document = JSON.parse(fs.readFileSync(file, 'utf8')) as { projects?: Record<string, unknown> };
    return Object.keys(document.projects ?? {})
      .filter((project) => path.isAbsolute(project))
      .slice(0, 200);
  } catch {
    return [];
  }
}

function walk(
  dir: string,
  display: string,
  depth: number,
  limits: { maxEntries: number; maxDepth: number },
  state: { entries: number; truncated: boolean },
  errors: InputError[],
  visit: (absolute: string, display: string) => void,
): void {
  if (state.truncated) return;
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    errors.push({ file: display, message: `cannot list: ${(error as NodeJS.ErrnoException).code ?? error}` });
    return;
  }
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    state.entries += 1;
    if (state.entries > limits.maxEntries) {
      state.truncated = true;
      return;
    }
    const absolute = path.join(dir, entry.name);
    const shown = path.join(display, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRECTORIES.has(entry.name) && depth < limits.maxDepth)
        walk(absolute, shown, depth + 1, limits, state, errors, visit);
    } else if (entry.isFile()) {
      visit(absolute, shown);
    }
  }
}

interface FileScan {
  file: ScannedFile;
  secrets: FoundSecret[];
  problem: string | null;
}

/** Scans one file: each holder's part, then the whole file for secrets outside any holder. */
async function scanFile(candidate: Candidate, content: string): Promise<FileScan> {
  const split = splitConfigFile(candidate.kind, candidate.display, content);
  const secrets: FoundSecret[] = [];
  const inHolders = new Set<string>();
  for (const holder of split.holders) {
    for (const detected of await detectSecrets(holder.text, candidate.display)) {
      const digest = digestSecret(detected.value);
      inHolders.add(digest.fingerprint);
      secrets.push(describe(detected, digest, holder, candidate, content));
    }
  }
  // Secrets outside every holder (a top-level field, a .env line) belong to the file itself.
  for (const detected of await detectSecrets(split.file.text, candidate.display)) {
    const digest = digestSecret(detected.value);
    if (inHolders.has(digest.fingerprint)) continue;
    secrets.push(describe(detected, digest, split.file, candidate, content));
  }
  return {
    file: {
      file: candidate.display,
      configKind: candidate.kind,
      holders: split.holders.map((holder) => ({ name: holder.name, type: holder.type })),
    },
    secrets,
    problem: split.problem,
  };
}

function describe(
  detected: DetectedSecret,
  digest: { fingerprint: string; hint: string },
  holder: Holder,
  candidate: Candidate,
  content: string,
): FoundSecret {
  const keyId = detected.provider === 'aws' ? nearestAccessKeyId(holder.text, detected.index) : null;
  const offset = content.indexOf(detected.value);
  return {
    fingerprint: digest.fingerprint,
    hint: digest.hint,
    provider: detected.provider,
    secretType: detected.secretType,
    keyPrefix: detected.keyPrefix,
    keyId,
    temporary: keyId?.startsWith('ASIA') ?? false,
    file: candidate.display,
    configKind: candidate.kind,
    holder: holder.name,
    holderType: holder.type,
    line: offset >= 0 ? lineOf(content, offset) : null,
    field: holder.value === null ? null : fieldHolding(holder.value, detected.value),
  };
}

/** The access key id closest to a secret access key in the same holder (the pair is written side by side). */
function nearestAccessKeyId(text: string, index: number): string | null {
  const ids = accessKeyIds(text);
  if (ids.length === 0) return null;
  if (index < 0) return ids.length === 1 ? ids[0]!.id : null;
  return ids.reduce((best, id) => (Math.abs(id.index - index) < Math.abs(best.index - index) ? id : best)).id;
}

/** True when a config kind configures an AI agent or MCP client. */
export const isAgentConfig = (kind: ConfigKind): boolean => AGENT_CONFIG_KINDS.has(kind);
