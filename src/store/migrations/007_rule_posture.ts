// Migration 7: each rule's posture tag is kept with its counts, so a scan's scorecard uses the tags of the rules that ran.
import type { Migration } from './registry.js';

/**
 * `rule_stats.posture` is the scorecard property the rule's alarms fail (`posture:` of its YAML), `''` for a rule
 * without one, and NULL only on scans recorded before this migration (readers then fall back to the built-in tags).
 */
export const rulePostureSchema: Migration = {
  version: 7,
  name: 'rule posture tags with the rule counts',
  sql: `ALTER TABLE rule_stats ADD COLUMN posture TEXT;`,
};
