// Entry point of the people connector: reads a directory export (CSV or JSON) so ownership can be checked against real people.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { errorMessage } from '../../errors/errors.js';
import type { InputError, Person } from '../../model/types.js';
import { parseDirectoryCsv, parseDirectoryJson } from './directoryRecords.js';

export { personStatus } from './directoryRecords.js';

/** The people of one directory file and what could not be read. */
export interface PeopleFileResult {
  people: Person[];
  errors: InputError[];
}

/**
 * Reads a directory export: CSV with a header (`email` or `login`/`username`, `name`, `status`) or JSON
 * (an array of such objects, or Okta's `/api/v1/users` output). Person ids are `personId(email or login)`,
 * source `directory:<file name>`; statuses map to active/departed (see personStatus). JSON is recognized
 * by its first character, so the file name does not matter. Never throws for bad input: a row without
 * email or login is an error naming the file and line, and the other rows still load.
 */
export async function readPeopleFile(file: string): Promise<PeopleFileResult> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    return { people: [], errors: [{ file, message: `cannot read the file: ${errorMessage(error)}` }] };
  }
  const source = `directory:${basename(file)}`;
  const body = text.replace(/^\uFEFF/, '').trim();
  if (body === '') return { people: [], errors: [{ file, message: 'the file is empty' }] };
  let parsed;
  if (body.startsWith('[') || body.startsWith('{')) {
    let value: unknown;
    try {
      value = JSON.parse(body);
    } catch (error) {
      return { people: [], errors: [{ file, message: `invalid JSON: ${errorMessage(error)}` }] };
    }
    parsed = parseDirectoryJson(value, source);
  } else {
    parsed = parseDirectoryCsv(body, source);
  }
  return { people: parsed.people, errors: parsed.problems.map((message) => ({ file, message })) };
}
