/** Test support for child processes: which exist, who started them, and waiting for them to end. */
import { readdirSync, readFileSync } from 'node:fs';

/** Whether a process exists (signal 0 checks without sending anything); a zombie still counts. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** One row of the process table. */
export interface ProcessRow {
  pid: number;
  ppid: number;
  pgid: number;
  /** The kernel's state letter: R, S, D, Z (a zombie: ended, not yet reaped) ... */
  state: string;
  command: string;
}

/** Every process now, from /proc (Linux). */
export function processTable(): ProcessRow[] {
  const rows: ProcessRow[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // The command sits in parentheses and may hold spaces; the fields after it are plain.
      const close = stat.lastIndexOf(')');
      const [state, ppid, pgid] = stat.slice(close + 2).split(' ');
      rows.push({ pid: Number(name), ppid: Number(ppid), pgid: Number(pgid), state: state!, command: stat.slice(stat.indexOf('(') + 1, close) });
    } catch {
      // Ended while the table was read.
    }
  }
  return rows;
}

/** `pid`'s children, their children and so on, now. */
export function descendantsOf(pid: number, table: readonly ProcessRow[] = processTable()): ProcessRow[] {
  const found: ProcessRow[] = [];
  const parents = new Set([pid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const row of table) {
      if (parents.has(row.ppid) && !parents.has(row.pid)) {
        parents.add(row.pid);
        found.push(row);
        grew = true;
      }
    }
  }
  return found;
}

/** The processes of `pids`, or in the groups `pgids`, that still run (zombies have ended). */
export function stillRunning(pids: readonly number[], pgids: readonly number[] = []): ProcessRow[] {
  const wanted = new Set(pids);
  const groups = new Set(pgids);
  return processTable().filter((row) => row.state !== 'Z' && (wanted.has(row.pid) || groups.has(row.pgid)));
}

/** How often {@link waitUntilGone} looks, in ms. */
const POLL_MS = 50;

/** Polls `find` until it finds nothing, or `withinMs` has passed; returns what it found last (empty when all ended). */
export async function waitUntilNone(find: () => ProcessRow[], withinMs: number): Promise<ProcessRow[]> {
  const deadline = performance.now() + withinMs;
  for (;;) {
    const left = find();
    if (left.length === 0 || performance.now() > deadline) return left;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/**
 * Polls until none of `pids` and no process of `pgids` runs, or `withinMs` has passed; returns what
 * still runs then (empty when all ended).
 */
export function waitUntilGone(pids: readonly number[], pgids: readonly number[], withinMs: number): Promise<ProcessRow[]> {
  return waitUntilNone(() => stillRunning(pids, pgids), withinMs);
}

/** The running processes whose environment holds `entry` (e.g. `TMPDIR=<a folder of one run>`): every process a run started inherits it. */
export function processesWithEnv(entry: string): ProcessRow[] {
  return processTable().filter((row) => {
    if (row.state === 'Z' || row.pid === process.pid) return false;
    try {
      return readFileSync(`/proc/${row.pid}/environ`, 'utf8').split('\0').includes(entry);
    } catch {
      return false; // ended, or not ours to read
    }
  });
}
