// Imports as a scan source: `--import FILE` audits identities and credentials exported from any other system.
import path from 'node:path';
import { defineSource, optionList } from '../contract.js';
import { readImportFile } from './read.js';

/** Identities and credentials from export files of systems agentaudit has no connector for. */
export const importSource = defineSource<string[]>({
  id: 'import',
  summary: 'identities and credentials from any other system, as JSON or CSV in the import schema',
  options: [
    {
      flags: '--import <file>',
      description:
        'identities and credentials from another system, JSON or CSV in the schema of docs/import.md (repeatable)',
      repeatable: true,
    },
  ],
  plan(values) {
    const files = optionList(values, 'import');
    return files.length > 0 ? files : null;
  },
  async collect(files, context) {
    const results = [];
    for (const file of files) {
      context.progress({ phase: 'update', message: `reading ${file}` });
      const read = await readImportFile(file);
      const { identities, credentials } = read.inventory;
      results.push({
        name: `import:${path.basename(file)}`,
        inventory: read.inventory,
        coverage: {
          [`import:${path.basename(file)}`]: {
            file,
            rows: read.rows,
            identities: identities.length,
            credentials: credentials.length,
            errors: read.errors,
          },
        },
        errors: read.errors,
        detail: `${identities.length} identities and ${credentials.length} credentials from ${read.rows} rows`,
        failed: read.rows === 0 && read.errors.length > 0,
      });
    }
    return results;
  },
});
