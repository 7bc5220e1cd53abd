// Loads the capability catalogue from the `capabilities/` folder of each rules folder; errors name the file and field.
import fs from 'node:fs';
import path from 'node:path';
import type { InputError } from '../model/types.js';
import { ajv } from './ajv.js';
import {
  CAPABILITIES_DIR,
  CAPABILITY_FILE_SCHEMA,
  type CapabilityFile,
  type LoadedCapability,
} from './capabilityFormat.js';
import { describeSchemaErrors, readYamlFile } from './load.js';

const validateFile = ajv.compile<CapabilityFile>(CAPABILITY_FILE_SCHEMA);

/** The capabilities that loaded and the files that did not. */
export interface CapabilityLoadResult {
  capabilities: LoadedCapability[];
  errors: InputError[];
}

/**
 * Loads every `*.yaml` under `<dir>/capabilities/` of each rules folder, in order. A folder without one adds
 * nothing; a later file may not redefine an id (a user extends the catalogue, it does not silently replace it).
 */
export function loadCapabilities(ruleDirs: readonly string[]): CapabilityLoadResult {
  const capabilities: LoadedCapability[] = [];
  const errors: InputError[] = [];
  const seen = new Map<string, string>();
  for (const dir of ruleDirs) {
    const folder = path.join(dir, CAPABILITIES_DIR);
    let names: string[];
    try {
      names = fs.readdirSync(folder).filter((name) => /\.ya?ml$/.test(name));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') {
        errors.push({ file: folder, message: `cannot read the capabilities folder: ${code ?? error}` });
      }
      continue;
    }
    for (const name of names.sort()) {
      const file = path.join(folder, name);
      const read = readYamlFile(file);
      if ('error' in read) {
        errors.push({ file, message: read.error });
        continue;
      }
      if (!validateFile(read.data)) {
        errors.push({ file, message: describeSchemaErrors(validateFile.errors ?? []) });
        continue;
      }
      for (const capability of read.data.capabilities) {
        const earlier = seen.get(capability.id);
        if (earlier) {
          errors.push({ file, message: `capability id "${capability.id}" is already defined in ${earlier}` });
          continue;
        }
        seen.set(capability.id, file);
        capabilities.push({ ...capability, provider: read.data.provider, file });
      }
    }
  }
  return { capabilities, errors };
}
