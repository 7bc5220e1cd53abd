// The confused-deputy catalogue matched against grants, policies and usage: what each identity can read from outsiders and do with consequences.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { deriveCapabilities } from '../../src/analysis/capabilities.js';
import { expandGrants } from '../../src/analysis/grantedVsUsed.js';
import { expandPattern, loadIamCatalogue, type IamCatalogue } from '../../src/analysis/policy/expand.js';
import type { IdentityCapability, JsonObject } from '../../src/model/types.js';
import { loadCapabilities } from '../../src/rules/capabilities.js';
import type { LoadedCapability } from '../../src/rules/capabilityFormat.js';
import { BUILT_IN_RULES_DIR } from '../../src/rules/load.js';
import { inventoryFromCase } from '../../src/rules/selftest.js';

let iam: IamCatalogue;
let catalogue: LoadedCapability[];
beforeAll(async () => {
  iam = await loadIamCatalogue();
  const loaded = loadCapabilities([BUILT_IN_RULES_DIR]);
  expect(loaded.errors).toEqual([]);
  catalogue = loaded.capabilities;
});

const ids = (rows: IdentityCapability[], identityId: string) =>
  rows
    .filter((r) => r.identityId === identityId)
    .map((r) => r.capabilityId)
    .sort();
const repository = (name: string, attributes: JsonObject) => ({
  id: `github:repository:${name}`,
  name,
  account: name.split('/')[0]!,
  attributes,
});

describe('the built-in capability catalogue', () => {
  it('names only IAM actions that exist, and covers AWS, GitHub, Slack and Okta with both kinds', () => {
    // Given the catalogue shipped in rules/capabilities
    // Then every AWS permission it names is an action of the IAM catalogue (a typo would match nothing, silently)
    for (const capability of catalogue.filter((c) => c.provider === 'aws')) {
      for (const permission of capability.permissions) {
        expect(expandPattern(permission, iam), `${capability.id}: ${permission}`).not.toHaveLength(0);
      }
    }
    // And each provider has what it needs of both halves (Okta: writes only)
    const kinds = new Set(catalogue.map((c) => `${c.provider}:${c.kind}`));
    for (const provider of ['aws', 'github', 'slack']) {
      expect(kinds).toContain(`${provider}:untrusted-read`);
      expect(kinds).toContain(`${provider}:consequential-write`);
    }
    expect(kinds).toContain('okta:consequential-write');
  });
});

describe('deriveCapabilities', () => {
  it('reaches the public and outsider-written repositories an org-wide GitHub grant covers, and counts their use', () => {
    // Given an App on all repositories of acme with issues write and contents write, a public repository, a private
    // one with an outside collaborator, an archived public one and a private one; API Insights shows issue reads
    const app = 'github:github-app-installation:7';
    const inventory = inventoryFromCase({
      identities: [
        { id: app, provider: 'github', kind: 'github-app-installation', name: 'bot', account: 'acme' },
      ],
      grants: [
        { identityId: app, permission: 'issues:write', resource: 'acme/*' },
        { identityId: app, permission: 'contents:write', resource: 'acme/*' },
        { identityId: app, permission: 'metadata:read', resource: 'acme/*' },
      ],
      usage: [
        {
          identityId: app,
          permission: 'issues:read',
          eventName: 'GET /repos/:owner/:repo/issues',
          count: 40,
        },
      ],
      resources: [
        repository('acme/site', { public: true, outside_collaborators: [] }),
        repository('acme/fw', {
          public: false,
          outside_collaborators: [{ login: 'partner', role: 'write' }],
        }),
        repository('acme/old', { public: true, archived: true, outside_collaborators: [] }),
        repository('acme/core', { public: false, outside_collaborators: [] }),
      ],
    });
    // When the capabilities are derived
    const rows = deriveCapabilities(inventory, catalogue, expandGrants(inventory, iam));
    // Then it reads outsiders' issues on site and fw (not the archived or the private one), used 40 times
    const issues = rows.find((r) => r.capabilityId === 'github-reads-outsider-issues')!;
    expect(issues).toMatchObject({
      kind: 'untrusted-read',
      grantedBy: ['issues:write'],
      reach: ['acme/fw (outside collaborators partner)', 'acme/site (public)'],
      used: true,
      usedCount: 40,
      usedPermissions: ['issues:read'],
    });
    // And it can push code, not seen used
    expect(rows.find((r) => r.capabilityId === 'github-pushes-code')).toMatchObject({
      kind: 'consequential-write',
      used: false,
      usedCount: 0,
    });
    expect(ids(rows, app)).toEqual(['github-pushes-code', 'github-reads-outsider-issues']);
  });

  it('gives no untrusted read to a grant on selected or private repositories only', () => {
    // Given a PAT on selected repositories (GitHub does not list them to the org) and one on a private repository
    const selected = 'github:fine-grained-pat:acme/1';
    const single = 'github:fine-grained-pat:acme/2';
    const inventory = inventoryFromCase({
      identities: [
        { id: selected, provider: 'github', kind: 'fine-grained-pat', account: 'acme' },
        { id: single, provider: 'github', kind: 'fine-grained-pat', account: 'acme' },
      ],
      grants: [
        { identityId: selected, permission: 'pull_requests:read', resource: 'acme/(selected)' },
        { identityId: single, permission: 'issues:read', resource: 'acme/core' },
      ],
      resources: [
        repository('acme/site', { public: true }),
        repository('acme/core', { public: false, outside_collaborators: [] }),
      ],
    });
    // When the capabilities are derived, then neither reads what outsiders write
    expect(deriveCapabilities(inventory, catalogue, expandGrants(inventory, iam))).toEqual([]);
  });

  it('judges AWS on the expanded policies: resource patterns, the permission boundary and the calls made', () => {
    // Given a role that reads a support-tickets bucket and another bucket, may send email and pass roles, capped by a
    // boundary that allows S3 and SES only; CloudTrail shows it reading tickets and sending mail
    const role = 'aws:iam-role:arn:aws:iam::111122223333:role/agent';
    const statements = [
      { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::acme-support-tickets/*' },
      { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::acme-reports/*' },
      { Effect: 'Allow', Action: ['ses:SendEmail', 'iam:PassRole'], Resource: '*' },
    ];
    const inventory = inventoryFromCase({
      identities: [{ id: role, provider: 'aws', kind: 'iam-role', name: 'agent', account: '111122223333' }],
      policies: [
        {
          identityId: role,
          sourcePolicy: 'inline:agent',
          document: { Version: '2012-10-17', Statement: statements },
        },
        {
          identityId: role,
          kind: 'boundary',
          sourcePolicy: 'arn:aws:iam::111122223333:policy/cap',
          document: {
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Action: ['s3:*', 'ses:*'], Resource: '*' }],
          },
        },
      ],
      grants: [
        { identityId: role, permission: 's3:GetObject', resource: 'arn:aws:s3:::acme-support-tickets/*' },
        { identityId: role, permission: 's3:GetObject', resource: 'arn:aws:s3:::acme-reports/*' },
        { identityId: role, permission: 'ses:SendEmail', resource: '*' },
        { identityId: role, permission: 'iam:PassRole', resource: '*' },
      ],
      usage: [
        {
          identityId: role,
          permission: 's3:GetObject',
          eventName: 'GetObject',
          resource: 'arn:aws:s3:::acme-support-tickets/T-1/thread.json',
          count: 3,
        },
        {
          identityId: role,
          permission: 's3:GetObject',
          eventName: 'GetObject',
          resource: 'arn:aws:s3:::acme-reports/2026.csv',
          count: 9,
        },
        { identityId: role, permission: 'ses:SendEmail', eventName: 'SendEmail', count: 2 },
      ],
    });
    // When the capabilities are derived
    const rows = deriveCapabilities(inventory, catalogue, expandGrants(inventory, iam));
    // Then it reads the tickets bucket (only its calls there count) and sends email; PassRole is cut by the boundary
    expect(ids(rows, role)).toEqual(['aws-reads-externally-fed-objects', 'aws-sends-email']);
    expect(rows.find((r) => r.capabilityId === 'aws-reads-externally-fed-objects')).toMatchObject({
      reach: ['arn:aws:s3:::acme-support-tickets/*'],
      used: true,
      usedCount: 3,
    });
    expect(rows.find((r) => r.capabilityId === 'aws-sends-email')).toMatchObject({
      grantedBy: ['ses:SendEmail'],
      used: true,
      usedCount: 2,
    });
  });
});

describe('loadCapabilities', () => {
  it('adds a user folder’s capabilities and names the file of a duplicate id or a bad field', () => {
    // Given a user rules folder whose capabilities/ holds one good file, one redefining a built-in id, one invalid
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agentaudit-capabilities-'));
    fs.mkdirSync(path.join(dir, 'capabilities'));
    const write = (name: string, text: string) =>
      fs.writeFileSync(path.join(dir, 'capabilities', name), text);
    write(
      'a-ours.yaml',
      `provider: aws\ncapabilities:\n  - id: acme-reads-crm-exports\n    kind: untrusted-read\n    title: reads CRM exports\n    description: partners drop CRM exports here\n    permissions: [s3:GetObject]\n    resources: ['arn:aws:s3:::acme-crm-drop/*']\n`,
    );
    write(
      'b-dup.yaml',
      `provider: aws\ncapabilities:\n  - id: aws-sends-email\n    kind: consequential-write\n    title: sends email again\n    description: a second definition\n    permissions: [ses:SendEmail]\n`,
    );
    write('c-bad.yaml', `provider: aws\ncapabilities:\n  - id: x\n    kind: maybe\n`);
    try {
      // When the catalogue is loaded from the built-in folder and the user's
      const loaded = loadCapabilities([BUILT_IN_RULES_DIR, dir]);
      // Then the user's capability is in it, and each bad file is an error naming it
      expect(loaded.capabilities.map((c) => c.id)).toContain('acme-reads-crm-exports');
      expect(loaded.errors).toEqual([
        {
          file: path.join(dir, 'capabilities', 'b-dup.yaml'),
          message: expect.stringContaining('capability id "aws-sends-email" is already defined in'),
        },
        {
          file: path.join(dir, 'capabilities', 'c-bad.yaml'),
          message: expect.stringContaining('capabilities.0'),
        },
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
