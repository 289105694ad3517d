/**
 * Wall-clock time in epoch milliseconds with sub-millisecond resolution, comparable across threads and
 * processes: the one clock every process of a run stamps times with (harness/shared/clock.ts), so the target's
 * self-reported spans line up with the observer's, the writers' and the driver's to microseconds.
 */
export { epochNowMs as nowMs } from '../../harness/shared/clock.ts';
