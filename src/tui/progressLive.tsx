// Live scan progress on a terminal: an Ink view redrawn on every event, on resize and each half second, closed when the scan is done.
import { render, type Instance } from 'ink';
import type { ProgressEvent, ProgressListener } from '../scan/progress.js';
import { ScanProgress } from './components/ScanProgress.js';
import { applyProgress, formatProgressLine, type ProgressRow } from './progress.js';

/** A listener drawing the per-source board on `stream` (a terminal); the scan's `done` event closes it. */
export function liveProgressListener(
  stream: NodeJS.WriteStream,
  options: { color: boolean; now?: () => number },
): ProgressListener {
  const now = options.now ?? (() => Date.now());
  let rows: ProgressRow[] = [];
  let instance: Instance | null = null;
  let scanStartedAt = 0;
  let ticker: NodeJS.Timeout | null = null;

  const draw = (): void => {
    const view = (
      <ScanProgress
        rows={rows}
        nowMs={now() - scanStartedAt}
        width={stream.columns || 80}
        color={options.color}
      />
    );
    if (instance) {
      instance.rerender(view);
      return;
    }
    instance = render(view, { stdout: stream, patchConsole: false, exitOnCtrlC: false });
    stream.on('resize', draw);
    ticker = setInterval(draw, 500);
    ticker.unref();
  };
  const close = (): void => {
    if (ticker) clearInterval(ticker);
    ticker = null;
    stream.off('resize', draw);
    instance?.unmount();
    instance = null;
    rows = [];
  };

  return (event: ProgressEvent) => {
    if (!instance) scanStartedAt = now() - event.elapsedMs;
    rows = applyProgress(rows, event);
    draw();
    if (event.source === 'scan' && event.phase === 'done') close();
  };
}

/** A listener printing plain lines (start and end of each source, at most one update a second) for terminals that cannot redraw. */
export function plainProgressListener(stream: NodeJS.WritableStream): ProgressListener {
  const lastUpdate = new Map<string, number>();
  return (event: ProgressEvent) => {
    if (event.phase === 'update') {
      const last = lastUpdate.get(event.source);
      if (last !== undefined && event.elapsedMs - last < 1000) return;
    }
    lastUpdate.set(event.source, event.elapsedMs);
    stream.write(`${formatProgressLine(event)}\n`);
  };
}
