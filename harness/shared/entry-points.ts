/**
 * How lockbench starts the files it runs as threads or processes of their own (the target, its DB
 * threads, the workflow writers, the lock observer, the built-in driver): from their bundle when one
 * is built for this process (harness/shared/bundle/bundle.mjs, named in {@link ENTRY_POINTS_ENV}), else from
 * the TypeScript source under tsx (a test that starts one piece alone).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { bundleEntryPoints as bundle, bundleFile, ENTRY_POINTS, ENTRY_POINTS_ENV, REPO_ROOT } from './bundle/bundle.mjs';

/** The tsx ESM loader as an absolute URL, so a child or worker finds it whatever its working directory. */
const TSX_LOADER_URL = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/** Drops the tsx loader flags (`--import tsx`, `--require .../tsx/...`) from inherited Node flags. */
export function withoutTsx(execArgv: readonly string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i < execArgv.length; i += 1) {
    const flag = execArgv[i]!;
    const value = execArgv[i + 1];
    if ((flag === '--import' || flag === '--require' || flag === '--loader') && value !== undefined && /(^tsx$|[\\/]tsx[\\/])/.test(value)) {
      i += 1;
      continue;
    }
    if (/^--(import|require|loader)=(tsx$|.*[\\/]tsx[\\/])/.test(flag)) continue;
    kept.push(flag);
  }
  return kept;
}

export interface EntryPointLaunch {
  /** The file to run: the bundle when one is built, else the TypeScript source. */
  file: string;
  /** Node flags to run it with: the inherited ones, plus tsx where TypeScript is loaded. */
  execArgv: string[];
  bundled: boolean;
}

export interface EntryPointOptions {
  /** Node flags to start from; default this process's. */
  inherited?: readonly string[];
  /** The thread imports TypeScript of its own at run time (a target's adapter module): keep tsx. */
  importsTypeScript?: boolean;
}

/** How to start `sourceFile` (an absolute path to one of {@link ENTRY_POINTS}, or any other file). */
export function entryPoint(sourceFile: string, options: EntryPointOptions = {}): EntryPointLaunch {
  const inherited = options.inherited ?? process.execArgv;
  const dir = process.env[ENTRY_POINTS_ENV];
  const entry = relative(REPO_ROOT, sourceFile).split(sep).join('/');
  if (dir && ENTRY_POINTS.includes(entry) && existsSync(bundleFile(dir, entry))) {
    const execArgv = withoutTsx(inherited);
    return { file: bundleFile(dir, entry), execArgv: options.importsTypeScript ? [...execArgv, '--import', TSX_LOADER_URL] : execArgv, bundled: true };
  }
  // The loader is added even when `inherited` names it already (under tsx): a worker thread does not
  // get the parent's module hooks, and the inherited flag alone does not register them there.
  return { file: sourceFile, execArgv: sourceFile.endsWith('.ts') ? [...inherited, '--import', TSX_LOADER_URL] : [...inherited], bundled: false };
}

/** Node flags for a Worker or child process running `file`; see {@link entryPoint}. */
export function execArgvFor(file: string, inherited: readonly string[] = process.execArgv): string[] {
  return entryPoint(file, { inherited }).execArgv;
}

/**
 * Makes sure the entry points are bundled for this process and the ones it starts: a command run
 * through scripts/run.mjs has them already; otherwise they are bundled now (about 0.1 s). Returns the
 * folder, or null when they could not be (a read-only node_modules): they then start from source.
 */
export async function bundleEntryPoints(): Promise<string | null> {
  const dir = process.env[ENTRY_POINTS_ENV];
  if (dir && ENTRY_POINTS.every((entry) => existsSync(bundleFile(dir, entry)))) return dir;
  try {
    return await bundle();
  } catch {
    return null;
  }
}
