// The ordered list of schema migrations; the database's user_version records how many have run.
import { initialSchema } from './001_initial.js';
import { httpCacheSchema } from './002_http_cache.js';
import { grantedVsUsedSchema } from './003_granted_vs_used.js';
import { cloudtrailFilesSchema } from './004_cloudtrail_files.js';
import { capabilitiesSchema } from './005_capabilities.js';
import { environmentsSchema } from './006_environments.js';
import { rulePostureSchema } from './007_rule_posture.js';

/** One numbered schema change, run inside a transaction. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Every migration, in version order. Append only: never edit one that has shipped. */
export const MIGRATIONS: readonly Migration[] = [
  initialSchema,
  httpCacheSchema,
  grantedVsUsedSchema,
  cloudtrailFilesSchema,
  capabilitiesSchema,
  environmentsSchema,
  rulePostureSchema,
];

/** The schema version this build writes. */
export const LATEST_SCHEMA_VERSION = MIGRATIONS.length;
