// Defensive readers for untyped JSON from export files: a field of the wrong type reads as absent, never throws.

/** A JSON object as parsed from an export file, before any validation. */
export type RawRecord = Record<string, unknown>;

/** True for a plain JSON object (not null, not an array). */
export function isRecord(value: unknown): value is RawRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A non-empty string field, or null. */
export function stringField(record: RawRecord, key: string): string | null {
  const value = record[key];
  return typeof value === 'string' && value !== '' ? value : null;
}

/** A number field (or a numeric string), or null. */
export function numberField(record: RawRecord, key: string): number | null {
  const value = record[key];
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  return null;
}

/** A boolean field (or the strings `true`/`false`), or null. */
export function booleanField(record: RawRecord, key: string): boolean | null {
  const value = record[key];
  if (typeof value === 'boolean') return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  return null;
}

/**
 * The items of a list field. Accepts a JSON array and the XML-to-JSON shape of the raw Query API
 * (`{ "member": [...] }` or `{ "member": {...} }` for a single item); anything else is an empty list.
 */
export function listField(record: RawRecord, key: string): unknown[] {
  return asList(record[key]);
}

/** A value as a list: an array, the raw API's `{ member }` wrapper, or nothing. */
export function asList(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (isRecord(value) && 'member' in value) {
    const member = value['member'];
    return Array.isArray(member) ? member : member === undefined || member === null ? [] : [member];
  }
  return [];
}

/** The object items of a list field, skipping anything that is not an object. */
export function recordList(record: RawRecord, key: string): RawRecord[] {
  return listField(record, key).filter(isRecord);
}

/** The string items of a list field (or a single string), skipping anything else. */
export function stringList(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return asList(value).filter((item): item is string => typeof item === 'string');
}
