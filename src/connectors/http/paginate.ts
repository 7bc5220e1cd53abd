// Pagination helpers for REST APIs: RFC 8288 Link headers (`rel="next"`) and cursor fields in the body.
import type { Fetch } from './fetch.js';

/** The `rel="next"` URL of a Link header, or null. */
export function nextLink(header: string | null): string | null {
  if (!header) return null;
  for (const part of header.split(',')) {
    const match = /<([^>]+)>\s*;(.*)$/.exec(part.trim());
    if (match && /\brel="?([^"]*\s)?next(\s[^"]*)?"?/.test(match[2]!)) return match[1]!;
  }
  return null;
}

/** One page as a connector reads it: its items and where the next page is (null at the end). */
export interface Page<T> {
  items: T[];
  next: string | null;
}

/** An HTTP error of a page request, carrying what a coverage entry needs. */
export class HttpStatusError extends Error {
  constructor(
    readonly url: string,
    readonly status: number,
    readonly body: string,
  ) {
    super(`${status} from ${url}${body ? `: ${body.slice(0, 200)}` : ''}`);
    this.name = 'HttpStatusError';
  }
}

/**
 * Fetches every page starting at `url`: `readPage` turns one response into items and the next URL
 * (from the Link header, a cursor in the body, …). A non-2xx response throws an HttpStatusError.
 * Stops after `maxPages` as a guard against a server that never ends.
 */
export async function* paginate<T>(
  fetch: Fetch,
  url: string,
  init: RequestInit,
  readPage: (response: Response, url: string) => Promise<Page<T>>,
  maxPages = 10_000,
): AsyncGenerator<T[]> {
  let next: string | null = url;
  for (let page = 0; next !== null && page < maxPages; page += 1) {
    const response = await fetch(next, init);
    if (!response.ok) throw new HttpStatusError(next, response.status, await response.text());
    const result = await readPage(response, next);
    yield result.items;
    next = result.next;
  }
}
