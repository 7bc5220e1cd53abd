// Decodes IAM policy documents (object, JSON string, URL-encoded string) and lists the permissions they state.
import type { Grant, JsonObject } from '../../../model/types.js';
import { isRecord, stringList, type RawRecord } from './rawValues.js';

/** One permission a policy states, before it is attached to an identity. */
export type PolicyPermission = Omit<Grant, 'identityId' | 'sourcePolicy'>;

/** A decoded document, or why it could not be decoded. */
export type DecodedPolicy = { ok: true; document: RawRecord } | { ok: false; message: string };

/** The permissions of a policy, or why the policy is malformed. */
export type PolicyPermissions =
  { ok: true; permissions: PolicyPermission[] } | { ok: false; message: string };

/**
 * A policy document as the exports hold it: an object (CLI and SDK output), a JSON string, or the
 * RFC 3986 URL-encoded JSON string of the raw IAM API (`%7B%22Version%22…`).
 */
export function decodePolicyDocument(value: unknown): DecodedPolicy {
  if (isRecord(value)) return { ok: true, document: value };
  if (typeof value !== 'string') return { ok: false, message: 'the policy document is missing' };
  const text = value.trim();
  let json = text;
  if (!text.startsWith('{')) {
    try {
      json = decodeURIComponent(text);
    } catch {
      return { ok: false, message: 'the policy document is neither JSON nor URL-encoded JSON' };
    }
  }
  try {
    const parsed: unknown = JSON.parse(json);
    return isRecord(parsed)
      ? { ok: true, document: parsed }
      : { ok: false, message: 'the policy document is not a JSON object' };
  } catch (error) {
    return { ok: false, message: `the policy document is not valid JSON (${(error as Error).message})` };
  }
}

/** The statements of a document: `Statement` may be one object or an array. Null when there is none. */
export function statementsOf(document: RawRecord): RawRecord[] | null {
  const statement = document['Statement'];
  if (isRecord(statement)) return [statement];
  if (Array.isArray(statement)) return statement.filter(isRecord);
  return null;
}

/** `allow`/`deny` from a statement's Effect (AWS writes `Allow`/`Deny`), or null when missing or unknown. */
export function effectOf(statement: RawRecord): 'allow' | 'deny' | null {
  const effect = statement['Effect'];
  if (typeof effect !== 'string') return null;
  const lower = effect.toLowerCase();
  return lower === 'allow' || lower === 'deny' ? lower : null;
}

/** True when a statement carries a non-empty Condition block. */
export function hasCondition(statement: RawRecord): boolean {
  const condition = statement['Condition'];
  return isRecord(condition) && Object.keys(condition).length > 0;
}

/** An action pattern as written, with its service prefix lower-cased: `S3:GetObject` → `s3:GetObject`. */
export function normalizeActionPattern(action: string): string {
  const trimmed = action.trim();
  const colon = trimmed.indexOf(':');
  return colon < 0 ? trimmed : `${trimmed.slice(0, colon).toLowerCase()}${trimmed.slice(colon)}`;
}

/**
 * One permission per (Action or NotAction pattern × Resource) of each statement of an identity policy.
 * A statement with NotResource yields resource `*`: the grant then reads "everywhere", which over-states
 * rather than hides what the statement allows (the excluded resources are in the policy document).
 * A statement without Effect, without Action/NotAction or without Resource/NotResource makes the whole
 * policy malformed: AWS would have refused it, so the export is damaged and no part of it is trusted.
 */
export function permissionsOfPolicy(document: RawRecord): PolicyPermissions {
  const statements = statementsOf(document);
  if (statements === null) return { ok: false, message: 'the policy has no Statement' };
  const permissions: PolicyPermission[] = [];
  for (const [index, statement] of statements.entries()) {
    const where = `statement ${index + 1}${typeof statement['Sid'] === 'string' && statement['Sid'] ? ` (${statement['Sid']})` : ''}`;
    const effect = effectOf(statement);
    if (effect === null) {
      return { ok: false, message: `${where} has no valid Effect (expected "Allow" or "Deny")` };
    }
    const notAction = 'NotAction' in statement && !('Action' in statement);
    const actions = stringList(notAction ? statement['NotAction'] : statement['Action']);
    if (actions.length === 0) return { ok: false, message: `${where} has no Action or NotAction` };
    const resources = 'NotResource' in statement ? ['*'] : stringList(statement['Resource']);
    if (resources.length === 0) return { ok: false, message: `${where} has no Resource or NotResource` };
    const conditional = hasCondition(statement);
    for (const action of actions) {
      for (const resource of resources) {
        permissions.push({
          permission: normalizeActionPattern(action),
          resource,
          effect,
          notAction,
          conditional,
        });
      }
    }
  }
  return { ok: true, permissions };
}

/** A decoded document as JSON, for attributes (it came from JSON, so it is JSON). */
export function asJsonObject(document: RawRecord): JsonObject {
  return document as JsonObject;
}
