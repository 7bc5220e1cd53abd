// The bridge between Ink and the controller: forwards keys and resizes, subscribes to the state, draws the screen.
import { useApp, useInput, useStdout } from 'ink';
import { useEffect, useSyncExternalStore } from 'react';
import { TriageScreen } from './components/TriageScreen.js';
import type { TriageController } from './controller.js';

/** Props of `TriageApp`. */
export interface TriageAppProps {
  controller: TriageController;
  color: boolean;
}

/** Holds no state of its own: the controller owns it, this only connects it to the terminal. */
export function TriageApp({ controller, color }: TriageAppProps) {
  const state = useSyncExternalStore(controller.subscribe, controller.getState);
  const { exit } = useApp();
  const { stdout } = useStdout();
  useInput(controller.key);
  useEffect(() => {
    const onResize = (): void => {
      if (stdout.columns && stdout.rows) controller.resize(stdout.columns, stdout.rows);
    };
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout, controller]);
  useEffect(() => {
    if (state.quit) exit();
  }, [state.quit, exit]);
  return <TriageScreen state={state} color={color} />;
}
