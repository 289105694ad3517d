/**
 * No process group a run starts (a target, k6) outlives the run, however the run ends:
 * - at a normal exit (process.exit, an uncaught error) an 'exit' handler kills the group;
 * - when the harness itself dies without running it (SIGKILL, a crash, the OOM killer), the run's
 *   watchdog (./watchdog.ts, a process of its own) sees its stdin close and stops the group.
 * The kernel offers no "kill my children when I die" that reaches a child's own children (Linux's
 * PR_SET_PDEATHSIG covers one process, and only one that sets it itself); a process group does.
 */
import { spawn } from 'node:child_process';
import type { Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { entryPoint } from '../../shared/entry-points.ts';

const WATCHDOG_FILE = fileURLToPath(new URL('./watchdog.ts', import.meta.url));

let watchdog: Socket | undefined;

/** The watchdog's stdin, started on first use. It keeps neither this process alive nor any pipe of its parent. */
function watchdogInput(): Socket {
  if (watchdog && !watchdog.destroyed) return watchdog;
  const entry = entryPoint(WATCHDOG_FILE, { inherited: [] });
  // Its own process group: a Ctrl-C or a group SIGTERM meant for the run must not take it first.
  const child = spawn(process.execPath, [...entry.execArgv, entry.file], { stdio: ['pipe', 'ignore', 'ignore'], detached: true });
  child.unref();
  const input = child.stdin as Socket;
  input.unref();
  // The watchdog gone (killed by hand) leaves the 'exit' handlers; a write to it must not crash the run.
  input.on('error', () => undefined);
  watchdog = input;
  return input;
}

function killGroup(pgid: number): void {
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    // The group is gone already.
  }
}

/**
 * Guards the process group `pgid` (a child spawned with `detached: true`) until the returned release is
 * called, once the group has been stopped.
 */
export function guardProcessGroup(pgid: number): () => void {
  const onExit = () => killGroup(pgid);
  process.once('exit', onExit);
  const input = watchdogInput();
  input.write(`+${pgid}\n`);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    process.off('exit', onExit);
    if (!input.destroyed) input.write(`-${pgid}\n`);
  };
}
