import fs from 'node:fs';
import path from 'node:path';
import { Errors } from './errors.ts';
import type { ObserveResult } from '../../model/lock-observation.ts';

/** The file `--out <dir>` receives. */
export const OBSERVE_JSON = 'observe.json';

/**
 * Kernel pseudo-filesystems: nothing is written there, and Node's recursive mkdir loops forever under
 * /proc instead of failing, so they are refused by name before anything is tried.
 */
const PSEUDO_FILESYSTEMS = ['/proc', '/sys'];

const isUnder = (file: string, root: string) => file === root || file.startsWith(`${root}/`);

function refusePseudoFilesystem(dir: string, shown: string): void {
  const root = PSEUDO_FILESYSTEMS.find((r) => isUnder(dir, r));
  if (root) throw Errors.outNotWritable(shown, `${root} is a kernel pseudo-filesystem`);
}

/**
 * The nearest folder of `dir` (itself or an ancestor) that exists, and the folders below it that do not.
 * Throws OUT_NOT_WRITABLE when the path runs into something that is not a folder.
 */
function firstExistingFolder(dir: string, shown: string): { existing: string; missing: string[] } {
  const missing: string[] = [];
  let current = dir;
  for (;;) {
    let stats: fs.Stats | undefined;
    try {
      stats = fs.statSync(current, { throwIfNoEntry: false });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOTDIR') throw Errors.outNotWritable(shown, `cannot look at ${current} (${code ?? String(err)})`);
      // a component further up is a file: found on the way up
    }
    if (stats) {
      if (!stats.isDirectory()) throw Errors.outNotWritable(shown, `${current} exists and is not a folder`);
      return { existing: current, missing };
    }
    missing.unshift(current);
    current = path.dirname(current);
  }
}

/**
 * Checks, creating nothing that stays, that `dir` is a folder where a file can be written or can be made
 * one: the first existing folder on its path must take a real file (access(W_OK) alone misses a full
 * disk, for one). Throws OUT_NOT_WRITABLE saying why not. Run before observing, so that a long
 * observation never ends with nowhere to put its result.
 */
export function checkOutputDir(dir: string): void {
  const absolute = path.resolve(dir);
  refusePseudoFilesystem(absolute, dir);
  const { existing } = firstExistingFolder(absolute, dir);
  refusePseudoFilesystem(fs.realpathSync(existing), dir); // a symbolic link into /proc
  try {
    fs.accessSync(existing, fs.constants.W_OK | fs.constants.X_OK);
  } catch (err) {
    throw Errors.outNotWritable(dir, `${existing} is not writable (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  const probe = path.join(existing, `.observe-write-check-${process.pid}-${Date.now()}`);
  try {
    fs.closeSync(fs.openSync(probe, 'wx'));
    fs.unlinkSync(probe);
  } catch (err) {
    throw Errors.outNotWritable(dir, `cannot create a file in ${existing} (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
}

/** Creates `dir` and its missing parents one level at a time (never Node's recursive mkdir: see above). */
function createFolders(dir: string): void {
  const absolute = path.resolve(dir);
  refusePseudoFilesystem(absolute, dir);
  for (const folder of firstExistingFolder(absolute, dir).missing) {
    try {
      fs.mkdirSync(folder);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
}

/**
 * Writes `result` as `<dir>/observe.json`, creating `dir` if needed, atomically: to a temporary file
 * first, then renamed, so a reader never finds half a result. Returns the file written; throws the
 * file system's error when it cannot.
 */
export function writeObserveJson(dir: string, result: ObserveResult): string {
  createFolders(dir);
  const file = path.join(dir, OBSERVE_JSON);
  const partial = `${file}.${process.pid}.partial`;
  try {
    fs.writeFileSync(partial, `${JSON.stringify(result, null, 2)}\n`);
    fs.renameSync(partial, file);
  } catch (err) {
    try {
      fs.rmSync(partial, { force: true });
    } catch {
      // the write's own error is the one to report
    }
    throw err;
  }
  return file;
}
