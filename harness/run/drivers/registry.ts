/** The load drivers by name (harness/plan/drivers.ts lists them): the built-in one by default, the user's k6 on request. */
import { DRIVER_NAMES } from '../../plan/drivers.ts';
import { createBuiltinDriver } from './builtin/driver.ts';
import { createK6Driver } from './k6/driver.ts';
import type { LoadDriver } from './types.ts';
import type { DriverName } from '../../model/results.ts';

/** What creating a driver may need: the k6 binary given with --k6. */
export interface DriverSettings {
  k6Path: string | null;
}

const CREATE: Readonly<Record<DriverName, (settings: DriverSettings) => LoadDriver>> = {
  builtin: () => createBuiltinDriver(),
  k6: (s) => createK6Driver({ k6Path: s.k6Path }),
};

export function createDriver(name: DriverName, settings: DriverSettings): LoadDriver {
  const create = CREATE[name];
  if (!create) throw new Error(`unknown driver ${name}; expected one of ${DRIVER_NAMES.join(', ')}`);
  return create(settings);
}
