// JSON Schema of a rule file, and the types it guarantees; validated at load so an error names the file and the field.
import type { EnvironmentConfig } from '../analysis/environments.js';
import {
  CATEGORIES,
  SEVERITIES,
  type Category,
  type JsonValue,
  type RuleReference,
  type Severity,
} from '../model/types.js';

/**
 * The agent posture scorecard's properties a rule can speak to: an alarm of a rule tagged `posture: P` on an identity
 * fails that identity's property P (see src/analysis/posture.ts).
 */
export const POSTURE_PROPERTIES = [
  'distinct',
  'scoped',
  'short-lived',
  'observable',
  'owner',
  'purpose',
  'expiry',
] as const;
/** One scorecard property, as a rule's `posture` field names it. */
export type PostureProperty = (typeof POSTURE_PROPERTIES)[number];

/** A parameter a rule's SQL binds as `:name`, with its default. */
export interface RuleParameter {
  default: string | number | boolean;
  description: string;
}

/** A rule test case: an inventory (model field names) the rule must alarm on, or must pass. */
export interface RuleTestCase {
  description: string;
  /** "Now" for the case; defaults to the rule-test epoch. */
  as_of?: string;
  parameters?: Record<string, string | number | boolean>;
  inventory: Record<string, Array<Record<string, JsonValue>>>;
  /** For alarm cases: exactly these resources must alarm. */
  expect?: string[];
}

/** A rule as written in its YAML file. */
export interface RuleDefinition {
  id: string;
  title: string;
  severity: Severity;
  category: Category;
  /** The scorecard property an alarm of this rule fails on the identity it is about; absent when none. */
  posture?: PostureProperty;
  description: string;
  risk: string;
  remediation: string;
  references: RuleReference[];
  parameters?: Record<string, RuleParameter>;
  query: string;
  tests: { alarm: RuleTestCase[]; pass: RuleTestCase[] };
}

const testCase = {
  type: 'object',
  additionalProperties: false,
  required: ['description', 'inventory'],
  properties: {
    description: { type: 'string', minLength: 1 },
    as_of: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}' },
    parameters: { type: 'object', additionalProperties: { type: ['string', 'number', 'boolean'] } },
    inventory: {
      type: 'object',
      additionalProperties: false,
      properties: Object.fromEntries(
        [
          'identities',
          'credentials',
          'grants',
          'usage',
          'clientActivity',
          'people',
          'edges',
          'policies',
          'permissionSummaries',
          'trustedAccounts',
          'resources',
          'capabilities',
          'environments',
        ].map((table) => [table, { type: 'array', items: { type: 'object' } }]),
      ),
    },
    expect: { type: 'array', items: { type: 'string' }, minItems: 1 },
  },
} as const;

/** The schema every rule file must satisfy. */
export const RULE_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: [
    'id',
    'title',
    'severity',
    'category',
    'description',
    'risk',
    'remediation',
    'references',
    'query',
    'tests',
  ],
  properties: {
    id: { type: 'string', pattern: '^[a-z0-9]+(-[a-z0-9]+)*$' },
    title: { type: 'string', minLength: 5, maxLength: 120 },
    severity: { enum: [...SEVERITIES] },
    category: { enum: [...CATEGORIES] },
    posture: { enum: [...POSTURE_PROPERTIES] },
    description: { type: 'string', minLength: 10 },
    risk: { type: 'string', minLength: 10 },
    remediation: { type: 'string', minLength: 10 },
    references: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'title', 'url'],
        properties: {
          id: { type: 'string', minLength: 2 },
          title: { type: 'string', minLength: 2 },
          url: { type: 'string', pattern: '^https://' },
        },
      },
    },
    parameters: {
      type: 'object',
      propertyNames: { pattern: '^[a-z][a-z0-9_]*$' },
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        required: ['default', 'description'],
        properties: {
          default: { type: ['string', 'number', 'boolean'] },
          description: { type: 'string', minLength: 3 },
        },
      },
    },
    query: { type: 'string', minLength: 10 },
    tests: {
      type: 'object',
      additionalProperties: false,
      required: ['alarm', 'pass'],
      properties: {
        alarm: { type: 'array', minItems: 1, items: testCase },
        pass: { type: 'array', minItems: 1, items: testCase },
      },
    },
  },
} as const;

/** The schema of agentaudit.config.yaml. */
export const CONFIG_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    rules: {
      type: 'object',
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        properties: {
          enabled: { type: 'boolean' },
          severity: { enum: [...SEVERITIES] },
          parameters: { type: 'object', additionalProperties: { type: ['string', 'number', 'boolean'] } },
        },
      },
    },
    rulesDirs: { type: 'array', items: { type: 'string' } },
    baseline: { type: 'string' },
    failOn: { enum: [...SEVERITIES, 'none'] },
    trustedAccounts: { type: 'array', items: { type: 'string', pattern: '^\\d{12}$' } },
    agents: {
      type: 'object',
      additionalProperties: false,
      properties: {
        namePatterns: { type: 'array', items: { type: 'string' } },
        userAgentPatterns: { type: 'array', items: { type: 'string' } },
      },
    },
    environments: {
      type: 'object',
      additionalProperties: false,
      properties: {
        accounts: {
          type: 'object',
          propertyNames: { pattern: '^\\d{12}$' },
          additionalProperties: { enum: ['prod', 'nonprod'] },
        },
        prod: { type: 'array', items: { type: 'string', minLength: 1 } },
        nonprod: { type: 'array', items: { type: 'string', minLength: 1 } },
      },
    },
  },
} as const;

/** agentaudit.config.yaml, validated. */
export interface AgentauditConfig {
  rules?: Record<
    string,
    { enabled?: boolean; severity?: Severity; parameters?: Record<string, string | number | boolean> }
  >;
  rulesDirs?: string[];
  baseline?: string;
  failOn?: Severity | 'none';
  /** AWS account ids outside the inventory that belong to the estate (partners you trust are not among them). */
  trustedAccounts?: string[];
  agents?: { namePatterns?: string[]; userAgentPatterns?: string[] };
  /**
   * Environment classification overrides: `accounts` maps AWS account ids to `prod` or `nonprod`; `prod` and
   * `nonprod` are case-insensitive regular expressions tried on place names before the built-in words.
   */
  environments?: EnvironmentConfig;
}
