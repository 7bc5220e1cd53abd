// Reads an IAM policy document into plain statements (Action/NotAction, Resource/NotResource, Condition) for expansion.
import type { JsonObject, JsonValue } from '../../model/types.js';

/** One statement of an identity policy or permission boundary, as the expander needs it. */
export interface PolicyStatement {
  effect: 'allow' | 'deny';
  /** Action patterns as written (`s3:Get*`); with `notAction`, the patterns the statement excludes. */
  actions: string[];
  notAction: boolean;
  /** Resource patterns as written; with `notResource`, the resources the statement excludes. */
  resources: string[];
  notResource: boolean;
  /** True when a non-empty Condition limits the statement. */
  conditional: boolean;
}

const isObject = (value: JsonValue | undefined): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function strings(value: JsonValue | undefined): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return [];
}

/**
 * The statements of a policy document. A statement without a valid Effect, without Action/NotAction or without
 * Resource/NotResource grants nothing and is left out (the connectors report such documents as malformed).
 */
export function statementsOfDocument(document: JsonObject): PolicyStatement[] {
  const raw = document['Statement'];
  const list = isObject(raw) ? [raw] : Array.isArray(raw) ? raw.filter(isObject) : [];
  const statements: PolicyStatement[] = [];
  for (const statement of list) {
    const effect = typeof statement['Effect'] === 'string' ? statement['Effect'].toLowerCase() : '';
    if (effect !== 'allow' && effect !== 'deny') continue;
    const notAction = !('Action' in statement) && 'NotAction' in statement;
    const actions = strings(notAction ? statement['NotAction'] : statement['Action']);
    const notResource = !('Resource' in statement) && 'NotResource' in statement;
    const resources = strings(notResource ? statement['NotResource'] : statement['Resource']);
    if (actions.length === 0 || resources.length === 0) continue;
    const condition = statement['Condition'];
    statements.push({
      effect,
      actions,
      notAction,
      resources,
      notResource,
      conditional: isObject(condition) && Object.keys(condition).length > 0,
    });
  }
  return statements;
}

/** JSON with object keys sorted, so two copies of one document written in another key order get one key. */
export function canonicalJson(value: JsonValue): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isObject(value)) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key]!)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
