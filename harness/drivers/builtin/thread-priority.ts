/**
 * The driver's threads ask the OS for precedence over the rest of the run. On a 2-core machine the
 * target, the observer and the workflow writers share the cores with the driver; when a monolithic
 * import released the lock and the target answered its backlog, the wake thread itself (which only
 * sleeps and posts) was scheduled up to 95 ms after the due time, and the catalog updates went out that
 * late: 29 of 37 sends more than 5 ms late in one run. At nice -10 there were 6, the wake thread's p99 3 ms.
 * The driver needs little CPU, so the target loses next to none. Linux only, and only where the OS lets
 * a process raise its priority (root or CAP_SYS_NICE); elsewhere nothing changes and the run says so.
 */
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';

/** The nice value the driver's threads ask for (-20 highest .. 19 lowest; 0 is the default). */
export const DRIVER_THREAD_NICE = -10;

/** The calling thread's id on Linux (`/proc/thread-self` is `<pid>/task/<tid>`); null elsewhere. */
export function threadId(): number | null {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    return Number.isInteger(tid) && tid > 0 ? tid : null;
  } catch {
    return null;
  }
}

/**
 * Sets the calling thread's nice value (threads it starts afterwards inherit it); returns the value
 * applied, or null when the OS did not allow it.
 */
export function raiseThreadPriority(nice = DRIVER_THREAD_NICE): number | null {
  const tid = threadId();
  if (tid === null) return null;
  try {
    setPriority(tid, nice);
    return nice;
  } catch {
    return null;
  }
}
