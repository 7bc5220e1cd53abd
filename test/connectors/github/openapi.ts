// Validates GitHub REST responses against the official OpenAPI description (@octokit/openapi, GitHub Enterprise Cloud).
import fs from 'node:fs';
import { createRequire } from 'node:module';
import AjvModule, { type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

const require = createRequire(import.meta.url);
const SPEC_FILE = require.resolve('@octokit/openapi/generated/ghec.json');

interface Spec {
  paths: Record<string, Record<string, { responses?: Record<string, unknown> }>>;
}

let cached: { spec: Spec; ajv: InstanceType<typeof AjvModule.default>; templates: Template[] } | null = null;

interface Template {
  path: string;
  segments: (string | null)[];
  literals: number;
}

/**
 * OpenAPI 3.0's `nullable: true` in JSON Schema terms (Ajv reads `nullable` only beside `type`): `type` gains
 * `null` (and an `enum` gains null), or the schema becomes `anyOf: [schema, { type: null }]`.
 */
function nullableToJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(nullableToJsonSchema);
  if (typeof node !== 'object' || node === null) return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) out[key] = nullableToJsonSchema(value);
  if (out['nullable'] !== true) return out;
  delete out['nullable'];
  if (typeof out['type'] === 'string') {
    out['type'] = [out['type'], 'null'];
    if (Array.isArray(out['enum'])) out['enum'] = [...(out['enum'] as unknown[]), null];
    return out;
  }
  return { anyOf: [out, { type: 'null' }] };
}

function load(): NonNullable<typeof cached> {
  if (cached) return cached;
  const raw = JSON.parse(fs.readFileSync(SPEC_FILE, 'utf8')) as Spec & { components: unknown };
  const spec = {
    ...raw,
    paths: nullableToJsonSchema(raw.paths),
    components: nullableToJsonSchema(raw.components),
  } as Spec;
  const ajv = new AjvModule.default({ strict: false, allErrors: true, validateSchema: false, logger: false });
  (addFormatsModule as unknown as { default: (a: unknown) => void }).default(ajv);
  ajv.addSchema(spec as object, 'ghec');
  const templates = Object.keys(spec.paths).map((template) => {
    const segments = template
      .split('/')
      .filter(Boolean)
      .map((segment) => (/^\{.+\}$/.test(segment) ? null : segment));
    return { path: template, segments, literals: segments.filter((s) => s !== null).length };
  });
  templates.sort((a, b) => b.literals - a.literals);
  cached = { spec, ajv, templates };
  return cached;
}

/** The OpenAPI path template a request path matches (`/orgs/acme/members` → `/orgs/{org}/members`), or null. */
export function specPathFor(method: string, requestPath: string): string | null {
  const { spec, templates } = load();
  const segments = requestPath.split('?')[0]!.split('/').filter(Boolean);
  const found = templates.find(
    (t) =>
      t.segments.length === segments.length &&
      spec.paths[t.path]?.[method.toLowerCase()] !== undefined &&
      t.segments.every((s, i) => s === null || s === segments[i]),
  );
  return found?.path ?? null;
}

const pointer = (token: string): string => encodeURIComponent(token.replace(/~/g, '~0').replace(/\//g, '~1'));

/** A validator of the JSON body of `status` for `method template`, or null when the description has no JSON body. */
export function responseValidator(method: string, template: string, status: number): ValidateFunction | null {
  const { spec, ajv } = load();
  const operation = spec.paths[template]?.[method.toLowerCase()];
  let response = operation?.responses?.[String(status)] as
    { $ref?: string; content?: Record<string, { schema?: unknown }> } | undefined;
  if (response?.$ref) {
    const name = response.$ref.split('/').pop()!;
    response = (spec as unknown as { components: { responses: Record<string, typeof response> } }).components
      .responses[name];
  }
  if (!response?.content?.['application/json']?.schema) return null;
  const ref = `ghec#/paths/${pointer(template)}/${method.toLowerCase()}/responses/${status}/content/${pointer('application/json')}/schema`;
  const direct = operation?.responses?.[String(status)] as { $ref?: string } | undefined;
  const schemaRef = direct?.$ref
    ? `ghec#/components/responses/${pointer(direct.$ref.split('/').pop()!)}/content/${pointer('application/json')}/schema`
    : ref;
  return ajv.compile({ $ref: schemaRef });
}

/** Validation errors of a response body, as text (empty when valid); throws when the route is not in the description. */
export function validateResponse(
  method: string,
  requestPath: string,
  status: number,
  body: unknown,
): string[] {
  const template = specPathFor(method, requestPath);
  if (!template) throw new Error(`${method} ${requestPath} is not in GitHub's OpenAPI description`);
  const validate = responseValidator(method, template, status);
  if (!validate) throw new Error(`${method} ${template} documents no JSON body for ${status}`);
  if (validate(body)) return [];
  return (validate.errors ?? []).slice(0, 5).map((e) => `${template} ${e.instancePath} ${e.message}`);
}
