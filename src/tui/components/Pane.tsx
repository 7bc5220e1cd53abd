// A scrolled pane of prepared lines: a finding's or identity's details, granted vs used, the keys.
import { Box } from 'ink';
import type { Line } from '../lines.js';
import { SegmentLine } from './Segments.js';

/** Props of `Pane`. */
export interface PaneProps {
  lines: readonly Line[];
  scroll: number;
  height: number;
  width: number;
  color: boolean;
}

/** Draws `height` lines of `lines` from `scroll`; a last line says how much is left below. */
export function Pane({ lines, scroll, height, width, color }: PaneProps) {
  const more = lines.length - scroll - height;
  const visible = lines.slice(scroll, scroll + (more > 0 ? height - 1 : height));
  return (
    <Box flexDirection="column" height={height}>
      {visible.map((line, index) => (
        <SegmentLine key={`${scroll + index}`} line={line} width={width} color={color} />
      ))}
      {more > 0 ? (
        <SegmentLine
          line={[{ text: `↓ ${more + 1} more lines (j/k, PgDn)`, tone: 'dim' }]}
          width={width}
          color={color}
        />
      ) : null}
    </Box>
  );
}
