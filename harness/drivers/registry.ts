/** The load drivers by name: the built-in one by default, the user's k6 on request. */
import { createBuiltinDriver } from './builtin/driver.ts';
import { createK6Driver } from './k6/driver.ts';
import type { DriverName, LoadDriver } from './types.ts';

/** What creating a driver may need: the k6 binary given with --k6. */
export interface DriverSettings {
  k6Path: string | null;
}

export const DRIVERS: ReadonlyMap<DriverName, { summary: string; create(settings: DriverSettings): LoadDriver }> = new Map([
  ['builtin', { summary: "lockbench's own open-model driver (undici, in a worker thread); needs nothing but Node", create: () => createBuiltinDriver() }],
  ['k6', { summary: 'your own k6 >= 1.0 (from --k6, LOCKBENCH_K6 or PATH) running scenarios/*.ts', create: (s: DriverSettings) => createK6Driver({ k6Path: s.k6Path }) }],
]);

export const DRIVER_NAMES: readonly DriverName[] = [...DRIVERS.keys()];
export const DEFAULT_DRIVER: DriverName = 'builtin';

export function createDriver(name: DriverName, settings: DriverSettings): LoadDriver {
  const entry = DRIVERS.get(name);
  if (!entry) throw new Error(`unknown driver ${name}; expected one of ${DRIVER_NAMES.join(', ')}`);
  return entry.create(settings);
}
