/**
 * Where the concurrent scenario's workload lives, and whether a `--workload` path names that file: the
 * default run is built from it, so a run asked for it by name is the default run.
 */
import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SEED_WORKLOAD_PATH = fileURLToPath(new URL('../../scenarios/concurrent.workload.json', import.meta.url));

/** The file's own path, links resolved; the path as given when it cannot be read (the loader then says why). */
function realPath(path: string): string {
  try {
    return realpathSync(resolve(path));
  } catch {
    return resolve(path);
  }
}

/** Whether `path` (relative to the working folder) is scenarios/concurrent.workload.json itself. */
export function isSeedWorkload(path: string): boolean {
  return realPath(path) === realPath(SEED_WORKLOAD_PATH);
}
