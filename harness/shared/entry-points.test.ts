import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bundleFile } from './bundle/bundle.mjs';
import { bundleEntryPoints, entryPoint, withoutTsx } from './entry-points.ts';
import { ENTRY_POINTS, ENTRY_POINTS_ENV } from './bundle/bundle.mjs';
import { startTarget } from '../run/target-process/target-process.ts';

const EXECUTOR_WORKER = fileURLToPath(new URL('../../target/executor/worker.ts', import.meta.url));
const before = process.env[ENTRY_POINTS_ENV];
afterAll(() => {
  if (before === undefined) delete process.env[ENTRY_POINTS_ENV];
  else process.env[ENTRY_POINTS_ENV] = before;
});

describe('withoutTsx', () => {
  it('drops the tsx loader flags in every form and keeps the others', () => {
    expect(
      withoutTsx([
        '--import',
        'tsx',
        '--max-old-space-size=512',
        '--require',
        '/repo/node_modules/tsx/dist/preflight.cjs',
        '--import',
        'file:///repo/node_modules/tsx/dist/loader.mjs',
        '--import=tsx',
        '--import',
        './my-hooks.mjs',
      ]),
    ).toEqual(['--max-old-space-size=512', '--import', './my-hooks.mjs']);
  });
});

describe('entryPoint without a bundle', () => {
  it('starts the TypeScript source under tsx', () => {
    delete process.env[ENTRY_POINTS_ENV];
    const launch = entryPoint(EXECUTOR_WORKER, { inherited: ['--trace-warnings'] });
    expect(launch.bundled).toBe(false);
    expect(launch.file).toBe(EXECUTOR_WORKER);
    expect(launch.execArgv[0]).toBe('--trace-warnings');
    expect(launch.execArgv.slice(1, 2)).toEqual(['--import']);
    expect(launch.execArgv[2]).toMatch(/\/tsx\/.*\.m?[jc]?js$/);
  });
});

describe('bundleEntryPoints', () => {
  let dir: string;
  let work: string;
  beforeAll(async () => {
    delete process.env[ENTRY_POINTS_ENV];
    dir = (await bundleEntryPoints())!;
  }, 60_000);
  afterEach(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('writes a bundle of every entry point and names its folder for the processes it starts', async () => {
    expect(process.env[ENTRY_POINTS_ENV]).toBe(dir);
    for (const entry of ENTRY_POINTS) expect(existsSync(bundleFile(dir, entry)), entry).toBe(true);
    // The same code again: the same folder, not a new build.
    expect(await bundleEntryPoints()).toBe(dir);
  });

  it('starts an entry point from its bundle, without tsx unless it imports TypeScript of its own', () => {
    const launch = entryPoint(EXECUTOR_WORKER, { inherited: ['--import', 'tsx', '--trace-warnings'] });
    expect(launch).toEqual({ file: bundleFile(dir, 'target/executor/worker.ts'), execArgv: ['--trace-warnings'], bundled: true });
    expect(entryPoint(EXECUTOR_WORKER, { inherited: [], importsTypeScript: true }).execArgv).toEqual(['--import', expect.stringMatching(/\/tsx\//)]);
    // A file that is not an entry point is never swapped for anything.
    const other = fileURLToPath(new URL('./clock.ts', import.meta.url));
    expect(entryPoint(other, { inherited: [] }).bundled).toBe(false);
  });

  it('keeps each source file its own import.meta.url inside a bundle', () => {
    const code = readFileSync(bundleFile(dir, 'scripts/target.ts'), 'utf8');
    expect(code).not.toContain('import.meta.url');
    // executor.ts works out its worker's file from its own URL, not the bundle's.
    expect(code).toContain(JSON.stringify(new URL('../../target/executor/executor.ts', import.meta.url).href));
  });

  it('runs the bundled target, whose DB threads start from their own bundle, and it answers', async () => {
    work = mkdtempSync(join(tmpdir(), 'lockbench-entry-points-'));
    const target = await startTarget({ args: ['--import-mode', 'staged'], dbPath: join(work, 't.db') });
    try {
      const cmdline = readFileSync(`/proc/${target.pid}/cmdline`, 'utf8').split('\0');
      expect(cmdline).toContain(bundleFile(dir, 'scripts/target.ts'));
      expect(cmdline.join(' ')).not.toMatch(/tsx/);
      const response = await fetch(`${target.url}/api/marketplace/catalog/1`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ status: 'published', title: 'from the bundle' }),
      });
      expect(response.status).toBe(200);
    } finally {
      expect((await target.stop()).code).toBe(0);
    }
  }, 60_000);
});
