// Which files hold agents' keys: the config files of AI agents and MCP clients, .env, docker-compose and CI files.
import path from 'node:path';

/** The kinds of configuration file local discovery reads. */
export const CONFIG_KINDS = [
  'claude-desktop',
  'claude-code',
  'cursor',
  'vscode',
  'windsurf',
  'dotenv',
  'compose',
  'ci',
  'other',
] as const;
/** A kind of configuration file. */
export type ConfigKind = (typeof CONFIG_KINDS)[number];

/** Kinds that configure an AI agent or MCP client: whatever they hold, an agent holds. */
export const AGENT_CONFIG_KINDS: ReadonlySet<ConfigKind> = new Set([
  'claude-desktop',
  'claude-code',
  'cursor',
  'vscode',
  'windsurf',
]);

/** How each kind is named for people. */
export const CONFIG_LABELS: Readonly<Record<ConfigKind, string>> = {
  'claude-desktop': 'Claude Desktop',
  'claude-code': 'Claude Code',
  cursor: 'Cursor',
  vscode: 'VS Code',
  windsurf: 'Windsurf',
  dotenv: '.env file',
  compose: 'docker-compose file',
  ci: 'CI pipeline',
  other: 'configuration file',
};

/**
 * The kind of a file from its path (any separator), or null when it is none of the files local discovery reads.
 * Matching is on the path's tail, so it works under any home folder or project root.
 */
export function classifyConfigPath(filePath: string): ConfigKind | null {
  const p = filePath.split(path.sep).join('/');
  const base = p.slice(p.lastIndexOf('/') + 1);
  if (/(^|\/)Claude\/claude_desktop_config\.json$/i.test(p)) return 'claude-desktop';
  if (base === '.claude.json' || base === '.mcp.json') return 'claude-code';
  if (/(^|\/)\.claude\/settings(\.local)?\.json$/.test(p)) return 'claude-code';
  if (/(^|\/)\.cursor\/mcp\.json$/.test(p)) return 'cursor';
  if (/(^|\/)(Code|Code - Insiders|VSCodium)\/User\/(settings|mcp)\.json$/.test(p)) return 'vscode';
  if (/(^|\/)\.vscode\/mcp\.json$/.test(p)) return 'vscode';
  if (/(^|\/)\.codeium\/windsurf\/mcp_config\.json$/.test(p)) return 'windsurf';
  if (/^\.env(\.[\w.-]+)?$/.test(base)) return 'dotenv';
  if (/^(docker-)?compose(\.[\w-]+)?\.ya?ml$/.test(base)) return 'compose';
  if (/(^|\/)\.github\/workflows\/[^/]+\.ya?ml$/.test(p)) return 'ci';
  if (/(^|\/)\.circleci\/config\.ya?ml$/.test(p)) return 'ci';
  if (/^(\.gitlab-ci|bitbucket-pipelines|azure-pipelines|\.travis)\.ya?ml$/.test(base)) return 'ci';
  return null;
}

/**
 * The usual places of agent configuration under a home folder (macOS, Linux and Windows layouts), used when
 * `--local` is given without a path. Projects come from Claude Code's own list (see `claudeCodeProjects`).
 */
export function defaultConfigPaths(home: string): string[] {
  const under = (...parts: string[]): string => path.join(home, ...parts);
  const appData = [['Library', 'Application Support'], ['.config'], ['AppData', 'Roaming']];
  const paths: string[] = [];
  for (const base of appData) {
    paths.push(under(...base, 'Claude', 'claude_desktop_config.json'));
    for (const editor of ['Code', 'Code - Insiders']) {
      paths.push(under(...base, editor, 'User', 'settings.json'), under(...base, editor, 'User', 'mcp.json'));
    }
  }
  paths.push(
    under('.claude.json'),
    under('.claude', 'settings.json'),
    under('.claude', 'settings.local.json'),
    under('.cursor', 'mcp.json'),
    under('.codeium', 'windsurf', 'mcp_config.json'),
    under('.env'),
  );
  return paths;
}

/** Files of a project folder that hold agents' keys (Claude Code's `.mcp.json`, `.env`, compose and CI files). */
export function projectConfigPaths(project: string): string[] {
  return [
    '.mcp.json',
    '.cursor/mcp.json',
    '.vscode/mcp.json',
    '.claude/settings.json',
    '.claude/settings.local.json',
    '.env',
    '.env.local',
    'docker-compose.yml',
    'docker-compose.yaml',
    'compose.yml',
    'compose.yaml',
  ].map((relative) => path.join(project, ...relative.split('/')));
}

/** Folders never descended into when walking a `--local` folder: dependencies, VCS data, caches, build output. */
export const SKIPPED_DIRECTORIES: ReadonlySet<string> = new Set([
  'node_modules',
  '.git',
  '.hg',
  '.svn',
  'dist',
  'build',
  'target',
  'vendor',
  '.venv',
  'venv',
  '__pycache__',
  '.cache',
  'Caches',
  '.npm',
  '.cargo',
  '.rustup',
  '.gradle',
  '.m2',
  '.Trash',
  'Trash',
]);
