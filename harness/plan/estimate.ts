/**
 * How long a trial is expected to take, for a sweep's plan and ETA before the first trial has ended:
 * start-up, the imports' wall by the work model, and the tail. An estimate, said as one; the ETA
 * switches to measured trial times as soon as one has run.
 */
import { durationMs } from '../../scenarios/lib/env.ts';
import type { RunOptions } from './options.ts';
import type { TrialTargetOptions } from './trials.ts';

/** Starting the target, the writers and the observer, the smoke check, and stopping them, in ms (2 cores). */
export const TRIAL_OVERHEAD_MS = 8_000;

export function estimateTrialMs(target: TrialTargetOptions, options: Pick<RunOptions, 'imports' | 'artifacts' | 'prepareMs' | 'writeMs' | 'tail'>): number {
  const perArtifact = (target.prepareMs ?? options.prepareMs) + (target.writeMs ?? options.writeMs);
  // Staged prepares outside the lock, in parallel across imports; the others do all work under one lock.
  const wallMs =
    target.importMode === 'staged'
      ? options.artifacts * perArtifact + options.imports * options.artifacts * (target.writeMs ?? options.writeMs)
      : options.imports * options.artifacts * perArtifact;
  return TRIAL_OVERHEAD_MS + wallMs + durationMs(options.tail);
}
