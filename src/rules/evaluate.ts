// Runs each rule's SQL over a read-only connection and turns its rows into findings and per-rule counts.
import type { Db } from '../store/database.js';
import { findingFingerprint } from '../model/ids.js';
import {
  SEVERITIES,
  type Finding,
  type InputError,
  type JsonObject,
  type JsonValue,
  type RuleStat,
  type Severity,
} from '../model/types.js';
import type { LoadedRule } from './load.js';
import type { AgentauditConfig, RuleDefinition } from './schema.js';

/** What rule evaluation produced for one scan. */
export interface RuleEvaluation {
  findings: Finding[];
  stats: RuleStat[];
  /** Rules that failed to run or returned malformed rows, named by their file. */
  errors: InputError[];
}

/** One row a rule query returned, checked. */
export interface RuleRow {
  resource: string;
  status: 'alarm' | 'ok' | 'skip';
  reason: string;
  /** A row may raise or lower its own severity (e.g. granted-only vs used); absent, the rule's applies. */
  severity: Severity | null;
  evidence: JsonObject;
}

/** The parameter values a rule runs with: its defaults, then the config's overrides, then `as_of`. */
export function ruleParameters(
  rule: RuleDefinition,
  asOf: string,
  overrides: Record<string, string | number | boolean> = {},
): Record<string, string | number | boolean> {
  const values: Record<string, string | number | boolean> = {};
  for (const [name, parameter] of Object.entries(rule.parameters ?? {})) values[name] = parameter.default;
  for (const [name, value] of Object.entries(overrides)) {
    if (name in values) values[name] = value;
  }
  values.as_of = asOf;
  return values;
}

/** Runs a rule's query and checks its rows; throws with a clear message when the query or a row is wrong. */
export function runRuleQuery(db: Db, rule: RuleDefinition, parameters: Record<string, unknown>): RuleRow[] {
  const bindable = Object.fromEntries(
    Object.entries(parameters).map(([name, value]) => [
      name,
      typeof value === 'boolean' ? Number(value) : value,
    ]),
  );
  const raw = db.prepare(rule.query).all(bindable) as Record<string, unknown>[];
  return raw.map((row, index) => checkRow(row, index));
}

function checkRow(row: Record<string, unknown>, index: number): RuleRow {
  const { resource, status, reason, severity, ...rest } = row;
  if (typeof resource !== 'string' || resource.length === 0) {
    throw new Error(`row ${index + 1} has no "resource" (got ${JSON.stringify(resource)})`);
  }
  if (status !== 'alarm' && status !== 'ok' && status !== 'skip') {
    throw new Error(
      `row ${index + 1} (${resource}) has status ${JSON.stringify(status)}; expected alarm, ok or skip`,
    );
  }
  if (typeof reason !== 'string' || reason.length === 0) {
    throw new Error(`row ${index + 1} (${resource}) has no "reason"`);
  }
  if (severity !== undefined && severity !== null && !SEVERITIES.includes(severity as Severity)) {
    throw new Error(
      `row ${index + 1} (${resource}) has severity ${JSON.stringify(severity)}; expected one of ${SEVERITIES.join(', ')}`,
    );
  }
  const evidence: JsonObject = {};
  for (const [key, value] of Object.entries(rest)) evidence[key] = evidenceValue(value);
  return { resource, status, reason, severity: (severity as Severity | null | undefined) ?? null, evidence };
}

/** Evidence columns that hold JSON (json_group_array, json_object) become structured values. */
function evidenceValue(value: unknown): JsonValue {
  if (typeof value === 'string' && /^[[{]/.test(value)) {
    try {
      return JSON.parse(value) as JsonValue;
    } catch {
      return value;
    }
  }
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Buffer) return `<${value.length} bytes>`;
  return (value ?? null) as JsonValue;
}

/** Evaluates every enabled rule against the scan the connection's views show. */
export function evaluateRules(
  db: Db,
  rules: readonly LoadedRule[],
  settings: { asOf: string; config: AgentauditConfig },
): RuleEvaluation {
  const findings: Finding[] = [];
  const stats: RuleStat[] = [];
  const errors: InputError[] = [];
  for (const rule of rules) {
    const ruleConfig = settings.config.rules?.[rule.id];
    if (ruleConfig?.enabled === false) continue;

    const stat: RuleStat = {
      ruleId: rule.id,
      posture: rule.posture ?? null,
      checked: 0,
      alarms: 0,
      ok: 0,
      skipped: 0,
      suppressed: 0,
      error: null,
    };
    stats.push(stat);
    let rows: RuleRow[];
    try {
      rows = runRuleQuery(db, rule, ruleParameters(rule, settings.asOf, ruleConfig?.parameters));
    } catch (error) {
      stat.error = (error as Error).message;
      errors.push({ file: rule.file, message: `rule ${rule.id} failed: ${stat.error}` });
      continue;
    }
    const alarmed = new Set<string>();
    for (const row of rows) {
      if (row.status === 'skip') {
        stat.skipped += 1;
        continue;
      }
      stat.checked += 1;
      if (row.status === 'ok') {
        stat.ok += 1;
        continue;
      }
      // One finding per rule and resource: a query that returns a resource twice alarms once.
      if (alarmed.has(row.resource)) continue;
      alarmed.add(row.resource);
      stat.alarms += 1;
      findings.push({
        id: findingFingerprint(rule.id, row.resource),
        ruleId: rule.id,
        title: rule.title,
        // The config's override wins, then the row's own severity, then the rule's.
        severity: ruleConfig?.severity ?? row.severity ?? rule.severity,
        category: rule.category,
        resource: row.resource,
        status: 'alarm',
        reason: row.reason,
        evidence: row.evidence,
        remediation: rule.remediation.trim(),
        references: rule.references,
      });
    }
  }
  return { findings, stats, errors };
}
