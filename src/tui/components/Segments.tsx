// One screen line of toned segments, cut to the width so the layout never wraps.
import { Text } from 'ink';
import type { Line } from '../lines.js';
import { toneStyle } from '../theme.js';

/** Props of `SegmentLine`. */
export interface SegmentLineProps {
  line: Line;
  width: number;
  color: boolean;
  /** Drawn in reverse video (the selected row). */
  inverse?: boolean;
}

/** Draws `line` within `width` columns, padding the rest with spaces. */
export function SegmentLine({ line, width, color, inverse = false }: SegmentLineProps) {
  let room = width;
  const parts = line.map((segment, index) => {
    const text =
      segment.text.length > room ? `${segment.text.slice(0, Math.max(0, room - 1))}…` : segment.text;
    const shown = room <= 0 ? '' : text;
    room -= shown.length;
    return (
      <Text key={index} {...toneStyle(segment.tone, color)} inverse={inverse}>
        {shown}
      </Text>
    );
  });
  return (
    <Text wrap="truncate-end">
      {parts}
      <Text inverse={inverse}>{' '.repeat(Math.max(0, room))}</Text>
    </Text>
  );
}
