// Environment classification: names, tags and the config override say prod or non-prod; credentials are placed where they are seen.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  classifyName,
  compileEnvironmentRules,
  deriveEnvironments,
  type EnvironmentFacts,
} from '../../src/analysis/environments.js';
import { loadConfig } from '../../src/config/config.js';
import { UserError } from '../../src/errors/errors.js';
import { inventoryFromCase } from '../../src/rules/selftest.js';
import type { RuleTestCase } from '../../src/rules/schema.js';

const builtIn = compileEnvironmentRules();
const verdictOf = (name: string, rules = builtIn) => classifyName(name, rules)?.environment ?? null;
const derive = (tables: RuleTestCase['inventory'], rules = builtIn): EnvironmentFacts =>
  deriveEnvironments(inventoryFromCase(tables), rules);
const placeOf = (facts: EnvironmentFacts, place: string) => facts.places.find((p) => p.place === place);
const placesOf = (facts: EnvironmentFacts, credential: string) =>
  facts.placements.filter((p) => p.credential === credential).map((p) => p.place);

describe('classifyName', () => {
  it('reads the built-in words as whole words, across punctuation and camelCase', () => {
    // Given names of prod, non-prod and unknown places
    // When each is classified
    // Then whole words decide, and words inside other words do not
    expect(verdictOf('production')).toBe('prod');
    expect(verdictOf('app/.env.production')).toBe('prod');
    expect(verdictOf('acme-prd-eu')).toBe('prod');
    expect(verdictOf('myProdAccount')).toBe('prod');
    expect(verdictOf('staging')).toBe('nonprod');
    expect(verdictOf('config/staging/app.yaml')).toBe('nonprod');
    expect(verdictOf('dynamodb-dev')).toBe('nonprod');
    expect(verdictOf('Preview')).toBe('nonprod');
    expect(verdictOf('non-prod')).toBe('nonprod');
    expect(verdictOf('pre_production')).toBe('nonprod');
    expect(verdictOf('product-catalog')).toBeNull();
    expect(verdictOf('devices-api')).toBeNull();
    expect(verdictOf('Fleet API')).toBeNull();
  });

  it('calls a name that says both ambiguous, with the evidence', () => {
    // Given a sync job's name that names both environments
    // When classified
    const verdict = classifyName('prod-to-staging-sync', builtIn);
    // Then it is neither, and says why
    expect(verdict).toEqual({
      environment: null,
      evidence: '"prod-to-staging-sync" names both prod and staging',
    });
  });

  it('tries the config patterns before the built-in words', () => {
    // Given config patterns that call "blue" prod and "-qa2" non-prod, and make "live" prod
    const rules = compileEnvironmentRules({ prod: ['^blue', 'live'], nonprod: ['-qa2$'] });
    // When names are classified with them
    // Then the patterns decide and name themselves as evidence; other names fall back to the words
    expect(classifyName('blue-cluster', rules)).toEqual({
      environment: 'prod',
      evidence: '"blue-cluster" matches environments.prod /^blue/',
    });
    expect(verdictOf('LIVE', rules)).toBe('prod');
    expect(verdictOf('payments-qa2', rules)).toBe('nonprod');
    expect(verdictOf('blue-staging', rules)).toBe('prod');
    expect(verdictOf('staging', rules)).toBe('nonprod');
  });

  it('refuses a pattern that is not a regular expression, naming the field', () => {
    // Given a config pattern with an unclosed group
    // When compiled
    // Then the error names the field
    expect(() => compileEnvironmentRules({ nonprod: ['ok', '(unclosed'] })).toThrow(
      /field "environments.nonprod\[1\]" is not a valid regular expression/,
    );
  });
});

describe('deriveEnvironments', () => {
  it('classifies an AWS account by its identities’ environment tags when they agree, and by the config over them', () => {
    // Given one account whose tagged identities all say staging, one whose tags disagree, and one with a tag
    // the config overrides
    const tables: RuleTestCase['inventory'] = {
      identities: [
        { id: 'a1', account: '444455556666', tags: { environment: 'staging' } },
        { id: 'a2', account: '444455556666', tags: { Stage: 'STG' } },
        { id: 'a3', account: '444455556666' },
        { id: 'b1', account: '777788889999', tags: { env: 'prod' } },
        { id: 'b2', account: '777788889999', tags: { env: 'dev' } },
        { id: 'c1', account: '111122223333', tags: { env: 'dev' } },
      ],
    };
    // When derived with the config saying 111122223333 is prod, and that accounts starting 7777 are prod
    const facts = derive(
      tables,
      compileEnvironmentRules({ accounts: { '111122223333': 'prod' }, prod: ['^7777'] }),
    );
    // Then the agreeing account is non-prod with its tags as evidence, the disagreeing one unknown (unless a pattern
    // on its id decides), the override prod
    expect(placeOf(facts, 'aws-account:444455556666')).toMatchObject({
      environment: 'nonprod',
      evidence: 'tag environment=staging on a1, Stage=STG on a2',
    });
    expect(derive(tables).places.find((p) => p.place === 'aws-account:777788889999')).toMatchObject({
      environment: null,
      evidence: 'tags disagree: env=prod on b1 (prod); env=dev on b2 (non-prod)',
    });
    expect(placeOf(facts, 'aws-account:777788889999')).toMatchObject({
      environment: 'prod',
      evidence: '"777788889999" matches environments.prod /^7777/',
    });
    expect(placeOf(facts, 'aws-account:111122223333')).toMatchObject({
      environment: 'prod',
      evidence: 'config environments.accounts',
    });
  });

  it('reads an account alias the live connector found before its identities’ tags, and the config over both', () => {
    // Given an account aliased northwind-staging whose one tagged identity says prod, and one aliased acme-prod that
    // the config calls non-prod
    const tables: RuleTestCase['inventory'] = {
      identities: [
        { id: 'a1', account: '444455556666', tags: { env: 'prod' } },
        { id: 'b1', account: '111122223333' },
      ],
      resources: [
        {
          id: 'aws:account:444455556666',
          provider: 'aws',
          kind: 'account',
          name: 'northwind-staging',
          account: '444455556666',
        },
        {
          id: 'aws:account:111122223333',
          provider: 'aws',
          kind: 'account',
          name: 'acme-prod',
          account: '111122223333',
        },
      ],
    };
    // When derived with the config saying 111122223333 is non-prod
    const facts = derive(tables, compileEnvironmentRules({ accounts: { '111122223333': 'nonprod' } }));
    // Then the alias decides the first, named in its label and evidence, and the config the second
    expect(placeOf(facts, 'aws-account:444455556666')).toMatchObject({
      environment: 'nonprod',
      label: 'AWS account 444455556666 (northwind-staging)',
      evidence: 'account alias "northwind-staging" says staging',
    });
    expect(placeOf(facts, 'aws-account:111122223333')).toMatchObject({
      environment: 'nonprod',
      evidence: 'config environments.accounts',
    });
  });

  it('places an access key in its own account and in the accounts of the ARNs it touched', () => {
    // Given a staging user's key that assumed a role in another account, read an S3 object (no account in the
    // ARN) and got a parameter of a third account
    const facts = derive({
      identities: [
        { id: 'u', name: 'deploy', account: '444455556666', arn: 'arn:aws:iam::444455556666:user/deploy' },
      ],
      credentials: [{ id: 'aws:access-key:arn:aws:iam::444455556666:user/deploy#1', identityId: 'u' }],
      usage: [
        {
          identityId: 'u',
          credentialId: 'aws:access-key:arn:aws:iam::444455556666:user/deploy#1',
          eventName: 'AssumeRole',
          resource: 'arn:aws:iam::111122223333:role/deploy',
        },
        {
          identityId: 'u',
          credentialId: 'aws:access-key:arn:aws:iam::444455556666:user/deploy#1',
          eventName: 'GetObject',
          resource: 'arn:aws:s3:::artifacts/build.zip',
        },
        {
          identityId: 'u',
          credentialId: 'aws:access-key:arn:aws:iam::444455556666:user/deploy#1',
          eventName: 'GetParameter',
          resource: 'arn:aws:ssm:eu-west-1:999900001111:parameter/x',
        },
      ],
    });
    // When placed
    // Then the key is in its own account, the role's and the parameter's, and how is said
    const key = 'arn:aws:iam::444455556666:user/deploy#1';
    expect(placesOf(facts, key)).toEqual([
      'aws-account:111122223333',
      'aws-account:444455556666',
      'aws-account:999900001111',
    ]);
    expect(
      facts.placements.find((p) => p.credential === key && p.place === 'aws-account:111122223333')?.via,
    ).toBe('AssumeRole arn:aws:iam::111122223333:role/deploy');
  });

  it('joins copies on disk to the credential they are, by link, fingerprint or key id, and skips default session names', () => {
    // Given an OpenAI key with a copy linked to it, one that only shares its fingerprint, an AWS key with a copy
    // that only shares its key id, a secret that matches nothing, and role sessions with a tool's default name
    const facts = derive({
      identities: [
        { id: 'o', provider: 'openai', kind: 'api-key', account: 'Fleet API' },
        { id: 'u', account: '111122223333' },
        { id: 'r', kind: 'iam-role', account: '111122223333', arn: 'arn:aws:iam::111122223333:role/r' },
        {
          id: 'h1',
          provider: 'local',
          kind: 'mcp-server',
          attributes: { file: '/Users/dev/.cursor/mcp.json', holder: 'openai' },
        },
        {
          id: 'h2',
          provider: 'local',
          kind: 'env-file',
          attributes: { file: '/srv/app/.env.staging', holder: 'app/.env.staging' },
        },
        {
          id: 'h3',
          provider: 'local',
          kind: 'ci-job',
          attributes: { file: '/srv/ci.yml', holder: 'smoke-test', holder_type: 'job' },
        },
      ],
      credentials: [
        { id: 'openai:key', identityId: 'o', kind: 'api-key', fingerprint: 'sha256:aaaa' },
        {
          id: 'aws:access-key:arn:aws:iam::111122223333:user/u#1',
          identityId: 'u',
          keyId: 'AKIAEXAMPLE0000001',
        },
        {
          id: 's1',
          identityId: 'h1',
          kind: 'local-secret',
          fingerprint: 'sha256:zzzz',
          attributes: { linked_credential_id: 'openai:key' },
        },
        { id: 's2', identityId: 'h2', kind: 'local-secret', fingerprint: 'sha256:aaaa' },
        {
          id: 's3',
          identityId: 'h3',
          kind: 'local-secret',
          keyId: 'AKIAEXAMPLE0000001',
          fingerprint: 'sha256:bbbb',
        },
        {
          id: 's4',
          identityId: 'h2',
          kind: 'local-secret',
          fingerprint: 'sha256:cccc',
          attributes: { label: 'stripe …9Q2x' },
        },
      ],
      usage: [
        {
          identityId: 'r',
          eventName: 'GetObject',
          sessionNames: ['GitHubActions', 'botocore-session-1712', 'nightly'],
        },
      ],
    });
    // When placed
    // Then both copies join the OpenAI key, the CI job's copy joins the AWS key, the lone secret is its own
    expect(placesOf(facts, 'openai:key')).toEqual(['h1', 'h2', 'saas-tenant:openai:Fleet API']);
    expect(placesOf(facts, 'arn:aws:iam::111122223333:user/u#1')).toEqual(['aws-account:111122223333', 'h3']);
    expect(placesOf(facts, 'stripe …9Q2x')).toEqual(['h2']);
    // And only the session name a person chose is kept
    expect(
      facts.placements.filter((p) => p.credentialKind === 'role-session-name').map((p) => p.credential),
    ).toEqual(['role session name "nightly"']);
    // And the home folder (/Users/dev) and a CI job's name ("smoke-test") do not make a place non-prod
    expect(placeOf(facts, 'h1')).toMatchObject({ environment: null, name: 'openai in ~/.cursor/mcp.json' });
    expect(placeOf(facts, 'h3')?.environment).toBeNull();
    expect(placeOf(facts, 'h2')).toMatchObject({
      environment: 'nonprod',
      evidence: '"app/.env.staging" says staging',
    });
  });

  it('follows no person across accounts: a console user and an Identity Center role named after one are not placed', () => {
    // Given a console user of a staging account who assumed a prod role without an access key, and Identity
    // Center roles in a prod and a staging account with the same person's session name
    const facts = derive({
      identities: [
        { id: 'p', name: 'ana', account: '444455556666', isHuman: true, tags: { env: 'staging' } },
        {
          id: 'sso1',
          kind: 'iam-role',
          name: 'AWSReservedSSO_Admin_1a2b',
          account: '111122223333',
          tags: { env: 'prod' },
        },
        { id: 'sso2', kind: 'iam-role', name: 'AWSReservedSSO_Admin_3c4d', account: '444455556666' },
      ],
      usage: [
        { identityId: 'p', eventName: 'AssumeRole', resource: 'arn:aws:iam::111122223333:role/admin' },
        { identityId: 'sso1', eventName: 'ListBuckets', sessionNames: ['ana@example.com'] },
        { identityId: 'sso2', eventName: 'ListBuckets', sessionNames: ['ana@example.com'] },
      ],
    });
    // When placed
    // Then nothing is: the accounts are classified, but no person is followed between them
    expect(placeOf(facts, 'aws-account:111122223333')?.environment).toBe('prod');
    expect(placeOf(facts, 'aws-account:444455556666')?.environment).toBe('nonprod');
    expect(facts.placements).toEqual([]);
  });

  it('classifies GitHub environments by name; a secret is in its own environment only: GitHub returns no digests', () => {
    // Given an environment secret of production (with its value as a credential) and one of preview
    const facts = derive({
      identities: [
        {
          id: 'g1',
          provider: 'github',
          kind: 'actions-secret',
          account: 'acme',
          attributes: { repository: 'acme/api', environment: 'production' },
        },
        {
          id: 'g2',
          provider: 'github',
          kind: 'actions-secret',
          account: 'acme',
          attributes: { repository: 'acme/api', environment: 'pr-preview' },
        },
      ],
      credentials: [{ id: 'g1#value', identityId: 'g1', kind: 'actions-secret' }],
    });
    // When derived
    // Then both environments are places with their verdicts
    expect(placeOf(facts, 'github-environment:acme/api/production')).toMatchObject({
      kind: 'github-environment',
      environment: 'prod',
    });
    expect(placeOf(facts, 'github-environment:acme/api/pr-preview')?.environment).toBe('nonprod');
    // And the production secret is placed there and nowhere else: no value or digest joins it to another secret
    expect(facts.placements.map((p) => [p.credential, p.place, p.via])).toEqual([
      ['g1#value', 'github-environment:acme/api/production', 'an environment secret'],
    ]);
  });
});

describe('config environments', () => {
  const write = (text: string): string => {
    const file = path.join(
      fs.mkdtempSync(path.join(os.tmpdir(), 'agentaudit-envconfig-')),
      'agentaudit.config.yaml',
    );
    fs.writeFileSync(file, text);
    return file;
  };

  it('loads accounts and patterns', () => {
    // Given a config with an account verdict and patterns
    const file = write("environments:\n  accounts:\n    '111122223333': prod\n  nonprod: ['^sbx-']\n");
    // When loaded
    // Then they are kept as written
    expect(loadConfig(file).config.environments).toEqual({
      accounts: { '111122223333': 'prod' },
      nonprod: ['^sbx-'],
    });
  });

  it('names the file and the field of a bad account id, a bad verdict and a bad pattern', () => {
    // Given three broken configs
    const badAccount = write("environments:\n  accounts:\n    'acme-prod': prod\n");
    const badVerdict = write("environments:\n  accounts:\n    '111122223333': production\n");
    const badPattern = write("environments:\n  prod: ['[a-']\n");
    // When each is loaded
    // Then the error names the file, the field and what is wrong
    expect(() => loadConfig(badAccount)).toThrow(UserError);
    expect(() => loadConfig(badAccount)).toThrow(
      `${badAccount}: field "environments.accounts" has key "acme-prod", which must match pattern "^\\d{12}$"`,
    );
    expect(() => loadConfig(badVerdict)).toThrow(
      `${badVerdict}: field "environments.accounts.111122223333" must be one of prod, nonprod`,
    );
    expect(() => loadConfig(badPattern)).toThrow(
      new RegExp(
        `^${badPattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: field "environments.prod\\[0\\]" is not a valid regular expression`,
      ),
    );
  });
});
