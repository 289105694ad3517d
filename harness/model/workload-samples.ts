/**
 * What a run measured of a workload, for the criteria to judge: every request and SQL write as measured
 * and classified, and the no-loss counts taken in the database after the load.
 */
import type { LockFailure } from '../shared/lock-errors.ts';

export type AnswerOutcome = 'success' | 'partial' | 'lock-error' | 'error';

/** One request or SQL write as measured and classified. Times are epoch ms on one clock. */
export interface WorkloadSample {
  stream: string;
  scheduledMs: number | null;
  /** First byte sent (a write: BEGIN issued); null when it never was. */
  sentMs: number | null;
  endMs: number;
  /** HTTP status, 0 for none (SQL writes: 0). */
  status: number;
  outcome: AnswerOutcome;
  lockFailure: LockFailure | null;
  /** What the answer acknowledged as stored (a write: 1 when committed); null when it does not say. */
  acknowledged: number | null;
}

/**
 * A request that got no HTTP answer at all (timeout, reset, refused): an error without a status, whatever
 * the stream's rules say. For a request stream's samples only: an SQL write's status is always 0.
 */
export function isUnanswered(s: Pick<WorkloadSample, 'outcome' | 'status'>): boolean {
  return s.outcome === 'error' && s.status === 0;
}

/** What the run counted in the database for one no-loss criterion. */
export interface NoLossCount {
  /** The criterion's `count` SQL; null when it could not be run. */
  found: number | null;
  /** PRAGMA integrity_check said ok; null when not checked. */
  integrityOk: boolean | null;
}
