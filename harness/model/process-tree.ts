/**
 * Questions about the processes an observation recorded (observe/types.ts `processes`): whether a holder
 * is in the target's process tree, whether it is a forking server's worker. Pure, over recorded data, so
 * the lock comparison and the reports ask them without reading /proc (observe/processes.ts does that,
 * while observing).
 */
import type { HolderProcess } from './lock-observation.ts';

/** Whether `pid` is `root` or one of its descendants, by the ancestry recorded when it was seen. */
export function inProcessTree(pid: number, root: number, processes: ReadonlyMap<number, HolderProcess>): boolean {
  if (pid === root) return true;
  return processes.get(pid)?.ancestors.some((a) => a.pid === root) ?? false;
}

/**
 * Whether the process runs the same command as its parent: a forking server's worker (gunicorn, node
 * cluster, puma), which reports call "<command> worker". With `root`, only a descendant of `root` whose
 * parent is in that tree too: the process lockbench started is no worker of lockbench's own node.
 */
export function isWorkerOfParent(process: HolderProcess, root?: number): boolean {
  const parent = process.ancestors[0];
  if (parent === undefined || parent.command !== process.command) return false;
  return root === undefined || (process.pid !== root && (parent.pid === root || process.ancestors.some((a) => a.pid === root)));
}

/** The processes of an observation by pid. */
export function processesByPid(processes: readonly HolderProcess[] | undefined): Map<number, HolderProcess> {
  return new Map((processes ?? []).map((p) => [p.pid, p]));
}

/**
 * The command of `pid` as the observation knows it: its own when it was seen holding, else as an ancestor
 * of a process that was (the process lockbench started, a forking server's parent, holds nothing itself).
 */
export function commandOf(pid: number, processes: ReadonlyMap<number, HolderProcess>): string | undefined {
  const own = processes.get(pid)?.command;
  if (own !== undefined) return own;
  for (const process of processes.values()) {
    const ancestor = process.ancestors.find((a) => a.pid === pid);
    if (ancestor) return ancestor.command;
  }
  return undefined;
}
