// Directory exports of people as a scan source: `--people FILE`, so owners can be checked against real people.
import type { InputError, Person } from '../../model/types.js';
import { defineSource, optionList } from '../contract.js';
import { readPeopleFile } from './index.js';

/** People from directory export files. */
export const peopleSource = defineSource<string[]>({
  id: 'people',
  summary: 'people from a directory export (CSV or JSON), for ownership',
  options: [
    {
      flags: '--people <file>',
      description: 'directory export of people (CSV or JSON) to check owners against (repeatable)',
      repeatable: true,
    },
  ],
  plan(values) {
    const files = optionList(values, 'people');
    return files.length > 0 ? files : null;
  },
  async collect(files, context) {
    const people: Person[] = [];
    const errors: InputError[] = [];
    for (const file of files) {
      context.progress({ phase: 'update', message: `reading ${file}` });
      const result = await readPeopleFile(file);
      people.push(...result.people);
      errors.push(...result.errors);
    }
    return [
      {
        name: 'people',
        inventory: { people },
        coverage: { people: { count: people.length, errors } },
        errors,
        detail: `${people.length} people from the directory`,
      },
    ];
  },
});
