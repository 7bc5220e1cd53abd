// The streaming scanner cuts the same events out of a document however the stream splits it into chunks.
import { describe, expect, it } from 'vitest';
import { EventFieldReader } from '../../../src/usage/cloudtrail/eventFields.js';
import { JsonEventScanner, JsonScanError } from '../../../src/usage/cloudtrail/eventScanner.js';
import type { ObservedEvent } from '../../../src/usage/cloudtrail/observedEvent.js';
import { stratus } from './corpus.js';

/** Scans `bytes` pushed in chunks of `size` and returns the events read (or the error thrown). */
function scan(bytes: Buffer, size: number): { events: ObservedEvent[]; nonObjects: number } {
  const reader = new EventFieldReader();
  const events: ObservedEvent[] = [];
  let nonObjects = 0;
  const scanner = new JsonEventScanner({
    object: (scanned) => {
      const event = reader.read(scanned);
      if (typeof event !== 'string') events.push(event);
    },
    nonObject: () => nonObjects++,
  });
  for (let i = 0; i < bytes.length; i += size) scanner.push(bytes.subarray(i, i + size));
  scanner.end();
  return { events, nonObjects };
}

describe('JsonEventScanner', () => {
  it('reads the same events whatever the chunk size, across escapes, multi-byte characters and keys cut in two', () => {
    // Given an S3 delivery of real events, with escaped quotes and backslashes, accents and emoji in the fields read
    const [first, second] = stratus.federationToken();
    const tricky = {
      ...first,
      eventID: 'tricky-1',
      userAgent: 'agent "quoted" \\ back\\slash — café 🚀',
      sourceIPAddress: '198.51.100.7',
      requestParameters: { policy: '{"Statement":[{"Effect":"Allow","Action":"*"}]} \\"' },
    };
    const bytes = Buffer.from(`\uFEFF{"Records": [${JSON.stringify(tricky)}, ${JSON.stringify(second)}]}`);

    // When it is pushed whole, and then in chunks of every size from 1 to 97 bytes
    const whole = scan(bytes, bytes.length);

    // Then every split gives the same events
    expect(whole.events).toHaveLength(2);
    expect(whole.events[0]!.userAgent).toBe(tricky.userAgent);
    for (let size = 1; size < 98; size++) expect(scan(bytes, size)).toEqual(whole);
  });

  it('reads bare arrays and one event per line, and counts elements that are not objects', () => {
    const [event] = stratus.consoleLogin();
    const line = JSON.stringify(event);
    expect(scan(Buffer.from(`${line}\n${line}\n`), 7).events).toHaveLength(2);
    expect(scan(Buffer.from(`[${line}, 42, "text", [1, 2], null]`), 5)).toMatchObject({ nonObjects: 4 });
    expect(scan(Buffer.from('[]'), 1).events).toEqual([]);
  });

  it('reports mismatched brackets and input that stops inside a value, with the byte position', () => {
    expect(() => scan(Buffer.from('[{"a": [1, 2}]'), 4)).toThrow(
      new JsonScanError("invalid JSON at byte 12: unexpected '}'", 12),
    );
    expect(() => scan(Buffer.from('[{"eventName": "x"'), 3)).toThrow(
      /^unexpected end of data at byte 18: the value starting at byte 1 is incomplete$/,
    );
  });
});
