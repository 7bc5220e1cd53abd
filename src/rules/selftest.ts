// Runs every rule's own test cases: each alarm inventory must alarm, each pass inventory must be checked and pass.
import Database from 'better-sqlite3';
import {
  compileEnvironmentRules,
  deriveEnvironments,
  type EnvironmentConfig,
} from '../analysis/environments.js';
import { migrate } from '../store/database.js';
import { installRuleViews } from '../store/ruleViews.js';
import { beginScan, writeDerivedFacts, writeInventory, type DerivedFacts } from '../store/writes.js';
import type { Inventory, JsonObject, JsonValue } from '../model/types.js';
import { ruleParameters, runRuleQuery } from './evaluate.js';
import type { LoadedRule } from './load.js';
import type { RuleTestCase } from './schema.js';

/** "Now" for rule test cases that do not set `as_of`, so cases read the same in any year. */
export const RULE_TEST_EPOCH = '2026-06-01T00:00:00Z';

/** The outcome of one test case. */
export interface RuleCaseResult {
  ruleId: string;
  file: string;
  kind: 'alarm' | 'pass';
  description: string;
  passed: boolean;
  /** Why it failed, for people. */
  problem: string | null;
}

/** Runs every case of every rule. */
export function runRuleTests(rules: readonly LoadedRule[]): RuleCaseResult[] {
  const results: RuleCaseResult[] = [];
  for (const rule of rules) {
    for (const kind of ['alarm', 'pass'] as const) {
      for (const testCase of rule.tests[kind]) {
        const problem = runCase(rule, kind, testCase);
        results.push({
          ruleId: rule.id,
          file: rule.file,
          kind,
          description: testCase.description,
          passed: problem === null,
          problem,
        });
      }
    }
  }
  return results;
}

function runCase(rule: LoadedRule, kind: 'alarm' | 'pass', testCase: RuleTestCase): string | null {
  const db = new Database(':memory:');
  try {
    migrate(db);
    const scanId = beginScan(db, { startedAt: RULE_TEST_EPOCH, asOf: RULE_TEST_EPOCH, since: null });
    writeInventory(db, scanId, inventoryFromCase(testCase.inventory));
    writeDerivedFacts(db, scanId, derivedFactsFromCase(testCase.inventory));
    installRuleViews(db, scanId);
    const asOf = testCase.as_of ?? RULE_TEST_EPOCH;
    const rows = runRuleQuery(db, rule, ruleParameters(rule, asOf, testCase.parameters));
    const alarms = rows.filter((row) => row.status === 'alarm').map((row) => row.resource);
    if (kind === 'alarm') {
      if (alarms.length === 0) return 'expected at least one alarm, got none';
      if (testCase.expect) {
        const expected = [...testCase.expect].sort();
        const got = [...new Set(alarms)].sort();
        if (JSON.stringify(expected) !== JSON.stringify(got)) {
          return `expected alarms on [${expected.join(', ')}], got [${got.join(', ')}]`;
        }
      }
      return null;
    }
    if (alarms.length > 0) return `expected no alarm, got alarms on [${alarms.join(', ')}]`;
    // A pass case must show the rule looked: an empty result would pass any rule, including a broken one.
    if (!rows.some((row) => row.status === 'ok'))
      return 'expected at least one resource checked with status ok, got none';
    return null;
  } catch (error) {
    return `error: ${(error as Error).message}`;
  } finally {
    db.close();
  }
}

type Row = Record<string, JsonValue>;

const str = (row: Row, key: string, fallback: string | null = null): string | null =>
  typeof row[key] === 'string' ? (row[key] as string) : fallback;
const bool = (row: Row, key: string): boolean => row[key] === true;
const num = (row: Row, key: string, fallback: number): number =>
  typeof row[key] === 'number' ? (row[key] as number) : fallback;
const strings = (row: Row, key: string): string[] =>
  Array.isArray(row[key]) ? (row[key] as JsonValue[]).map(String) : [];
const object = (row: Row, key: string): Record<string, JsonValue> =>
  row[key] && typeof row[key] === 'object' && !Array.isArray(row[key])
    ? (row[key] as Record<string, JsonValue>)
    : {};

/** Builds a full inventory from a test case's partial rows (model field names), filling defaults. */
export function inventoryFromCase(tables: RuleTestCase['inventory']): Inventory {
  const rows = (name: string): Row[] => (tables[name] ?? []) as Row[];
  return {
    identities: rows('identities').map((r) => ({
      id: str(r, 'id') ?? 'missing-id',
      provider: str(r, 'provider', 'aws')!,
      kind: str(r, 'kind', 'iam-user')!,
      name: str(r, 'name') ?? str(r, 'id') ?? 'unnamed',
      account: str(r, 'account'),
      arn: str(r, 'arn') ?? str(r, 'id'),
      isHuman: bool(r, 'isHuman'),
      owner: str(r, 'owner'),
      ownerSource: str(r, 'ownerSource'),
      purpose: str(r, 'purpose'),
      createdAt: str(r, 'createdAt'),
      lastUsedAt: str(r, 'lastUsedAt'),
      expiresAt: str(r, 'expiresAt'),
      isAgent: bool(r, 'isAgent'),
      agentEvidence: strings(r, 'agentEvidence'),
      tags: object(r, 'tags') as Record<string, string>,
      attributes: object(r, 'attributes'),
    })),
    credentials: rows('credentials').map((r) => ({
      id: str(r, 'id') ?? 'missing-id',
      identityId: str(r, 'identityId') ?? 'missing-identity',
      kind: str(r, 'kind', 'aws-access-key')!,
      keyId: str(r, 'keyId'),
      createdAt: str(r, 'createdAt'),
      lastRotatedAt: str(r, 'lastRotatedAt'),
      lastUsedAt: str(r, 'lastUsedAt'),
      expiresAt: str(r, 'expiresAt'),
      status: (str(r, 'status', 'active') as 'active') ?? 'active',
      scopes: strings(r, 'scopes'),
      fingerprint: str(r, 'fingerprint'),
      hint: str(r, 'hint'),
      attributes: object(r, 'attributes'),
    })),
    grants: rows('grants').map((r) => ({
      identityId: str(r, 'identityId') ?? 'missing-identity',
      permission: str(r, 'permission', '*')!,
      resource: str(r, 'resource', '*')!,
      effect: str(r, 'effect', 'allow') === 'deny' ? 'deny' : 'allow',
      notAction: bool(r, 'notAction'),
      sourcePolicy: str(r, 'sourcePolicy', 'inline:test')!,
      conditional: bool(r, 'conditional'),
    })),
    usage: rows('usage').map((r) => ({
      identityId: str(r, 'identityId') ?? 'missing-identity',
      credentialId: str(r, 'credentialId'),
      permission: str(r, 'permission'),
      eventSource: str(r, 'eventSource', 'sts.amazonaws.com')!,
      eventName: str(r, 'eventName', 'GetCallerIdentity')!,
      resource: str(r, 'resource'),
      firstSeen: str(r, 'firstSeen', RULE_TEST_EPOCH)!,
      lastSeen: str(r, 'lastSeen', RULE_TEST_EPOCH)!,
      count: num(r, 'count', 1),
      userAgents: strings(r, 'userAgents'),
      sourceAddresses: strings(r, 'sourceAddresses'),
      sessionNames: strings(r, 'sessionNames'),
    })),
    clientActivity: rows('clientActivity').map((r) => ({
      identityId: str(r, 'identityId') ?? 'missing-identity',
      credentialId: str(r, 'credentialId'),
      clientFamily: str(r, 'clientFamily', 'unknown')!,
      automated: bool(r, 'automated'),
      agent: bool(r, 'agent'),
      sourceNetwork: str(r, 'sourceNetwork', 'unknown')!,
      count: num(r, 'count', 1),
      firstSeen: str(r, 'firstSeen', RULE_TEST_EPOCH)!,
      lastSeen: str(r, 'lastSeen', RULE_TEST_EPOCH)!,
      peakPerMinute: num(r, 'peakPerMinute', 1),
    })),
    people: rows('people').map((r) => ({
      id: str(r, 'id') ?? 'missing-id',
      name: str(r, 'name'),
      email: str(r, 'email'),
      status: (str(r, 'status', 'active') as 'active') ?? 'active',
      source: str(r, 'source', 'test')!,
    })),
    edges: rows('edges').map((r) => ({
      from: str(r, 'from') ?? 'missing',
      to: str(r, 'to') ?? 'missing',
      kind: (str(r, 'kind', 'can-assume') as 'can-assume') ?? 'can-assume',
      evidence: object(r, 'evidence'),
    })),
    resources: rows('resources').map((r) => ({
      id: str(r, 'id') ?? 'missing-id',
      provider: str(r, 'provider', 'github')!,
      kind: str(r, 'kind', 'repository')!,
      name: str(r, 'name') ?? str(r, 'id') ?? 'unnamed',
      account: str(r, 'account'),
      attributes: object(r, 'attributes'),
    })),
    policies: rows('policies').map((r) => ({
      identityId: str(r, 'identityId') ?? 'missing-identity',
      sourcePolicy: str(r, 'sourcePolicy', 'inline:test')!,
      kind: str(r, 'kind') === 'boundary' ? 'boundary' : 'identity',
      document: object(r, 'document') as JsonObject,
    })),
  };
}

/**
 * The derived facts of a test case: `permissionSummaries` rows (model field names; counts default to 0, the window
 * to the test epoch's last seven days), `trustedAccounts` rows (`{ account }`), `capabilities` rows (model field
 * names of IdentityCapability; `kind` defaults to untrusted-read), and environment isolation computed from the case's
 * inventory as a scan would, with `environments` rows as the config's overrides (`{ account, environment }` for
 * `environments.accounts`, `{ pattern, environment }` for `environments.prod` / `.nonprod`).
 */
export function derivedFactsFromCase(tables: RuleTestCase['inventory']): DerivedFacts {
  const rows = (name: string): Row[] => (tables[name] ?? []) as Row[];
  const environments = deriveEnvironments(
    inventoryFromCase(tables),
    compileEnvironmentRules(environmentConfigFromCase(rows('environments'))),
  );
  return {
    environmentPlaces: environments.places,
    credentialPlaces: environments.placements,
    permissionSummaries: rows('permissionSummaries').map((r) => {
      const window = object(r, 'window');
      const windowText = (key: string, fallback: string | null): string | null =>
        typeof window[key] === 'string' ? (window[key] as string) : key in window ? null : fallback;
      return {
        identityId: str(r, 'identityId') ?? 'missing-identity',
        grantedCount: num(r, 'grantedCount', 0),
        grantedConditional: num(r, 'grantedConditional', 0),
        grantedWrite: num(r, 'grantedWrite', 0),
        grantedServices: num(r, 'grantedServices', 0),
        usedCount: num(r, 'usedCount', 0),
        usedNotGranted: num(r, 'usedNotGranted', 0),
        unusedCount: num(r, 'unusedCount', 0),
        unusedWrite: num(r, 'unusedWrite', 0),
        unusedUnobservable: num(r, 'unusedUnobservable', 0),
        unusedServices: strings(r, 'unusedServices'),
        unobservableServices: strings(r, 'unobservableServices'),
        usedServices: strings(r, 'usedServices'),
        boundary: str(r, 'boundary'),
        removedByBoundary: num(r, 'removedByBoundary', 0),
        policiesComplete: r['policiesComplete'] !== false,
        firstUsed: str(r, 'firstUsed'),
        lastUsed: str(r, 'lastUsed'),
        window: {
          since: windowText('since', '2026-05-25T00:00:00Z'),
          until: windowText('until', RULE_TEST_EPOCH),
          firstEvent: windowText('firstEvent', '2026-05-25T00:00:00Z'),
          lastEvent: windowText('lastEvent', RULE_TEST_EPOCH),
        },
      };
    }),
    trustedAccounts: rows('trustedAccounts').flatMap((r) => str(r, 'account') ?? []),
    capabilities: rows('capabilities').map((r) => ({
      identityId: str(r, 'identityId') ?? 'missing-identity',
      capabilityId: str(r, 'capabilityId') ?? 'missing-capability',
      kind: str(r, 'kind') === 'consequential-write' ? 'consequential-write' : 'untrusted-read',
      title: str(r, 'title') ?? str(r, 'capabilityId') ?? 'a capability',
      grantedBy: strings(r, 'grantedBy'),
      reach: strings(r, 'reach'),
      used: bool(r, 'used'),
      usedCount: num(r, 'usedCount', bool(r, 'used') ? 1 : 0),
      usedPermissions: strings(r, 'usedPermissions'),
    })),
  };
}

/** Config `environments` from a test case's `environments` rows. */
function environmentConfigFromCase(rows: readonly Row[]): EnvironmentConfig {
  const config: Required<EnvironmentConfig> = { accounts: {}, prod: [], nonprod: [] };
  for (const row of rows) {
    const environment = str(row, 'environment');
    if (environment !== 'prod' && environment !== 'nonprod') {
      throw new Error(`an environments row needs environment prod or nonprod (got ${JSON.stringify(row)})`);
    }
    const account = str(row, 'account');
    const pattern = str(row, 'pattern');
    if (account) config.accounts[account] = environment;
    else if (pattern) config[environment].push(pattern);
    else throw new Error(`an environments row needs an account or a pattern (got ${JSON.stringify(row)})`);
  }
  return config;
}
