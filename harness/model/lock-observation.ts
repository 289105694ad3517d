import type { LockSpan, SelfReportedLockSpan, TimedSpan } from '../shared/lock-span.ts';

/** One process of a holder's ancestry: its pid and command (`/proc/<pid>/comm`). */
export interface ProcessRef {
  pid: number;
  command: string;
}

/** A process seen holding a lock, as /proc described it when first seen. */
export interface HolderProcess extends ProcessRef {
  /** Its arguments (`/proc/<pid>/cmdline`), joined by spaces; empty for a kernel thread or when unreadable. */
  commandLine: string;
  /** Parent first, up to (not including) pid 1 or the first process /proc no longer shows. */
  ancestors: ProcessRef[];
  /** Epoch ms of the sample that first saw it hold a lock. */
  firstSeenMs: number;
}

/**
 * Where a database keeps its locks, as its header says: `wal` (on `<db>-shm`), `rollback` (a rollback
 * journal: DELETE, TRUNCATE, PERSIST or MEMORY; on the database file), or `unknown` (no file yet, or its
 * first page not written).
 */
export type JournalMode = 'wal' | 'rollback' | 'unknown';

/** How a span began: the lock was seen taken, passed straight to another holder, or already held when observing began. */
export type SpanStart = 'acquire' | 'handoff' | 'observer-start';
/** How a span ended: the lock was seen free, passed straight to another holder (or committed and re-taken), or observing stopped. */
export type SpanEnd = 'release' | 'handoff' | 'observer-stop';

/**
 * One interval during which one process held a lock, as seen by polling. Times are epoch ms (sub-ms
 * precision). The lock was taken after `acquiredAfterMs` (when the sample before began) and by `startMs`
 * (when the first sample that saw it held ended); it was released after `releasedAfterMs` (when the last
 * sample that saw it held began) and by `endMs` (when the first sample that saw it free ended). Each end
 * is thus known to within one sample gap, including any time the observer was not running. A span cut by
 * the end of observing (`observer-stop`) ends with the last sample, which is taken after the stop was
 * asked for: a lock released before stop() is seen released, never cut at a sample taken before.
 */
export interface ObservedLockSpan extends LockSpan {
  acquiredAfterMs: number;
  releasedAfterMs: number;
  /** Holder's pid (-1 for an open-file-description lock, 0 for a holder in another pid namespace). */
  pid: number;
  startedBy: SpanStart;
  endedBy: SpanEnd;
}

/**
 * A read-mark slot held by a process. Connections of one process share the POSIX lock, so overlapping
 * read transactions of one process show as one span: the time that process kept the slot pinned, which
 * is what holds back a checkpoint.
 */
export interface ReadLockSpan extends ObservedLockSpan {
  /** Read-mark slot 0..4 (WAL_READ_LOCK(slot), byte 123+slot of <db>-shm). */
  slot: number;
  /** shared: a reader; exclusive: a checkpointer or writer updating the read mark. */
  mode: 'shared' | 'exclusive';
}

/**
 * All spans of one observation, by lock. `writeSpans` are the write lock of the journal mode in use: WAL's
 * write lock, or a rollback journal's RESERVED lock (a write transaction open, its commit included).
 */
export interface ObservedSpans {
  writeSpans: ObservedLockSpan[];
  /**
   * Rollback-journal mode only: PENDING or EXCLUSIVE held on the database file, the commit of a write
   * transaction (waiting for readers to leave, then writing the file). Each lies inside a write span of its pid.
   * Absent in results recorded before rollback journals were observed.
   */
  commitSpans?: ObservedLockSpan[];
  checkpointSpans: ObservedLockSpan[];
  recoverSpans: ObservedLockSpan[];
  readLocks: ReadLockSpan[];
}

/**
 * A time during which no connection had the database open: SQLite's last connection had removed
 * `<db>-shm` (or none had created it yet), so no lock was held. Each end is the first sample that saw
 * the change, known to within one sample gap. Polling goes on meanwhile: this is observed time.
 */
export type NoConnectionSpan = TimedSpan;

/** A stretch of the observation in one journal mode, as the database header said it (epoch ms). */
export interface JournalModeSpan extends TimedSpan {
  mode: JournalMode;
}

/** Write-lock figures of one process. */
export interface HolderSummary {
  pid: number;
  spanCount: number;
  heldMs: number;
  holdMaxMs: number;
  /** Rollback-journal mode: time of those holds spent committing (PENDING or EXCLUSIVE). */
  committingMs: number;
}

/** Figures over one observation. Hold figures are null when the write lock was never seen held. */
export interface ObserveSummary {
  spanCount: number;
  holdP50Ms: number | null;
  holdP99Ms: number | null;
  holdMaxMs: number | null;
  holdMeanMs: number | null;
  /** Total time the write lock was held. */
  heldMs: number;
  /** Fraction (0..1) of the observed time during which the write lock was held. */
  dutyCycle: number;
  longestHold: ObservedLockSpan | null;
  /** Of the longest hold, the time spent committing (rollback-journal mode; 0 in WAL mode). */
  longestHoldCommittingMs: number;
  /** Total time spent committing (rollback-journal mode): PENDING or EXCLUSIVE held. */
  committingMs: number;
  /**
   * The journal mode of the whole observation; `changed` when the header said more than one (see
   * `journalModes`), `unknown` when the database never had a header saying one.
   */
  journalMode: JournalMode | 'changed';
  checkpointCount: number;
  checkpointMaxMs: number | null;
  /** Longest time one process kept one read-mark slot locked; checkpoint starvation shows here. */
  longestReadMs: number | null;
  longestRead: ReadLockSpan | null;
  /** Write-lock figures per holder pid, most held first. */
  holders: HolderSummary[];
}

/** Time between consecutive samples, in microseconds: the real resolution of the observation. */
export interface SampleGaps {
  p50Us: number;
  p99Us: number;
  maxUs: number;
}

/**
 * What the observer saw, as it returns it: every span and how it sampled, no figures drawn from them
 * (analysis adds those: {@link ObserveResult}).
 */
export interface Observation extends ObservedSpans {
  dbPath: string;
  /** The journal modes the database header said, in order, each with its stretch of the observation. */
  journalModes: JournalModeSpan[];
  shmPath: string;
  /** fcntl command used to query locks. */
  command: string;
  /** Requested poll interval. */
  intervalUs: number;
  /** Epoch ms of the first and last sample. */
  startedAtMs: number;
  endedAtMs: number;
  durationMs: number;
  samples: number;
  sampleGaps: SampleGaps;
  /**
   * Times a new <db>-shm was opened after the one before was removed (all connections closed, then one
   * opened again). The first `-shm` of an observation is not a reopen.
   */
  shmReopens: number;
  /**
   * Total and spans of the time with no connection open (no `-shm`): part of the observed window, in
   * which every lock was seen free. Set by every observer that knows about it; absent only in results
   * recorded before it was reported.
   */
  noConnectionMs?: number;
  noConnectionSpans?: NoConnectionSpan[];
  /**
   * Every process seen holding a lock, with its command and ancestry as /proc showed them when it was
   * first seen: what attribution by process tree rests on. Absent in results recorded before it was kept.
   */
  processes?: HolderProcess[];
  /** CPU the observer process used while polling. */
  cpu: { userMs: number; systemMs: number; percentOfOneCore: number };
}

/** An observation with its summary; written as observe.json. */
export interface ObserveResult extends Observation {
  summary: ObserveSummary;
}

/** A write hold as the observer's end-of-run summary lists it. */
export interface ListedHold {
  span: ObservedLockSpan;
  /** Its length, in ms. */
  holdMs: number;
  /** Of it, the time spent committing (rollback-journal mode; 0 in WAL mode), in ms. */
  committingMs: number;
}

/** One bucket of the write-hold histogram: holds shorter than `belowMs` (and not shorter than the bucket before); `belowMs` null for the open last bucket. */
export interface HoldBucket {
  belowMs: number | null;
  count: number;
}

/** The write holds of the application (`--pid`): the process and its descendants. */
export interface AppHolds {
  pid: number;
  holdCount: number;
  /** Distinct processes of its tree seen holding. */
  processCount: number;
  heldMs: number;
  committingMs: number;
}

/** What the observer's end-of-run summary shows: the result as observe.json holds it, and the figures the text picks out of it. */
export interface ObserveReport {
  result: ObserveResult;
  /** Every write hold when there are few, otherwise the longest, longest first. */
  listedHolds: ListedHold[];
  /** True when `listedHolds` holds every write hold (in the order observed). */
  allHoldsListed: boolean;
  holdHistogram: HoldBucket[];
  /** Null unless the application's pid was given. */
  app: AppHolds | null;
}

/** Who holds what right now; sent while observing (live line, onProgress). */
export interface ObserveProgress {
  atMs: number;
  /** False while no connection has the database open (no `-shm`). */
  connected: boolean;
  journalMode: JournalMode;
  /** In WAL mode the write lock; in rollback-journal mode RESERVED, a write transaction open. */
  write: { pid: number; sinceMs: number } | null;
  /** Rollback-journal mode: PENDING or EXCLUSIVE, the write transaction committing. */
  committing: { pid: number; sinceMs: number } | null;
  checkpoint: { pid: number; sinceMs: number } | null;
  readers: Array<{ slot: number; pid: number; sinceMs: number }>;
  spanCount: number;
  holdMaxMs: number | null;
  samples: number;
}

/** An observation under way, wherever it runs. */
export interface RunningObservation {
  readonly shmPath: string;
  /** fcntl command in use. */
  readonly command: string;
  /** Settles when observing ends: `durationMs` elapsed, stop() called, or a failure. */
  readonly finished: Promise<Observation>;
  /**
   * Stops observing (within one poll interval, after one last sample: a lock released before the call is
   * seen released) and returns what was observed. Safe to call more than once.
   */
  stop(): Promise<Observation>;
}

/** The figures the lock comparison (observe/compare.ts) sets side by side: observed against self-reported. */
export type FigureId = 'holdMaxMs' | 'holdP99Ms' | 'dutyCycle' | 'spanCount';

/**
 * The figures `allowed` and `fault` were decided on, for a report to word (harness/reports/lock-comparison.ts).
 * Comparison-wide figures (`toleranceMs`, `detectableHoldMs`, `selfTimingOverheadMs`) are on the comparison.
 */
export type FigureRule =
  /**
   * Max or p99 hold: the same rank over each observed hold's lower and over its upper bound (its own
   * sample gaps), in ms; the self-reported figure agrees within those give or take `toleranceMs`. Null
   * when nothing was observed to compare.
   */
  | { kind: 'hold-bounds'; lowMs: number | null; highMs: number | null }
  /**
   * Duty cycle: the summed holds may differ by `toleranceMs` + one gap + 4 x `samplingSdMs` of sampling
   * error (half a gap for each of `sampledHolds` holds, each observed hold end's own gap / sqrt 12) =
   * `samplingHeldMs`, and where the self-reported holds sum to more, by `selfTimingOverheadMs` for each of
   * `selfReportedHolds` = `timingHeldMs` more, over `windowMs`. All in ms.
   */
  | {
      kind: 'summed-holds';
      samplingSdMs: number;
      sampledHolds: number;
      samplingHeldMs: number;
      selfReportedHolds: number;
      timingHeldMs: number;
      windowMs: number;
    }
  /** Holds of at least `detectableHoldMs`: a fault when one on either side has no counterpart of the same pid. */
  | { kind: 'one-to-one' };

/** One figure seen from both sides. `difference` is observed minus self-reported. */
export interface FigureComparison {
  id: FigureId;
  unit: 'ms' | 'ratio' | 'count';
  observed: number | null;
  selfReported: number | null;
  difference: number | null;
  /**
   * Largest |difference| that is not a fault, on the side the difference falls (observed longer, or
   * self-reported longer: sampling and the holder's own timing allow different amounts each way). For
   * spanCount: see `rule`.
   */
  allowed: number;
  fault: boolean;
  /** How `allowed` and `fault` were decided. */
  rule: FigureRule;
}

/** A self-reported hold and the observed hold paired with it (one to one, largest overlap first). */
export interface SpanPair {
  selfReported: SelfReportedLockSpan;
  observed: ObservedLockSpan;
  /** Observed minus self-reported hold, in ms. */
  differenceMs: number;
}

export interface LockComparison {
  windowStartMs: number;
  windowEndMs: number;
  pids: number[];
  /**
   * One sample gap: the larger of the poll interval and the observed p99 gap, in ms. Sizes the long-hold
   * threshold and the duty cycle's sampling allowance; max and p99 hold use each hold's own gaps.
   */
  resolutionMs: number;
  toleranceMs: number;
  /** Allowance per self-reported hold for its holder's own timing, in the duty cycle, in ms. */
  selfTimingOverheadMs: number;
  /** Holds at least this long are always seen by the observer and are matched one by one, in ms. */
  detectableHoldMs: number;
  figures: FigureComparison[];
  /** Self-reported holds of at least detectableHoldMs paired with no observed hold of their pid. */
  selfNotObserved: SelfReportedLockSpan[];
  /** Observed holds of at least detectableHoldMs, by a compared pid, paired with no self-reported hold. */
  observedNotReported: ObservedLockSpan[];
  /** The largest differences between paired holds, worst first (at most observe/compare.ts's `WORST_PAIRS`). */
  worstPairs: SpanPair[];
  /** Write-lock holders seen by the observer that are not compared (other processes), most held first. */
  otherHolders: HolderSummary[];
  /**
   * Holds of the compared pids in the window, on each side (observed ones cut by the start or end of
   * observing left out). Polling misses many holds shorter than a sample gap, so these differ.
   */
  holdsCompared: { observed: number; selfReported: number };
  /**
   * Paired self-reported holds that run on past the write lock's release into a checkpoint by the same
   * process: an auto-checkpoint runs inside COMMIT after the release, so a hold timed to COMMIT returning includes it.
   */
  holdsIntoCheckpoint: number;
  fault: boolean;
}
