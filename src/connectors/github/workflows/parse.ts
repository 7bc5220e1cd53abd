// Parses a workflow file (`.github/workflows/*.yml`) into what the analysis needs: triggers, permissions, jobs and steps.
import { parseDocument } from 'yaml';
import type { WorkflowStep } from './actions.js';

/** One job of a workflow. */
export interface WorkflowJob {
  id: string;
  name: string | null;
  /** The job's `permissions:` as written (undefined when absent). */
  permissions: unknown;
  /** A reusable workflow the job calls (`uses:` at job level). */
  uses: string | null;
  /** `secrets: inherit` or the secrets passed to a reusable workflow. */
  secrets: 'inherit' | Record<string, string> | null;
  environment: string | null;
  env: Record<string, string>;
  steps: WorkflowStep[];
}

/** A parsed workflow. */
export interface ParsedWorkflow {
  name: string | null;
  /** Event names (`push`, `pull_request_target`, …). */
  triggers: string[];
  /** Branch filters of `push` (empty: any branch). */
  pushBranches: string[];
  /** Tag filters of `push`. */
  pushTags: string[];
  /** The workflow's `permissions:` as written (undefined when absent). */
  permissions: unknown;
  env: Record<string, string>;
  jobs: WorkflowJob[];
}

/** The result of parsing: a workflow, or why it could not be read. */
export type WorkflowParse = { ok: true; workflow: ParsedWorkflow } | { ok: false; problem: string };

const isMap = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A map's values as strings (expressions and numbers included), for `with:` and `env:`. */
function stringMap(value: unknown): Record<string, string> {
  if (!isMap(value)) return {};
  const out: Record<string, string> = {};
  for (const [key, item] of Object.entries(value)) {
    if (item === null || item === undefined) continue;
    out[key] = typeof item === 'object' ? JSON.stringify(item) : String(item);
  }
  return out;
}

function stringList(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return [];
}

/**
 * Parses workflow YAML. `on:` may be a string, a list or a map (YAML 1.1 readers turn a bare `on` key into `true`;
 * both spellings are read). Never throws: invalid YAML or a file that is not a workflow is a problem string.
 */
export function parseWorkflow(text: string): WorkflowParse {
  let root: unknown;
  try {
    const document = parseDocument(text, { prettyErrors: true, uniqueKeys: false });
    if (document.errors.length > 0)
      return { ok: false, problem: `invalid YAML: ${document.errors[0]!.message}` };
    root = document.toJS({ maxAliasCount: 100 });
  } catch (error) {
    return { ok: false, problem: `invalid YAML: ${(error as Error).message}` };
  }
  if (!isMap(root)) return { ok: false, problem: 'not a workflow: the file is not a map' };
  const on = root['on'] ?? root['true'];
  const jobs = root['jobs'];
  if (on === undefined) return { ok: false, problem: 'not a workflow: no `on:` triggers' };
  if (!isMap(jobs)) return { ok: false, problem: 'not a workflow: no `jobs:` map' };

  const triggers =
    typeof on === 'string' ? [on] : Array.isArray(on) ? stringList(on) : Object.keys(on as object);
  const push = isMap(on) && isMap(on['push']) ? on['push'] : {};
  return {
    ok: true,
    workflow: {
      name: typeof root['name'] === 'string' ? root['name'] : null,
      triggers: [...new Set(triggers)].sort(),
      pushBranches: stringList(push['branches']),
      pushTags: stringList(push['tags']),
      permissions: root['permissions'],
      env: stringMap(root['env']),
      jobs: Object.entries(jobs).map(([id, raw]) => parseJob(id, raw)),
    },
  };
}

function parseJob(id: string, raw: unknown): WorkflowJob {
  const job = isMap(raw) ? raw : {};
  const environment = job['environment'];
  const secrets = job['secrets'];
  const steps = Array.isArray(job['steps']) ? job['steps'] : [];
  return {
    id,
    name: typeof job['name'] === 'string' ? job['name'] : null,
    permissions: job['permissions'],
    uses: typeof job['uses'] === 'string' ? job['uses'] : null,
    secrets: secrets === 'inherit' ? 'inherit' : isMap(secrets) ? stringMap(secrets) : null,
    environment:
      typeof environment === 'string'
        ? environment
        : isMap(environment) && typeof environment['name'] === 'string'
          ? environment['name']
          : null,
    env: stringMap(job['env']),
    steps: steps.map((step, index): WorkflowStep => {
      const s = isMap(step) ? step : {};
      return {
        index,
        name: typeof s['name'] === 'string' ? s['name'] : null,
        uses: typeof s['uses'] === 'string' ? s['uses'].trim() : null,
        run: typeof s['run'] === 'string' ? s['run'] : null,
        with: stringMap(s['with']),
        env: stringMap(s['env']),
      };
    }),
  };
}
