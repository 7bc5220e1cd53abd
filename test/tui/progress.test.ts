// Scan progress for a person at a terminal: the per-source board, its Ink view, plain lines, and when nothing shows.
import { EventEmitter } from 'node:events';
import { stripVTControlCharacters } from 'node:util';
import { render } from 'ink-testing-library';
import { createElement } from 'react';
import { describe, expect, it } from 'vitest';
import { progressListenerFor } from '../../src/cli/progress.js';
import type { ProgressEvent } from '../../src/scan/progress.js';
import { ScanProgress } from '../../src/tui/components/ScanProgress.js';
import { applyProgress, formatProgressLine, type ProgressRow } from '../../src/tui/progress.js';
import { liveProgressListener } from '../../src/tui/progressLive.js';

/** A scan's events: IAM exports, then CloudTrail file by file, then the scan's end. */
const EVENTS: ProgressEvent[] = [
  { source: 'aws-exports', phase: 'start', message: 'reading authorization-details.json', elapsedMs: 10 },
  {
    source: 'aws-exports',
    phase: 'done',
    message: '12 users, 9 roles',
    counts: { users: 12, roles: 9 },
    elapsedMs: 260,
  },
  { source: 'cloudtrail', phase: 'start', message: 'walking AWSLogs/', elapsedMs: 300 },
  {
    source: 'cloudtrail',
    phase: 'update',
    message: 'AWSLogs/…/2026/10/03 (12 of 306 files)',
    counts: { files: 12, events: 48210 },
    elapsedMs: 1300,
  },
  {
    source: 'cloudtrail',
    phase: 'update',
    message: 'AWSLogs/…/2026/10/04 (13 of 306 files)',
    counts: { files: 13 },
    elapsedMs: 1400,
  },
];

const board = (events: readonly ProgressEvent[]): ProgressRow[] =>
  events.reduce<ProgressRow[]>((rows, event) => applyProgress(rows, event), []);

describe('the progress board', () => {
  it('keeps one row per source, in order of appearance, with merged counts and its own elapsed time', () => {
    const rows = board(EVENTS);
    expect(rows.map((row) => row.source)).toEqual(['aws-exports', 'cloudtrail']);
    expect(rows[0]).toMatchObject({
      phase: 'done',
      counts: { users: 12, roles: 9 },
      startedMs: 10,
      lastMs: 260,
    });
    // counts an update leaves out keep their last value
    expect(rows[1]).toMatchObject({
      phase: 'update',
      message: 'AWSLogs/…/2026/10/04 (13 of 306 files)',
      counts: { files: 13, events: 48210 },
      startedMs: 300,
    });
  });

  it('prints an event as one plain line, without control characters', () => {
    expect(formatProgressLine(EVENTS[3]!)).toBe(
      '[   1.3s] cloudtrail: AWSLogs/…/2026/10/03 (12 of 306 files) (files 12 · events 48,210)',
    );
    expect(formatProgressLine({ ...EVENTS[1]!, message: 'a\u001b[2Jb' })).toBe(
      '[   0.3s] aws-exports done: a\ufffd[2Jb (users 12 · roles 9)',
    );
  });
});

describe('the progress view', () => {
  it('draws one line per source with message, counts and elapsed, within the width', () => {
    const app = render(
      createElement(ScanProgress, { rows: board(EVENTS), nowMs: 2300, width: 100, color: false }),
    );
    const lines = stripVTControlCharacters(app.lastFrame() ?? '').split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^■ aws-exports +12 users, 9 roles +users 12 · roles 9 +0\.3s$/);
    // a running source's time moves on with the clock, not only with its events
    expect(lines[1]).toMatch(
      /^▸ cloudtrail +AWSLogs\/…\/2026\/10\/04 \(13 of 306 files\) +files 13 · events 48,210 +2\.0s$/,
    );
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(100);
    // And on a narrow terminal the message gives way, counts and time stay
    app.rerender(createElement(ScanProgress, { rows: board(EVENTS), nowMs: 2300, width: 50, color: false }));
    const narrow = stripVTControlCharacters(app.lastFrame() ?? '').split('\n');
    for (const line of narrow) expect(line.length).toBeLessThanOrEqual(50);
    expect(narrow[1]).toContain('files 13 · events 48,210');
    app.unmount();
  });
});

/** A terminal-like stream that keeps what is written. */
class TerminalStream extends EventEmitter {
  isTTY = true;
  columns = 80;
  rows = 24;
  written = '';
  write(chunk: string): boolean {
    this.written += chunk;
    return true;
  }
}

describe('which progress a scan gets', () => {
  it('shows nothing when the stream is not a terminal, or in CI', () => {
    const stream = new TerminalStream();
    expect(progressListenerFor(Object.assign(stream, { isTTY: false }) as never, {})).toBeUndefined();
    expect(progressListenerFor(new TerminalStream() as never, { CI: 'true' })).toBeUndefined();
    expect(progressListenerFor(new TerminalStream() as never, { CI: 'false' })).toBeDefined();
  });

  it('prints plain lines on a dumb terminal: starts and ends, at most one update a second per source', () => {
    const stream = new TerminalStream();
    const listener = progressListenerFor(stream as never, { TERM: 'dumb' })!;
    const updates = [1400, 1500, 2600].map((elapsedMs) => ({ ...EVENTS[3]!, elapsedMs }));
    for (const event of [...EVENTS.slice(0, 3), ...updates]) listener(event);
    expect(stream.written.trimEnd().split('\n')).toEqual([
      '[   0.0s] aws-exports started: reading authorization-details.json',
      '[   0.3s] aws-exports done: 12 users, 9 roles (users 12 · roles 9)',
      '[   0.3s] cloudtrail started: walking AWSLogs/',
      '[   1.4s] cloudtrail: AWSLogs/…/2026/10/03 (12 of 306 files) (files 12 · events 48,210)',
      '[   2.6s] cloudtrail: AWSLogs/…/2026/10/03 (12 of 306 files) (files 12 · events 48,210)',
    ]);
  });

  it('draws the live board on a terminal, follows a resize, and closes when the scan is done', () => {
    // (isTTY off: Ink would otherwise hide the cursor of the test runner's own terminal)
    const stream = Object.assign(new TerminalStream(), { isTTY: false });
    const listener = liveProgressListener(stream as never, { color: false, now: () => 0 });
    for (const event of EVENTS) listener(event);
    // When the terminal narrows, then the scan ends
    stream.columns = 52;
    stream.emit('resize');
    listener({ source: 'scan', phase: 'done', message: 'scan finished', elapsedMs: 2000 });
    // Then the last frame has every source, within the new width, and the view let go of the stream
    const frames = stripVTControlCharacters(stream.written).split('\n');
    const last = frames.filter((line) => line.trim() !== '').slice(-3);
    expect(last.map((line) => line.slice(0, 13).trim())).toEqual(['■ aws-exports', '▸ cloudtrail', '■ scan']);
    for (const line of last) expect(line.length).toBeLessThanOrEqual(52);
    expect(stream.listenerCount('resize')).toBe(0);
  });
});
