/**
 * The load drivers a run may choose, as data: their names, what each is, and what each needs from the
 * command line. The implementations are run's (harness/run/drivers/registry.ts); a plan only names one.
 */
import type { DriverName } from '../model/results.ts';

/** What a driver needs besides the plan: `k6Path`, the k6 binary given with --k6 (null: $LOCKBENCH_K6, else PATH). */
export type DriverNeed = 'k6Path';

export interface DriverChoice {
  summary: string;
  needs: readonly DriverNeed[];
  /**
   * Whether it reads the scenario's settings from the environment (k6's scripts do, as strings); a
   * driver that does not takes the typed scenario description alone, so no environment is built for it.
   */
  readsEnv: boolean;
}

export const DRIVER_CHOICES: ReadonlyMap<DriverName, DriverChoice> = new Map<DriverName, DriverChoice>([
  ['builtin', { summary: "lockbench's own open-model driver (undici, in a worker thread); needs nothing but Node", needs: [], readsEnv: false }],
  ['k6', { summary: 'your own k6 >= 1.0 (from --k6, LOCKBENCH_K6 or PATH) running scenarios/*.ts', needs: ['k6Path'], readsEnv: true }],
]);

export const DRIVER_NAMES: readonly DriverName[] = [...DRIVER_CHOICES.keys()];
export const DEFAULT_DRIVER: DriverName = 'builtin';
