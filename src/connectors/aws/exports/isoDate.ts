// Normalizes the date forms found in AWS exports to ISO-8601 UTC without fractions: `YYYY-MM-DDTHH:MM:SSZ`.

/** Values the credential report uses for "nothing here". */
const NO_VALUE = new Set(['', 'n/a', 'not_supported', 'no_information', 'none', 'null']);

/**
 * `2019-03-31 11:36:54+00:00`, `2021-03-13T18:40:54+00:00`, `2019-01-24T19:20:51Z`, `2020-01-01T00:00:00.123Z`
 * → `2019-03-31T11:36:54Z`. Returns null for absent, placeholder (`N/A`, `not_supported`, `no_information`)
 * or unparseable values: a date that cannot be read is unknown, not an error of the whole file.
 */
export function toIsoUtc(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const text = value.trim();
  if (NO_VALUE.has(text.toLowerCase())) return null;
  // `YYYY-MM-DD HH:MM:SS` is what Python's str(datetime) writes (AirIAM, cloudsplaining); Date needs the `T`.
  const withT = /^\d{4}-\d{2}-\d{2} \d/.test(text) ? text.replace(' ', 'T') : text;
  // A time without an offset is UTC in every AWS export; JavaScript would read it as local time.
  const withZone = /T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(withT) ? `${withT}Z` : withT;
  const millis = Date.parse(withZone);
  if (Number.isNaN(millis)) return null;
  return new Date(millis).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The latest of several ISO-8601 UTC dates (as returned by toIsoUtc), or null when none is known. */
export function latestDate(dates: (string | null | undefined)[]): string | null {
  let latest: string | null = null;
  for (const date of dates) if (date && (latest === null || date > latest)) latest = date;
  return latest;
}

/** True for a credential-report placeholder meaning "no value" (`N/A`, `not_supported`, `no_information`). */
export function isNoValue(value: string): boolean {
  return NO_VALUE.has(value.trim().toLowerCase());
}
