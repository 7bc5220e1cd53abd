// Colours of the triage UI by meaning; with colour off (NO_COLOR, or not wanted) every tone prints plain.
import type { Severity } from '../model/types.js';

/** What a piece of text means, which decides its colour. */
export type Tone =
  Severity | 'heading' | 'dim' | 'accent' | 'added' | 'removed' | 'error' | 'ok' | 'suppressed';

/** How a tone is drawn: Ink `Text` props. */
export interface ToneStyle {
  color?: string;
  bold?: boolean;
  dimColor?: boolean;
}

const COLOURED: Record<Tone, ToneStyle> = {
  critical: { color: 'magenta', bold: true },
  high: { color: 'red', bold: true },
  medium: { color: 'yellow' },
  low: { color: 'cyan' },
  info: { color: 'blue' },
  heading: { bold: true },
  dim: { dimColor: true },
  accent: { color: 'cyan' },
  added: { color: 'green' },
  removed: { color: 'red' },
  error: { color: 'red', bold: true },
  ok: { color: 'green' },
  suppressed: { dimColor: true },
};

/** The Ink props of `tone`: colours only when `color` is on; bold and dim stay (they are not colours). */
export function toneStyle(tone: Tone | undefined, color: boolean): ToneStyle {
  if (!tone) return {};
  const style = COLOURED[tone];
  return color ? style : { bold: style.bold, dimColor: style.dimColor };
}

/** Whether the UI may colour: NO_COLOR (any non-empty value) turns colour off, as https://no-color.org asks. */
export function colorWanted(env: NodeJS.ProcessEnv = process.env): boolean {
  return !(env.NO_COLOR !== undefined && env.NO_COLOR !== '');
}
