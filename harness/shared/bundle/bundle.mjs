// @ts-check
/**
 * Bundles lockbench's TypeScript entry points with esbuild into plain JavaScript, so that a command,
 * the target and each of their threads start without loading tsx and compiling their modules: about
 * 0.3 s a thread on 2 cores, 2 s for the target's eight DB threads. Plain JavaScript, so that
 * scripts/run.mjs can use it before anything TypeScript runs.
 *
 * The bundles live in `node_modules/.cache/lockbench/entry-points/<hash of their content>/`, beside the
 * packages they import (packages stay imports of node_modules), so the same code is bundled once and
 * a changed file gets a new folder.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The repository root. */
export const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/** The files lockbench starts as threads or processes of their own, relative to the repository root. */
export const ENTRY_POINTS = Object.freeze([
  'scripts/target.ts',
  'target/executor/worker.ts',
  'harness/run/workflow-writers/worker.ts',
  'harness/run/observe/child.ts',
  'harness/run/observe/poll-worker.ts',
  'harness/run/drivers/builtin/worker.ts',
  'harness/run/target-process/watchdog.ts',
]);

/** Names the bundle folder for this process and every thread and process it starts (they inherit it). */
export const ENTRY_POINTS_ENV = 'LOCKBENCH_ENTRY_POINTS';

const CACHE_DIR = join(REPO_ROOT, 'node_modules', '.cache', 'lockbench', 'entry-points');
/** Bundle folders of older code, not written for this long, are removed when a new one is written. */
const STALE_AFTER_MS = 24 * 60 * 60 * 1000;

/** The bundle of `entry` (relative to the repository root) inside a bundle folder. */
export function bundleFile(dir, entry) {
  return join(dir, entry.replace(/\.ts$/, '.mjs'));
}

/**
 * Each source file of the repository keeps its own `import.meta.url` inside the bundle, so the paths it works out from
 * it (its worker's file, criteria.json, the repository root) are the same bundled or not.
 * @type {import('esbuild').Plugin}
 */
const keepImportMetaUrl = {
  name: 'keep-import-meta-url',
  setup(build) {
    build.onLoad({ filter: /\.(ts|mjs)$/ }, async (args) => {
      if (args.path.includes(`${sep}node_modules${sep}`)) return undefined;
      const source = await readFile(args.path, 'utf8');
      const contents = source
        .replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href))
        .replaceAll('import.meta.dirname', JSON.stringify(dirname(args.path)));
      return { contents, loader: args.path.endsWith('.ts') ? 'ts' : 'js' };
    });
  },
};

/** @param {string} keep */
async function removeStale(keep) {
  const now = Date.now();
  for (const name of await readdir(CACHE_DIR).catch(() => /** @type {string[]} */ ([]))) {
    const dir = join(CACHE_DIR, name);
    if (dir === keep) continue;
    const info = await stat(dir).catch(() => null);
    if (info && now - info.mtimeMs > STALE_AFTER_MS) await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Bundles {@link ENTRY_POINTS} and `extra` entries (relative to the repository root), writes them
 * unless that exact code is bundled already, and names their folder in this process's environment.
 * @param {readonly string[]} [extra]
 * @returns {Promise<string>} the bundle folder
 */
export async function bundleEntryPoints(extra = []) {
  const { build } = await import('esbuild');
  const outdir = join(CACHE_DIR, 'build');
  const result = await build({
    entryPoints: [...new Set([...ENTRY_POINTS, ...extra])].map((e) => join(REPO_ROOT, e)),
    outbase: REPO_ROOT,
    outdir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    write: false,
    logLevel: 'silent',
    plugins: [keepImportMetaUrl],
  });
  const hash = createHash('sha256');
  for (const file of result.outputFiles) hash.update(relative(outdir, file.path)).update('\0').update(file.contents);
  const dir = join(CACHE_DIR, hash.digest('hex').slice(0, 16));
  if (!existsSync(dir)) {
    const partial = `${dir}.${process.pid}.partial`;
    await rm(partial, { recursive: true, force: true });
    for (const file of result.outputFiles) {
      const target = resolve(partial, relative(outdir, file.path));
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, file.contents);
    }
    // Another run may have written the same folder meanwhile: its content is the same.
    await rename(partial, dir).catch(() => rm(partial, { recursive: true, force: true }));
    await removeStale(dir);
  }
  process.env[ENTRY_POINTS_ENV] = dir;
  return dir;
}
