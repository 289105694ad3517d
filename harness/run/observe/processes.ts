/**
 * Who a lock holder is: its command and its ancestry, read from /proc the moment the observer first sees
 * it hold a lock (it is alive then: it holds the lock). Attribution by process tree rests on this: a
 * forking server's workers are children of the process that was started, and a worker that dies and is
 * replaced is a new pid, described when it first holds a lock.
 */
import fs from 'node:fs';
import type { HolderProcess, ProcessRef } from '../../model/lock-observation.ts';

/** Ancestors read at most this deep: deeper trees are cut, never looped over. */
const MAX_ANCESTRY = 64;

function readProc(pid: number, file: string): string | null {
  try {
    return fs.readFileSync(`/proc/${pid}/${file}`, 'latin1');
  } catch {
    return null;
  }
}

/** Command and parent pid from `/proc/<pid>/stat` ("pid (comm) state ppid ..."; comm may hold spaces and parentheses). */
function statOf(pid: number): { command: string; ppid: number } | null {
  const stat = readProc(pid, 'stat');
  if (stat === null) return null;
  const open = stat.indexOf('(');
  const close = stat.lastIndexOf(')');
  if (open === -1 || close === -1) return null;
  const ppid = Number(stat.slice(close + 2).split(' ')[1]);
  return Number.isInteger(ppid) ? { command: stat.slice(open + 1, close), ppid } : null;
}

/** `pid` as /proc shows it now, or null when there is no such process (or it is in another pid namespace: pid <= 0). */
export function describeProcess(pid: number, firstSeenMs: number): HolderProcess | null {
  if (pid <= 0) return null;
  const own = statOf(pid);
  if (!own) return null;
  const ancestors: ProcessRef[] = [];
  for (let ppid = own.ppid; ppid > 1 && ancestors.length < MAX_ANCESTRY; ) {
    const parent = statOf(ppid);
    if (!parent) break;
    ancestors.push({ pid: ppid, command: parent.command });
    ppid = parent.ppid;
  }
  const commandLine = (readProc(pid, 'cmdline') ?? '').split('\0').filter(Boolean).join(' ');
  return { pid, command: own.command, commandLine, ancestors, firstSeenMs };
}
