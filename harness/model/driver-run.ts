/**
 * What a load driver's run came to (harness/run/drivers/types.ts `LoadDriver.run`), as the run passes it on
 * to the analysis of the trial.
 */
import type { LockbenchSummary } from '../../scenarios/lib/contract.ts';

/** How a driver run ended. */
export interface DriverRun {
  /** The scenario ran to its end (not aborted, the driver did not fail). */
  completed: boolean;
  aborted: boolean;
  /** Why the driver failed, when it did. */
  failure?: string;
  /** Epoch ms when the load began. */
  startedAtMs: number;
  durationMs: number;
  /** Per-run figures (imports, latency per stream, request success); null when the driver wrote none. */
  summary: LockbenchSummary | null;
  /** Files written, relative names are the caller's business: absolute paths or null. */
  files: { summary: string | null; log: string | null; samples: string | null };
}
