import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

/** The tsx ESM loader as an absolute URL, so a child or worker finds it whatever its working directory. */
const TSX_LOADER_URL = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/**
 * Node flags to run `file` in a new worker or process: `inherited`, plus the tsx loader when the file is
 * TypeScript. The loader is added even when `inherited` names it already (under tsx): a worker thread
 * does not get the parent's module hooks, and the inherited flag alone does not register them there.
 */
export function execArgvFor(file: string, inherited: readonly string[] = process.execArgv): string[] {
  return file.endsWith('.ts') ? [...inherited, '--import', TSX_LOADER_URL] : [...inherited];
}
