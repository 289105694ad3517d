/**
 * CPU time of processes, from Linux's /proc: a process's own user + system time, and that of its
 * children it has already waited for (a finished child's CPU lands there once Node has reaped it).
 * Null elsewhere, so a figure is "not measured" rather than made up.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's times; 100 on every common Linux. */
function clockTicksPerSecond(): number {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
}

let ticksPerSecond: number | undefined;

/** The fields of /proc/<pid>/stat after the command name (which may hold spaces): index 0 is field 3. */
function statFields(pid: number | 'self'): string[] | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

function ticksToMs(ticks: number): number {
  ticksPerSecond ??= clockTicksPerSecond();
  return (ticks * 1000) / ticksPerSecond;
}

/** User + system CPU of a running process, in ms (utime and stime, fields 14 and 15); null off Linux or once it is gone. */
export function processCpuMs(pid: number): number | null {
  const f = statFields(pid);
  return f === null ? null : ticksToMs(Number(f[11]) + Number(f[12]));
}

/** User + system CPU of this process's children that have exited and been reaped, in ms (cutime and cstime, fields 16 and 17). */
export function reapedChildrenCpuMs(): number | null {
  const f = statFields('self');
  return f === null ? null : ticksToMs(Number(f[13]) + Number(f[14]));
}

/** This process's CPU over all its threads (main, worker threads, libuv and V8 helpers), in ms. */
export function ownCpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}
