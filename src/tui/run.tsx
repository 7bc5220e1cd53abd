// Runs the triage UI full screen on a terminal until the person quits, and restores the terminal after.
import { render } from 'ink';
import type { TriageData } from '../triage/types.js';
import { TriageController, type TriageSessionPort } from './controller.js';
import { initialState } from './state.js';
import { TriageApp } from './TriageApp.js';

const ENTER_ALTERNATE_SCREEN = '\u001b[?1049h';
const LEAVE_ALTERNATE_SCREEN = '\u001b[?1049l';

/** Where the UI draws and reads keys (the process's terminal by default). */
export interface TriageTerminal {
  stdout: NodeJS.WriteStream;
  stdin: NodeJS.ReadStream;
}

/** Opens the UI on the alternate screen (the shell's screen comes back on exit) and resolves when it closes. */
export async function runTriageUi(
  controller: TriageController,
  options: { color: boolean; terminal?: TriageTerminal },
): Promise<void> {
  const { stdout, stdin } = options.terminal ?? { stdout: process.stdout, stdin: process.stdin };
  stdout.write(ENTER_ALTERNATE_SCREEN);
  // Should the process end another way (a signal), the shell's screen still comes back.
  const leave = (): void => {
    stdout.write(LEAVE_ALTERNATE_SCREEN);
  };
  process.once('exit', leave);
  try {
    const instance = render(<TriageApp controller={controller} color={options.color} />, {
      stdout,
      stdin,
      exitOnCtrlC: false,
      patchConsole: true,
    });
    await instance.waitUntilExit();
    await controller.idle();
  } finally {
    process.off('exit', leave);
    leave();
  }
}

/** Builds the controller over `session` at the terminal's size and runs the UI until the person quits. */
export async function runTriage(
  session: TriageSessionPort & { current(): TriageData },
  options: { color: boolean; terminal?: TriageTerminal },
): Promise<void> {
  const stdout = options.terminal?.stdout ?? process.stdout;
  const controller = new TriageController(
    session,
    initialState(session.current(), { columns: stdout.columns || 80, rows: stdout.rows || 24 }),
  );
  await runTriageUi(controller, options);
}
