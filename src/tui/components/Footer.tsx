// The bottom of the screen: two context lines (preview of the selection, or what a prompt asks) and the status line.
import { Box } from 'ink';
import type { Line } from '../lines.js';
import { SegmentLine } from './Segments.js';

/** Props of `Footer`. */
export interface FooterProps {
  /** Up to two lines above the status line (the selection's preview, a prompt's question and error). */
  context: readonly Line[];
  /** The status line: a prompt with its input, a message, or key hints. */
  status: Line;
  width: number;
  color: boolean;
}

/** Draws the context lines (padded to their number) and the status line. */
export function Footer({ context, status, width, color }: FooterProps) {
  return (
    <Box flexDirection="column">
      {context.map((line, index) => (
        <SegmentLine key={index} line={line} width={width} color={color} />
      ))}
      <SegmentLine line={status} width={width} color={color} />
    </Box>
  );
}
