// Expands the paths a user gave into the CloudTrail log files to read, walking folders such as the S3 delivery layout.
import { readdirSync, statSync, type Dirent, type Stats } from 'node:fs';
import { join, resolve } from 'node:path';
import type { InputError } from '../../model/types.js';

/** A file to read and its size (used to hand the largest files out first). */
export interface InputFile {
  path: string;
  bytes: number;
}

/** Names read inside folders; a file named explicitly is always read. `.cloudtrail` covers TrailDiscover's `.json.cloudtrail`. */
const LOG_FILE_NAME = /\.(?:json|jsonl|json\.gz|jsonl\.gz|cloudtrail)$/i;
/** Folders that hold no API activity: digest files (hash chains) and Insights events (about activity, not activity). */
const SKIPPED_FOLDERS = new Set(['cloudtrail-digest', 'cloudtrail-insight']);

/**
 * Lists the files to read under `paths`: files as given, folders walked recursively (symbolic links to files are
 * followed, to folders are not). Paths that do not exist or cannot be read, and folders without any log file
 * (most likely a wrong path), become errors naming them.
 * The result is sorted by path and free of repeats. The file system is asked synchronously: a delivery layout holds
 * tens of thousands of files, and one asynchronous round trip per file costs several times the call itself.
 */
export async function listCloudTrailFiles(
  paths: readonly string[],
): Promise<{ files: InputFile[]; errors: InputError[] }> {
  const files = new Map<string, InputFile>();
  const errors: InputError[] = [];
  const add = (path: string, bytes: number): void => {
    const key = resolve(path);
    if (!files.has(key)) files.set(key, { path, bytes });
  };

  /** Adds the log files under `folder`; returns how many it holds (errors included, so a bad file is not "none"). */
  const walk = (folder: string): number => {
    let entries: Dirent[];
    try {
      entries = readdirSync(folder, { withFileTypes: true });
    } catch (error) {
      errors.push({ file: folder, message: `cannot read folder: ${describe(error)}` });
      return 1;
    }
    let found = 0;
    for (const entry of entries) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_FOLDERS.has(entry.name.toLowerCase())) found += walk(path);
        continue;
      }
      if (!LOG_FILE_NAME.test(entry.name) || /CloudTrail-Digest/i.test(entry.name)) continue;
      if (entry.isFile() || entry.isSymbolicLink()) {
        found++;
        try {
          const info = statSync(path);
          if (info.isFile()) add(path, info.size);
        } catch (error) {
          errors.push({ file: path, message: `cannot read: ${describe(error)}` });
        }
      }
    }
    return found;
  };

  for (const path of paths) {
    let info: Stats;
    try {
      info = statSync(path);
    } catch (error) {
      errors.push({ file: path, message: describe(error) });
      continue;
    }
    if (info.isDirectory()) {
      const found = walk(path);
      if (found === 0) {
        errors.push({
          file: path,
          message: 'no CloudTrail log files (*.json, *.jsonl, their .gz, *.cloudtrail) in it',
        });
      }
    } else {
      add(path, info.size);
    }
  }
  const sorted = [...files.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files: sorted, errors };
}

function describe(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EACCES') return 'permission denied';
  return error instanceof Error ? error.message : String(error);
}
