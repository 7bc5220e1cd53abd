// The import schema: identities and credentials from any other system, as JSON rows or CSV columns (docs/import.md).

/** Credential statuses the model knows. */
export const IMPORT_STATUSES = ['active', 'inactive', 'expired', 'revoked', 'unknown'] as const;

/** One credential of an imported identity (JSON form; CSV columns carry a `credential_` prefix where they clash). */
export interface ImportCredentialRow {
  id?: string;
  kind?: string;
  key_id?: string;
  created_at?: string;
  rotated_at?: string;
  last_used_at?: string;
  expires_at?: string;
  status?: (typeof IMPORT_STATUSES)[number];
  scopes?: string[];
  fingerprint?: string;
  hint?: string;
  key_prefix?: string;
}

/** One imported identity. */
export interface ImportIdentityRow {
  provider: string;
  kind: string;
  name: string;
  id?: string;
  account?: string;
  arn?: string;
  owner?: string;
  purpose?: string;
  is_human?: boolean;
  is_agent?: boolean;
  personal?: boolean;
  created_at?: string;
  last_used_at?: string;
  expires_at?: string;
  tags?: Record<string, string>;
  scopes?: string[];
  credentials?: ImportCredentialRow[];
}

const text = { type: 'string', minLength: 1, maxLength: 2000 } as const;
const date = { type: 'string', minLength: 4, maxLength: 40 } as const;
const scopes = {
  type: 'array',
  items: { type: 'string', minLength: 1, maxLength: 500 },
  maxItems: 5000,
} as const;
const word = { type: 'string', pattern: '^[a-z0-9][a-z0-9._-]{0,62}$' } as const;

/** JSON Schema of a credential row. */
export const IMPORT_CREDENTIAL_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    id: text,
    kind: word,
    key_id: text,
    created_at: date,
    rotated_at: date,
    last_used_at: date,
    expires_at: date,
    status: { enum: IMPORT_STATUSES },
    scopes,
    fingerprint: { type: 'string', pattern: '^sha256:[0-9a-f]{64}$' },
    hint: { type: 'string', minLength: 1, maxLength: 4 },
    key_prefix: { type: 'string', minLength: 1, maxLength: 20 },
  },
} as const;

/** JSON Schema of an identity row. */
export const IMPORT_IDENTITY_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['provider', 'kind', 'name'],
  properties: {
    provider: word,
    kind: word,
    name: text,
    id: text,
    account: text,
    arn: text,
    owner: text,
    purpose: text,
    is_human: { type: 'boolean' },
    is_agent: { type: 'boolean' },
    personal: { type: 'boolean' },
    created_at: date,
    last_used_at: date,
    expires_at: date,
    tags: { type: 'object', additionalProperties: { type: 'string', maxLength: 2000 } },
    scopes,
    credentials: { type: 'array', items: IMPORT_CREDENTIAL_SCHEMA, maxItems: 1000 },
  },
} as const;

/** CSV columns: identity columns, then credential columns (one row per credential; rows of one identity merge). */
export const CSV_COLUMNS = {
  identity: [
    'provider',
    'kind',
    'name',
    'id',
    'account',
    'arn',
    'owner',
    'purpose',
    'is_human',
    'is_agent',
    'personal',
    'created_at',
    'last_used_at',
    'expires_at',
    'scopes',
  ],
  credential: [
    'credential_id',
    'credential_kind',
    'key_id',
    'credential_created_at',
    'credential_rotated_at',
    'credential_last_used_at',
    'credential_expires_at',
    'status',
    'credential_scopes',
    'fingerprint',
    'hint',
    'key_prefix',
  ],
} as const;
