/**
 * The one lock-span type: a holder holding one of SQLite's locks over an interval. The target's and the
 * workflow writers' own holds and the observer's polled ones extend it, so the timeline, the cross-check
 * and the summaries read one shape. Imports nothing from target/: the standalone observer uses it too.
 */

/**
 * One holder holding one of SQLite's locks (the write lock, unless the span's place says otherwise)
 * from `startMs` to `endMs`, in fractional epoch milliseconds (harness/shared/clock.ts).
 */
export interface LockSpan {
  startMs: number;
  endMs: number;
  /** The holder's process id. */
  pid: number;
}

/**
 * A write-lock hold as its holder timed it and reports it about itself (the target's GET
 * /api/health/locks, the workflow writers' result). Beyond when and who, everything is optional: any
 * process may report bare intervals.
 */
export interface SelfReportedLockSpan extends LockSpan {
  /** Who reported it: `target`, `workflow-writer`. */
  owner?: string;
  /** What the transaction wrote: `import`, `import-batch`, `catalog-update`, `workflow-step`, ... */
  kind?: string;
  /** The request (or workflow execution) the write belongs to; null when it belongs to none. */
  requestId?: string | null;
  /** Time spent acquiring the lock before `startMs`, in milliseconds. */
  waitMs?: number;
}

/** A span's interval alone, epoch ms: what figures, overlaps and the lock model's holds need of one. */
export type TimedSpan = Pick<LockSpan, 'startMs' | 'endMs'>;

/** How long a span lasted, in milliseconds: what the observer, its analysis and its reports all measure holds by. */
export function spanMs(span: TimedSpan): number {
  return span.endMs - span.startMs;
}
