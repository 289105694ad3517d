/**
 * What a generated workload script (./workload-runtime.ts, inside k6) and the harness (./workload-answers.ts)
 * agree on: the data the script carries, the metric each answer is recorded in, and the console event by
 * which the harness follows a stream's iterations. No k6 imports: both sides read it.
 */
import type { HttpAction } from '../../../model/workload-plan.ts';

/** The workload as the script carries it: its request streams and what a lock error's speed is judged by. */
export interface ScriptWorkload {
  name: string;
  seed: number;
  /** Lock errors answered sooner than this (ms) are fast; null when the app's busy timeout is not known. */
  lockErrors: { fastBelowMs: number } | null;
  streams: Record<string, { action: HttpAction; /** Print an iteration-done event after each iteration (the harness follows it). */ followed: boolean }>;
}

/** The k6 metric with one sample per answer: tags `outcome` and `lock_failure`, the request's metadata. */
export const ANSWER_METRIC = 'lockbench_answer';

/** Metadata keys (k6 `exec.vu.metrics.metadata`) on every sample of one request: its iteration, what it acknowledged. */
export const META = { iteration: 'lockbench_n', acknowledged: 'lockbench_acknowledged' } as const;

/** The console event printed after each iteration of a stream another stream ends after. */
export const ITERATION_DONE = 'iteration-done';

/**
 * The console event the script's setup() prints just before k6 starts its scenarios, with `atMs` (epoch ms,
 * k6's clock): the load's t0, from which the side writers' SQL streams start, as the scenarios' startTime.
 */
export const LOAD_START = 'load-start';
