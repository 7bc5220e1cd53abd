// Which progress display a scan gets: a live per-source view on a terminal, nothing in CI or when output is piped.
import type { ProgressListener } from '../scan/progress.js';
import { liveProgressListener, plainProgressListener } from '../tui/progressLive.js';
import { colorWanted } from '../tui/theme.js';

/** True when the environment says CI (`CI` or `CONTINUOUS_INTEGRATION`, unless `0` or `false`), as Ink judges it. */
export function inCi(env: NodeJS.ProcessEnv = process.env): boolean {
  const set = (key: string): boolean => key in env && env[key] !== '0' && env[key] !== 'false';
  return set('CI') || set('CONTINUOUS_INTEGRATION');
}

/**
 * The progress listener for `stream` (normally stderr): undefined in CI or when the stream is not a terminal
 * (a scan then stays quiet), plain lines on a dumb terminal, else a live view with one line per source.
 */
export function progressListenerFor(
  stream: NodeJS.WriteStream,
  env: NodeJS.ProcessEnv = process.env,
): ProgressListener | undefined {
  if (!stream.isTTY || inCi(env)) return undefined;
  if (env.TERM === 'dumb') return plainProgressListener(stream);
  return liveProgressListener(stream, { color: colorWanted(env) });
}
