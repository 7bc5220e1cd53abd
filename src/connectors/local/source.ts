// Local discovery as a scan source: `--local [PATH]` finds the keys agents hold on disk and links them to the estate.
import fs from 'node:fs';
import path from 'node:path';
import type { InputError } from '../../model/types.js';
import { defineSource, optionList, type SourceResult } from '../contract.js';
import { discoverLocalSecrets, type Discovery } from './discover.js';
import { discoveryInventory } from './inventory.js';
import { linkFoundSecrets } from './link.js';

/** What to scan: folders or files, and whether to look in the usual places under the home folder. */
export interface LocalDiscoveryOptions {
  paths: string[];
  defaultPlaces: boolean;
}

/** `--local` without a path: the usual places under the home folder (a literal `~`; a shell expands an unquoted one). */
const HOME_PLACES = '~';

/** Where a discovery is kept in a snapshot folder: fingerprints and hints only, never a file's content. */
const snapshotFile = (dir: string, host: string): string =>
  path.join(dir, 'local', `${host.replace(/[^A-Za-z0-9.-]/g, '_')}.json`);

function describe(discovery: Discovery): string {
  const holders = new Set(discovery.secrets.map((secret) => `${secret.file}#${secret.holder}`)).size;
  return `${discovery.secrets.length} secrets held by ${holders} configs in ${discovery.files.length} files on ${discovery.host}`;
}

function result(discovery: Discovery): SourceResult {
  return {
    name: `local:${discovery.host}`,
    inventory: discoveryInventory(discovery),
    coverage: {
      [`local:${discovery.host}`]: {
        roots: discovery.roots,
        scannedAt: discovery.scannedAt,
        files: discovery.files.length,
        secrets: discovery.secrets.length,
        skipped: discovery.skipped,
        truncated: discovery.truncated,
        errors: discovery.errors,
      },
    },
    errors: discovery.errors,
    detail: describe(discovery),
    link: linkFoundSecrets,
  };
}

function readRecorded(dir: string): { discoveries: Discovery[]; errors: InputError[] } {
  const folder = path.join(dir, 'local');
  const errors: InputError[] = [];
  const discoveries: Discovery[] = [];
  const files = fs.existsSync(folder) ? fs.readdirSync(folder).filter((f) => f.endsWith('.json')) : [];
  for (const file of files.sort()) {
    const full = path.join(folder, file);
    try {
      discoveries.push(JSON.parse(fs.readFileSync(full, 'utf8')) as Discovery);
    } catch (error) {
      errors.push({ file: full, message: `not a local discovery record: ${(error as Error).message}` });
    }
  }
  if (discoveries.length === 0 && errors.length === 0)
    errors.push({ file: folder, message: 'the snapshot holds no local discovery' });
  return { discoveries, errors };
}

/** Keys agents hold in configuration files on this machine (or replayed from a snapshot of other machines). */
export const localSource = defineSource<LocalDiscoveryOptions>({
  id: 'local',
  summary: "keys in AI agents' config files, .env, docker-compose and CI files on disk",
  replayable: true,
  options: [
    {
      flags: '--local [path]',
      description:
        'find keys in agent configs (Claude, Cursor, VS Code, Windsurf MCP configs, .env, compose, CI) under a folder; without a path (~), the usual places under your home (repeatable)',
      repeatable: true,
      preset: HOME_PLACES,
    },
  ],
  plan(values) {
    const given = optionList(values, 'local');
    if (given.length === 0 && values.local !== true) return null;
    const paths = given.filter((value) => value !== HOME_PLACES);
    return { paths, defaultPlaces: values.local === true || given.some((value) => value === HOME_PLACES) };
  },
  async collect(options, context) {
    if (context.snapshot?.replayDir) {
      const recorded = readRecorded(context.snapshot.replayDir);
      if (recorded.discoveries.length === 0) {
        return [
          {
            name: 'local',
            inventory: {},
            coverage: {},
            errors: recorded.errors,
            detail: 'nothing recorded',
            failed: true,
          },
        ];
      }
      const results = recorded.discoveries.map(result);
      results[0]!.errors.push(...recorded.errors);
      return results;
    }
    context.progress({ phase: 'start', message: 'looking for keys in agent configuration files' });
    const runs: Discovery[] = [];
    if (options.defaultPlaces) runs.push(await discoverLocalSecrets({ paths: [] }));
    if (options.paths.length > 0) runs.push(await discoverLocalSecrets({ paths: options.paths }));
    const discovery: Discovery = {
      ...runs[0]!,
      roots: runs.flatMap((run) => run.roots),
      files: runs.flatMap((run) => run.files),
      secrets: runs.flatMap((run) => run.secrets),
      errors: runs.flatMap((run) => run.errors),
      skipped: runs.reduce((sum, run) => sum + run.skipped, 0),
      truncated: runs.some((run) => run.truncated),
    };
    if (context.snapshot?.recordDir) {
      const file = snapshotFile(context.snapshot.recordDir, discovery.host);
      fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
      fs.writeFileSync(file, `${JSON.stringify(discovery, null, 2)}\n`, { mode: 0o600 });
    }
    context.progress({
      phase: 'update',
      message: describe(discovery),
      counts: { files: discovery.files.length, secrets: discovery.secrets.length },
    });
    return [result(discovery)];
  },
});
