// The format of the confused-deputy capability catalogue (`rules/capabilities/*.yaml`): types and JSON Schema.
import type { CapabilityKind } from '../model/types.js';

/** The folder, inside any rules folder, that holds capability catalogue files instead of rules. */
export const CAPABILITIES_DIR = 'capabilities';

/** Where a capability's reach is limited to: for GitHub, repositories people outside the organization can write to. */
export const CAPABILITY_REACHES = ['outsider-writable-repositories'] as const;
/** A reach condition of a capability. */
export type CapabilityReach = (typeof CAPABILITY_REACHES)[number];

/** One capability as written in a catalogue file. */
export interface CapabilityDefinition {
  id: string;
  kind: CapabilityKind;
  /** What it lets an identity do, as a finding's reason says it: `reads issues and comments`. */
  title: string;
  description: string;
  /**
   * Permissions that give it, as grants name them: IAM actions (`ses:SendEmail`, patterns like `ses:Send*`),
   * GitHub permissions and classic scopes (`issues:read`, `repo`), SaaS scopes (`chat:write`). Case-insensitive.
   */
  permissions: string[];
  /** AWS: resource ARN patterns the grant (and, for use, the call) must reach; absent: any resource. */
  resources?: string[];
  /** A reach condition the grant's resources must meet (GitHub); absent: any resource. */
  reach?: CapabilityReach;
}

/** A catalogue file: the provider its capabilities apply to, and the capabilities. */
export interface CapabilityFile {
  provider: string;
  capabilities: CapabilityDefinition[];
}

/** A capability with the provider and file it came from. */
export interface LoadedCapability extends CapabilityDefinition {
  provider: string;
  file: string;
}

/** The schema every catalogue file must satisfy. */
export const CAPABILITY_FILE_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['provider', 'capabilities'],
  properties: {
    provider: { type: 'string', pattern: '^[a-z][a-z0-9-]*$' },
    capabilities: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'kind', 'title', 'description', 'permissions'],
        properties: {
          id: { type: 'string', pattern: '^[a-z0-9]+(-[a-z0-9]+)*$' },
          kind: { enum: ['untrusted-read', 'consequential-write'] },
          title: { type: 'string', minLength: 5, maxLength: 120 },
          description: { type: 'string', minLength: 10 },
          permissions: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } },
          resources: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } },
          reach: { enum: [...CAPABILITY_REACHES] },
        },
      },
    },
  },
} as const;
