import { Counter, Histogram, type Registry } from 'prom-client';
import type { SelfReportedLockSpan } from '../../harness/shared/lock-span.ts';
import type { WriteKind } from '../db/tasks.ts';
import type { LockTiming } from './transaction.ts';
import type { DbFailure } from './errors.ts';
import { isLockTimeout } from './errors.ts';
import { summarize, type DurationStats } from './stats.ts';

/** One hold of SQLite's write lock by a writer of the target, as GET /api/health/locks serves it. */
export interface TargetLockSpan extends SelfReportedLockSpan {
  owner: 'target';
  kind: WriteKind;
  requestId: string;
  /** Time spent acquiring the lock, including any wait in the target's own write queue. */
  waitMs: number;
  /** The DB worker thread inside `pid` that held it. */
  threadId: number;
}

/** One finished write transaction, held or not. */
export interface WriteRecord {
  kind: WriteKind;
  requestId: string;
  timing: LockTiming;
  queuedMs: number;
  failure?: DbFailure;
}

export interface LockReport {
  sinceMs: number;
  holds: DurationStats;
  waits: DurationStats;
  busyErrors: Record<string, number>;
  spans: TargetLockSpan[];
}

/** Spans kept for the timeline; older ones are dropped first. */
export const MAX_RETAINED_WRITES = 200_000;

const LATENCY_BUCKETS_SECONDS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** Collects the lock wait and hold of every write transaction of the target, for /api/health/locks and /metrics. */
export class LockRecorder {
  private readonly writes: Array<{ waitMs: number; requestedAtMs: number; span?: TargetLockSpan; failureCode?: string }> = [];
  private readonly holdHistogram: Histogram<'kind'>;
  private readonly waitHistogram: Histogram<'kind'>;
  private readonly busyCounter: Counter<'code'>;

  constructor(registry: Registry) {
    this.holdHistogram = new Histogram({
      name: 'lockbench_lock_hold_seconds',
      help: 'Time a write transaction of the target held the SQLite write lock',
      labelNames: ['kind'],
      buckets: LATENCY_BUCKETS_SECONDS,
      registers: [registry],
    });
    this.waitHistogram = new Histogram({
      name: 'lockbench_lock_wait_seconds',
      help: 'Time a write transaction of the target waited for the SQLite write lock (queue included)',
      labelNames: ['kind'],
      buckets: LATENCY_BUCKETS_SECONDS,
      registers: [registry],
    });
    this.busyCounter = new Counter({
      name: 'lockbench_busy_errors_total',
      help: 'Write transactions that failed because the lock could not be had, by SQLite result code',
      labelNames: ['code'],
      registers: [registry],
    });
  }

  record(write: WriteRecord): void {
    const { timing } = write;
    const waitMs = write.queuedMs + timing.waitMs;
    const requestedAtMs = (timing.startMs ?? timing.endMs) - waitMs;
    const span: TargetLockSpan | undefined =
      timing.startMs === undefined
        ? undefined
        : {
            owner: 'target',
            kind: write.kind,
            requestId: write.requestId,
            startMs: timing.startMs,
            endMs: timing.endMs,
            waitMs,
            pid: process.pid,
            threadId: timing.threadId,
          };
    this.writes.push({ waitMs, requestedAtMs, ...(span ? { span } : {}), ...(write.failure ? { failureCode: write.failure.code } : {}) });
    if (this.writes.length > MAX_RETAINED_WRITES) this.writes.splice(0, this.writes.length - MAX_RETAINED_WRITES);
    this.waitHistogram.observe({ kind: write.kind }, waitMs / 1000);
    if (span) this.holdHistogram.observe({ kind: write.kind }, timing.holdMs / 1000);
    if (write.failure && isLockTimeout(write.failure.code)) this.busyCounter.inc({ code: write.failure.code });
  }

  /** Holds, waits and busy errors of the writes requested at or after `sinceMs`, with their spans. */
  report(sinceMs = 0): LockReport {
    const selected = this.writes.filter((w) => w.requestedAtMs >= sinceMs);
    const spans = selected.flatMap((w) => (w.span ? [w.span] : []));
    const busyErrors: Record<string, number> = {};
    for (const w of selected) {
      if (w.failureCode !== undefined && isLockTimeout(w.failureCode)) busyErrors[w.failureCode] = (busyErrors[w.failureCode] ?? 0) + 1;
    }
    return {
      sinceMs,
      holds: summarize(spans.map((s) => s.endMs - s.startMs)),
      waits: summarize(selected.map((w) => w.waitMs)),
      busyErrors,
      spans,
    };
  }
}
