// Expiry dates of suppressions typed in triage: a default a quarter ahead, and validation against the scan's date.

/** Days a suppression lasts unless the person types another date. */
export const DEFAULT_SUPPRESSION_DAYS = 90;

/** The default expiry offered for a scan judged as of `asOf`: `asOf` + 90 days, as `YYYY-MM-DD`. */
export function defaultExpiry(asOf: string, days = DEFAULT_SUPPRESSION_DAYS): string {
  const date = new Date(asOf);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** A typed expiry, checked: the ISO timestamp to store, or why it is not acceptable. */
export type ParsedExpiry = { ok: true; expiresAt: string } | { ok: false; error: string };

/**
 * Parses a typed expiry (`YYYY-MM-DD` or an ISO-8601 timestamp). It must lie after the scan's date, or the
 * suppression would not hide anything.
 */
export function parseExpiry(typed: string, asOf: string): ParsedExpiry {
  const value = typed.trim();
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(value);
  if (!dateOnly && !/^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:?\d{2})$/.test(value)) {
    return { ok: false, error: 'type the expiry as YYYY-MM-DD' };
  }
  const date = new Date(dateOnly ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(date.getTime()) || (dateOnly && date.toISOString().slice(0, 10) !== value)) {
    return { ok: false, error: `${value} is not a date` };
  }
  const expiresAt = date.toISOString().replace(/\.\d{3}Z$/, 'Z');
  if (expiresAt <= asOf) {
    return { ok: false, error: `the expiry must be after the scan's date (${asOf.slice(0, 10)})` };
  }
  return { ok: true, expiresAt };
}
