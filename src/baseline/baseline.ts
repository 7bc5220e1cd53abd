// The baseline file: findings a team has accepted, by stable fingerprint, so CI only fails on new ones.
import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors/errors.js';
import type { Finding } from '../model/types.js';

/** One accepted finding. The fingerprint is what matters; rule and resource are there for people reading the file. */
export interface BaselineEntry {
  id: string;
  ruleId: string;
  resource: string;
  reason?: string;
  expiresAt?: string | null;
}

/** The baseline file format. */
export interface Baseline {
  version: 1;
  generatedAt: string;
  findings: BaselineEntry[];
}

/** Builds a baseline from findings. */
export function baselineFromFindings(findings: readonly Finding[], generatedAt: string): Baseline {
  return {
    version: 1,
    generatedAt,
    findings: findings
      .map((f) => ({ id: f.id, ruleId: f.ruleId, resource: f.resource }))
      .sort((a, b) => a.ruleId.localeCompare(b.ruleId) || a.resource.localeCompare(b.resource)),
  };
}

/** Reads a baseline file; a clear error names the file when it is not one. */
export function readBaseline(file: string): Baseline {
  let data: unknown;
  try {
    data = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UserError(
      `cannot read the baseline ${file}: ${code === 'ENOENT' ? 'no such file' : (error as Error).message}`,
      'create one with `agentaudit baseline --output FILE`',
    );
  }
  const candidate = data as Partial<Baseline>;
  if (candidate?.version !== 1 || !Array.isArray(candidate.findings)) {
    throw new UserError(`${file} is not an agentaudit baseline (expected {"version": 1, "findings": [...]})`);
  }
  for (const [index, entry] of candidate.findings.entries()) {
    if (typeof entry?.id !== 'string') throw new UserError(`${file}: findings[${index}] has no "id"`);
  }
  return candidate as Baseline;
}

/** Writes a baseline file, merging entries already present (their reasons and expiries are kept). */
export function writeBaseline(file: string, baseline: Baseline): void {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(baseline, null, 2)}\n`);
}

/** Adds or replaces one entry in a baseline file (creating it), e.g. when a person accepts a finding in triage. */
export function addToBaselineFile(file: string, entry: BaselineEntry, now: string): void {
  const existing = fs.existsSync(file)
    ? readBaseline(file)
    : { version: 1 as const, generatedAt: now, findings: [] };
  const findings = existing.findings.filter((f) => f.id !== entry.id);
  findings.push(entry);
  writeBaseline(file, { version: 1, generatedAt: now, findings });
}

/** The fingerprints a baseline accepts as of `asOf` (entries past their expiry no longer count). */
export function acceptedFingerprints(baseline: Baseline, asOf: string): Set<string> {
  return new Set(
    baseline.findings.filter((entry) => !entry.expiresAt || entry.expiresAt > asOf).map((entry) => entry.id),
  );
}

/** Removes the entry of fingerprint `id` from a baseline file, if the file has one; returns whether it did. */
export function removeFromBaselineFile(file: string, id: string, now: string): boolean {
  if (!fs.existsSync(file)) return false;
  const existing = readBaseline(file);
  const findings = existing.findings.filter((f) => f.id !== id);
  if (findings.length === existing.findings.length) return false;
  writeBaseline(file, { version: 1, generatedAt: now, findings });
  return true;
}
