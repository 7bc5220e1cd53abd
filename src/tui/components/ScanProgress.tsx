// The live progress of a scan: one line per source with what it reads, its counts and its time.
import { Box } from 'ink';
import { formatCounts, formatElapsed, rowElapsed, type ProgressRow } from '../progress.js';
import { clean, fit } from '../text.js';
import { SegmentLine } from './Segments.js';

/** Props of `ScanProgress`. */
export interface ScanProgressProps {
  rows: readonly ProgressRow[];
  /** Scan time now (ms), so a running source's time moves between events. */
  nowMs: number;
  width: number;
  color: boolean;
}

/** Draws one line per source: `▸`/`■`, the source, its message, its counts, its elapsed time. */
export function ScanProgress({ rows, nowMs, width, color }: ScanProgressProps) {
  const sourceWidth = Math.min(14, Math.max(6, ...rows.map((row) => row.source.length)) + 1);
  return (
    <Box flexDirection="column">
      {rows.map((row) => {
        const counts = formatCounts(row.counts);
        const time = formatElapsed(rowElapsed(row, nowMs)).padStart(7);
        const room = Math.max(
          0,
          width - 2 - sourceWidth - time.length - 1 - (counts ? counts.length + 2 : 0),
        );
        const running = row.phase !== 'done';
        return (
          <SegmentLine
            key={row.source}
            width={width}
            color={color}
            line={[
              { text: running ? '▸ ' : '■ ', tone: running ? 'accent' : 'ok' },
              { text: fit(clean(row.source), sourceWidth), tone: 'heading' },
              { text: fit(clean(row.message), room), tone: running ? undefined : 'dim' },
              { text: counts ? `  ${counts}` : '', tone: 'dim' },
              { text: ` ${time}`, tone: 'dim' },
            ]}
          />
        );
      })}
    </Box>
  );
}
