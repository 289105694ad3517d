/**
 * The lock observer's outcome as the run hands it on, and the observed spans as the timeline file
 * (spans-<profile>.json) and report.html read them: each labelled with its holder and, for the target's
 * write holds, the requests it was attributed to.
 */
import type { Observation, ObservedLockSpan, ReadLockSpan } from './lock-observation.ts';
import type { LockHolderRole } from './results.ts';

/** What one observation came to. */
export type ObservationOutcome =
  | { status: 'observed'; result: Observation; observerPid: number }
  /** off: `--no-observer`; unavailable: it could not start here; failed: it started but returned nothing. */
  | { status: 'off' | 'unavailable' | 'failed'; reason: string };

/** The pids the holds are attributed by. */
export interface HolderPids {
  /**
   * The target's process: the one lockbench started (or `--target-pid` of a running target). It and every
   * process descended from it (a forking server's workers, a shell's child) are the target.
   */
  target: number;
  /** The process whose worker threads are the workflow writers (the harness). */
  workflowWriters: number;
}

/** How one hold was attributed. */
export type HoldMatch =
  | { kind: 'exact'; stream: string }
  | { kind: 'one-of'; stream: string; candidates: number }
  | { kind: 'ambiguous'; candidates: number }
  | { kind: 'none' };

/**
 * An observed span in spans-<profile>.json: who held it, by role and pid, and its command where known; a
 * write hold of the target also how it was attributed to the requests in flight (absent when no request
 * samples were read), the per-hold record behind `observed.attribution` in results.json.
 */
export type LabelledSpan<T extends ObservedLockSpan = ObservedLockSpan> = T & { holder: LockHolderRole; command?: string; worker?: boolean; attribution?: HoldMatch };

/** The observer's spans for the timeline file, each labelled with its holder. */
export interface ObservedSpansFile {
  pids: HolderPids & { observer: number };
  intervalUs: number;
  windowStartMs: number;
  windowEndMs: number;
  writeSpans: LabelledSpan[];
  checkpointSpans: LabelledSpan[];
  readLocks: LabelledSpan<ReadLockSpan>[];
}
