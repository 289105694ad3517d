import type { WriteSchedulerKind } from './options.ts';
import { nowMs } from './locks/clock.ts';

/** Decides when a write transaction of the target may start. */
export interface WriteScheduler {
  /** Runs `write` when its turn comes; `queuedMs` is the time it waited for that turn. */
  schedule<T>(write: () => Promise<T>): Promise<{ value: T; queuedMs: number }>;
  /** Writes waiting for their turn right now. */
  readonly queued: number;
}

/**
 * Every write goes straight to SQLite; concurrent writers contend through busy_timeout, whose handler
 * polls with growing sleeps (up to 100 ms) rather than queueing.
 */
function createSqliteScheduler(): WriteScheduler {
  return {
    async schedule(write) {
      return { value: await write(), queuedMs: 0 };
    },
    queued: 0,
  };
}

/**
 * An in-process first-in-first-out write queue: one write transaction at a time, in arrival order, so a
 * short write waits behind the batches already queued (one per concurrent importer) instead of polling.
 */
function createFifoScheduler(): WriteScheduler {
  const waiting: Array<() => void> = [];
  let busy = false;
  const release = () => {
    const next = waiting.shift();
    if (next === undefined) busy = false;
    else next();
  };
  return {
    async schedule(write) {
      const requestedAt = nowMs();
      if (busy) await new Promise<void>((resolve) => waiting.push(resolve));
      busy = true;
      const queuedMs = nowMs() - requestedAt;
      try {
        return { value: await write(), queuedMs };
      } finally {
        release();
      }
    },
    get queued() {
      return waiting.length;
    },
  };
}

export const SCHEDULER_FACTORIES: ReadonlyMap<WriteSchedulerKind, () => WriteScheduler> = new Map([
  ['sqlite', createSqliteScheduler],
  ['fifo', createFifoScheduler],
]);

export function createWriteScheduler(kind: WriteSchedulerKind): WriteScheduler {
  const create = SCHEDULER_FACTORIES.get(kind);
  if (create === undefined) throw new Error(`unknown write scheduler ${kind}`);
  return create();
}
