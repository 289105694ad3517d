import { CHECKPOINT_LOCK, COMMIT_LOCK, FIRST_READ_LOCK, LOCK_COUNT, LOCK_EXCLUSIVE, LOCK_NONE, RECOVER_LOCK, WRITE_LOCK } from './layout.ts';
import type { JournalMode, JournalModeSpan, NoConnectionSpan, ObservedLockSpan, ObserveProgress, ObservedSpans, SpanStart } from '../../model/lock-observation.ts';

/** One poll: the commit counter and the state of every lock byte, read between `readFromMs` and `atMs`. */
export interface LockSample {
  /** Taken just before the commit counter and the lock bytes were read. */
  readFromMs: number;
  /** Taken just after: the state below held at some moment in [readFromMs, atMs]. */
  atMs: number;
  /** Per lock index 0..LOCK_COUNT-1 (layout.ts): LOCK_NONE, LOCK_SHARED or LOCK_EXCLUSIVE. */
  modes: ArrayLike<number>;
  pids: ArrayLike<number>;
  /** The commit counter of the journal mode (WalIndexHdr.iChange, or the file change counter) read just before the locks, or -1 when unknown. */
  changeCounter: number;
  /** False when there was no <db>-shm to read in WAL mode: no connection open, no lock held (modes all LOCK_NONE). */
  connected: boolean;
  /** The journal mode the database header said, read with the commit counter. Default 'wal'. */
  journalMode?: JournalMode;
}

/** Every span of an observation, with the times no connection had the database open and the journal modes seen. */
export interface TrackedSpans extends ObservedSpans {
  commitSpans: ObservedLockSpan[];
  noConnectionSpans: NoConnectionSpan[];
  journalModes: JournalModeSpan[];
}

interface OpenSpan {
  pid: number;
  mode: number;
  startMs: number;
  acquiredAfterMs: number;
  lastSeenMs: number;
  startedBy: SpanStart;
  changeCounter: number;
  /** The write span this one was split from on a commit; merged back if this one never commits. */
  splitFrom?: ObservedLockSpan;
}

/** Turns a sequence of samples into lock spans. Pure: no clock, no I/O. */
export interface SpanTracker {
  record(sample: LockSample): void;
  /** Closes spans still open at `atMs` and returns every span. */
  finish(atMs: number): TrackedSpans;
  progress(atMs: number, samples: number): ObserveProgress;
}

export function createSpanTracker(): SpanTracker {
  const open: Array<OpenSpan | null> = Array.from({ length: LOCK_COUNT }, () => null);
  const spans: TrackedSpans = {
    writeSpans: [],
    commitSpans: [],
    checkpointSpans: [],
    recoverSpans: [],
    readLocks: [],
    noConnectionSpans: [],
    journalModes: [],
  };
  /** The journal mode of the samples since `journalModeSinceMs`. */
  let journalMode: JournalMode | null = null;
  let journalModeSinceMs = 0;
  let previousReadFromMs: number | null = null;
  /** Start of the current time with no connection open, or null while one is. */
  let noConnectionSinceMs: number | null = null;
  let holdMaxMs: number | null = null;

  const close = (index: number, span: OpenSpan, endMs: number, endedBy: ObservedLockSpan['endedBy']): ObservedLockSpan => {
    const closed: ObservedLockSpan = {
      startMs: span.startMs,
      endMs,
      acquiredAfterMs: span.acquiredAfterMs,
      releasedAfterMs: span.lastSeenMs,
      pid: span.pid,
      startedBy: span.startedBy,
      endedBy,
    };
    if (index === WRITE_LOCK) {
      spans.writeSpans.push(closed);
      const holdMs = endMs - span.startMs;
      if (holdMaxMs === null || holdMs > holdMaxMs) holdMaxMs = holdMs;
    } else if (index === COMMIT_LOCK) {
      spans.commitSpans.push(closed);
    } else if (index === CHECKPOINT_LOCK) {
      spans.checkpointSpans.push(closed);
    } else if (index === RECOVER_LOCK) {
      spans.recoverSpans.push(closed);
    } else {
      spans.readLocks.push({ ...closed, slot: index - FIRST_READ_LOCK, mode: span.mode === LOCK_EXCLUSIVE ? 'exclusive' : 'shared' });
    }
    return closed;
  };

  /**
   * A COMMIT bumps the commit counter a moment before it releases the write lock, so a sample can fall in
   * between and split one transaction into two. A transaction taken after that commit would bump the
   * counter again when it commits; when the lock is released with the counter unchanged since the split,
   * the second part was the first one's tail, and the two are one hold.
   */
  const mergeCommitTail = (tail: OpenSpan, atMs: number): void => {
    const head = tail.splitFrom!;
    spans.writeSpans.splice(spans.writeSpans.lastIndexOf(head), 1);
    close(WRITE_LOCK, { ...tail, startMs: head.startMs, acquiredAfterMs: head.acquiredAfterMs, startedBy: head.startedBy }, atMs, 'release');
  };

  return {
    record({ readFromMs, atMs, modes, pids, changeCounter, connected, journalMode: sampleMode = 'wal' }) {
      // The commit counters of the two modes are different numbers: across a change of mode they say nothing.
      const modeChanged = journalMode !== null && sampleMode !== journalMode;
      if (journalMode === null || modeChanged) {
        if (journalMode !== null) spans.journalModes.push({ mode: journalMode, startMs: journalModeSinceMs, endMs: readFromMs });
        journalMode = sampleMode;
        journalModeSinceMs = readFromMs;
      }
      // No connection is a state of the database, not a gap in the observation: the samples go on, every
      // lock reads free, and the time is kept as spans of its own.
      if (!connected) noConnectionSinceMs ??= readFromMs;
      else if (noConnectionSinceMs !== null) {
        spans.noConnectionSpans.push({ startMs: noConnectionSinceMs, endMs: readFromMs });
        noConnectionSinceMs = null;
      }
      for (let index = 0; index < LOCK_COUNT; index++) {
        const mode = modes[index] ?? LOCK_NONE;
        const pid = pids[index] ?? 0;
        const current = open[index] ?? null;
        if (mode === LOCK_NONE) {
          if (current?.splitFrom && changeCounter === current.changeCounter) mergeCommitTail(current, atMs);
          else if (current) close(index, current, atMs, 'release');
          open[index] = null;
          continue;
        }
        if (current) {
          // A commit between two samples ends the transaction even when the same process took the lock
          // straight back (a batching importer re-takes it within microseconds): split there.
          const committed =
            index === WRITE_LOCK && !modeChanged && changeCounter >= 0 && current.changeCounter >= 0 && changeCounter !== current.changeCounter;
          if (pid === current.pid && mode === current.mode && !committed) {
            if (current.changeCounter < 0) current.changeCounter = changeCounter;
            current.lastSeenMs = readFromMs;
            continue;
          }
        }
        const closed = current ? close(index, current, atMs, 'handoff') : undefined;
        const splitOnCommit = closed !== undefined && index === WRITE_LOCK && pid === current?.pid && mode === current.mode;
        open[index] = {
          pid,
          mode,
          startMs: atMs,
          acquiredAfterMs: previousReadFromMs ?? readFromMs,
          lastSeenMs: readFromMs,
          startedBy: previousReadFromMs === null ? 'observer-start' : current ? 'handoff' : 'acquire',
          changeCounter: index === WRITE_LOCK ? changeCounter : -1,
          ...(splitOnCommit ? { splitFrom: closed } : {}),
        };
      }
      previousReadFromMs = readFromMs;
    },

    finish(atMs) {
      open.forEach((span, index) => {
        if (span) close(index, span, atMs, 'observer-stop');
        open[index] = null;
      });
      if (noConnectionSinceMs !== null) spans.noConnectionSpans.push({ startMs: noConnectionSinceMs, endMs: atMs });
      noConnectionSinceMs = null;
      if (journalMode !== null) spans.journalModes.push({ mode: journalMode, startMs: journalModeSinceMs, endMs: atMs });
      journalMode = null;
      return spans;
    },

    progress(atMs, samples) {
      const holder = (index: number) => {
        const span = open[index];
        return span ? { pid: span.pid, sinceMs: span.startMs } : null;
      };
      const readers: ObserveProgress['readers'] = [];
      for (let index = FIRST_READ_LOCK; index < COMMIT_LOCK; index++) {
        const span = open[index];
        if (span) readers.push({ slot: index - FIRST_READ_LOCK, pid: span.pid, sinceMs: span.startMs });
      }
      return {
        atMs,
        connected: noConnectionSinceMs === null,
        journalMode: journalMode ?? 'unknown',
        write: holder(WRITE_LOCK),
        committing: holder(COMMIT_LOCK),
        checkpoint: holder(CHECKPOINT_LOCK),
        readers,
        spanCount: spans.writeSpans.length,
        holdMaxMs,
        samples,
      };
    },
  };
}
