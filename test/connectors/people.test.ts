// The people directory connector, through readPeopleFile: CSV and JSON exports, Okta's users API, statuses, bad rows.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPeopleFile } from '../../src/connectors/people/index.js';

let workDir: string;
beforeAll(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), 'agentaudit-people-'));
});
afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
});

async function scratch(name: string, content: string): Promise<string> {
  const file = path.join(workDir, name);
  await writeFile(file, content);
  return file;
}

describe('readPeopleFile', () => {
  it('reads a CSV directory with case-insensitive columns and maps statuses to active/departed', async () => {
    // Given a CSV export whose statuses use several directories' words
    const file = await scratch(
      'hr.csv',
      [
        'Email,Name,Status',
        'Alice@Example.com,Alice Liddell,active',
        'bob@example.com,Bob Builder,terminated',
        'carol@example.com,Carol,',
        'dan@example.com,Dan,Suspended',
        'erin@example.com,Erin,deprovisioned',
        'frank@example.com,Frank,left',
        'grace@example.com,Grace,inactive',
        'heidi@example.com,Heidi,on-sabbatical',
      ].join('\n'),
    );
    // When it is read
    const { people, errors } = await readPeopleFile(file);
    // Then ids are lower-cased emails, the source names the file, and statuses are normalized
    expect(errors).toEqual([]);
    expect(people[0]).toEqual({
      id: 'person:alice@example.com',
      name: 'Alice Liddell',
      email: 'Alice@Example.com',
      status: 'active',
      source: 'directory:hr.csv',
    });
    expect(people.map((person) => [person.email, person.status])).toEqual([
      ['Alice@Example.com', 'active'],
      ['bob@example.com', 'departed'],
      ['carol@example.com', 'active'],
      ['dan@example.com', 'departed'],
      ['erin@example.com', 'departed'],
      ['frank@example.com', 'departed'],
      ['grace@example.com', 'departed'],
      ['heidi@example.com', 'unknown'],
    ]);
  });

  it('accepts login or username when there is no email column', async () => {
    // Given a CSV keyed by username
    const file = await scratch(
      'logins.csv',
      'username,name,status\nalice,Alice,active\nbob@corp.example,Bob,left\n',
    );
    // When it is read
    const { people, errors } = await readPeopleFile(file);
    // Then the login is the id, and a login that is an email is also the email
    expect(errors).toEqual([]);
    expect(people.map((p) => [p.id, p.email, p.status])).toEqual([
      ['person:alice', null, 'active'],
      ['person:bob@corp.example', 'bob@corp.example', 'departed'],
    ]);
  });

  it('reads a JSON array of people', async () => {
    // Given a JSON export
    const file = await scratch(
      'people.json',
      JSON.stringify([
        { email: 'alice@example.com', name: 'Alice', status: 'active' },
        { login: 'bob', name: 'Bob', status: 'departed' },
      ]),
    );
    // When it is read
    const { people, errors } = await readPeopleFile(file);
    // Then both people are there with their statuses
    expect(errors).toEqual([]);
    expect(people.map((p) => [p.id, p.name, p.status, p.source])).toEqual([
      ['person:alice@example.com', 'Alice', 'active', 'directory:people.json'],
      ['person:bob', 'Bob', 'departed', 'directory:people.json'],
    ]);
  });

  it("reads Okta's /api/v1/users output", async () => {
    // Given users as Okta's API returns them, identity fields under profile
    const okta = [
      {
        id: '00u1',
        status: 'ACTIVE',
        profile: {
          firstName: 'Alice',
          lastName: 'Liddell',
          email: 'alice@example.com',
          login: 'alice@example.com',
        },
      },
      {
        id: '00u2',
        status: 'DEPROVISIONED',
        profile: { email: 'bob@example.com', login: 'bob@example.com' },
      },
      {
        id: '00u3',
        status: 'SUSPENDED',
        profile: { login: 'carol@example.com', email: 'carol@example.com' },
      },
      {
        id: '00u4',
        status: 'PASSWORD_EXPIRED',
        profile: { login: 'dan@example.com', email: 'dan@example.com' },
      },
    ];
    const file = await scratch('okta-users.json', JSON.stringify(okta));
    // When it is read
    const { people, errors } = await readPeopleFile(file);
    // Then ACTIVE and other non-leaving states are active, DEPROVISIONED and SUSPENDED are departed
    expect(errors).toEqual([]);
    expect(people.map((p) => [p.id, p.name, p.status])).toEqual([
      ['person:alice@example.com', 'Alice Liddell', 'active'],
      ['person:bob@example.com', null, 'departed'],
      ['person:carol@example.com', null, 'departed'],
      ['person:dan@example.com', null, 'active'],
    ]);
  });

  it('names bad rows and bad files, and keeps the good rows', async () => {
    // Given a CSV with a row lacking email, a CSV without an email column, invalid JSON and a missing file
    const partial = await scratch('partial.csv', 'email,name\nalice@example.com,Alice\n,Nobody\n');
    const noEmail = await scratch('no-email.csv', 'name,status\nAlice,active\n');
    const badJson = await scratch('bad.json', '[{"email": "a@example.com",]');
    const missing = path.join(workDir, 'missing.csv');
    // When each is read
    const [partialResult, noEmailResult, badJsonResult, missingResult] = await Promise.all(
      [partial, noEmail, badJson, missing].map((file) => readPeopleFile(file)),
    );
    // Then the good row loads and each problem names the file and where
    expect(partialResult?.people.map((p) => p.id)).toEqual(['person:alice@example.com']);
    expect(partialResult?.errors).toEqual([
      { file: partial, message: 'line 3: no email, login or username' },
    ]);
    expect(noEmailResult?.errors).toEqual([
      { file: noEmail, message: expect.stringContaining('missing required column email') },
    ]);
    expect(badJsonResult?.errors).toEqual([
      { file: badJson, message: expect.stringMatching(/^invalid JSON.*position/) },
    ]);
    expect(missingResult?.errors).toEqual([
      { file: missing, message: expect.stringContaining('cannot read the file') },
    ]);
  });
});
