/**
 * The run's watchdog: a process of its own that outlives the harness. It reads lines on stdin,
 * `+<pgid>` for a process group the run started and `-<pgid>` for one it has stopped, and when stdin
 * ends (the harness exited, however it died: SIGKILL, a crash, the OOM killer) it stops every group
 * still listed: SIGTERM, then SIGKILL after {@link WATCHDOG_GRACE_MS}. Started by ./guard.ts.
 */
import { createInterface } from 'node:readline';

/** How long a group may take to end on SIGTERM before it is killed, in ms. */
export const WATCHDOG_GRACE_MS = 3_000;
/** How often the watchdog looks whether a group has ended, in ms. */
const POLL_MS = 50;

function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false; // no process of the group is left
  }
}

async function stopGroups(groups: ReadonlySet<number>): Promise<void> {
  for (const pgid of groups) signalGroup(pgid, 'SIGTERM');
  const deadline = performance.now() + WATCHDOG_GRACE_MS;
  let left = [...groups];
  while (left.length > 0 && performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    left = left.filter((pgid) => signalGroup(pgid, 0));
  }
  for (const pgid of left) signalGroup(pgid, 'SIGKILL');
}

function main(): void {
  const groups = new Set<number>();
  // A Ctrl-C or a closing terminal is the harness's to handle; the watchdog acts only when it is gone.
  for (const signal of ['SIGINT', 'SIGHUP'] as const) process.on(signal, () => undefined);
  const lines = createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    const pgid = Number(line.slice(1));
    // Never a group id that would reach every process (0, 1) or a bad line.
    if (!Number.isInteger(pgid) || pgid <= 1) return;
    if (line.startsWith('+')) groups.add(pgid);
    else if (line.startsWith('-')) groups.delete(pgid);
  });
  lines.on('close', () => {
    void stopGroups(groups).then(() => process.exit(0));
  });
}

main();
