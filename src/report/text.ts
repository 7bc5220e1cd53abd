// Small text helpers the human-readable formats share: counts with separators, plurals, control-character stripping.

/** 1234567 → "1,234,567", independent of the machine's locale. */
export function formatCount(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** `1.2 GB`, `340 MB`, `12 kB`, `512 B`: decimal units, as the AWS consoles bill scanned bytes. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(value >= 100 ? 0 : 1)} ${units[unit]}`;
}

/** "1 rule", "2 rules". */
export function plural(n: number, singular: string, pluralForm = `${singular}s`): string {
  return `${formatCount(n)} ${n === 1 ? singular : pluralForm}`;
}

/**
 * Replaces control characters (ANSI escapes, carriage returns, C1 codes) with a visible `�` so a resource or
 * reason taken from a provider cannot rewrite the terminal or the page; newlines and tabs become spaces
 * unless `keepNewlines` is set.
 */
export function stripControlCharacters(text: string, keepNewlines = false): string {
  const flat = keepNewlines ? text.replace(/\r\n?/g, '\n') : text.replace(/\r\n?|\n|\t/g, ' ');
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  return flat.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '\ufffd').replace(/\t/g, ' ');
}
