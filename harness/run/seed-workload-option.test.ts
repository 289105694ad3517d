/**
 * `--workload scenarios/concurrent.workload.json` on the built-in target is the default run, which is built
 * from that file; anywhere else, or as a copy, its procedure is refused with what to run instead.
 */
import { copyFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SEED_WORKLOAD_PATH } from '../plan/seed-workload-file.ts';
import { tempDirPerTest } from '../testing/temp-dir.ts';
import { loadRunWorkload, resolveRunOptions } from '../plan/options.ts';

const FASTAPI = new URL('../../examples/fastapi-sqlalchemy/target.json', import.meta.url).pathname;

describe('--workload scenarios/concurrent.workload.json', () => {
  const temp = tempDirPerTest('lockbench-seed-option-');

  it.each([
    ['absolute', SEED_WORKLOAD_PATH],
    ['relative to the working folder', relative(process.cwd(), SEED_WORKLOAD_PATH)],
  ])('resolves on the built-in target to the default run, given %s', (_, path) => {
    const asked = resolveRunOptions({ workload: path, imports: 2 });
    expect(asked).toEqual(resolveRunOptions({ imports: 2 }));
    expect(asked.workload).toBeNull();
    expect(loadRunWorkload(asked)).toBeNull();
  });

  it('is the default run under the flags that need no workload, k6 among them', () => {
    expect(resolveRunOptions({ workload: SEED_WORKLOAD_PATH, driver: 'k6' })).toMatchObject({ driver: 'k6', workload: null });
  });

  it('stays a workload on a described target, in another scenario and as a copy: its procedure refused, naming what to run', () => {
    const copy = join(temp.path, 'concurrent.workload.json');
    copyFileSync(SEED_WORKLOAD_PATH, copy);
    const refusal = /streams\.workflow\.sql\.procedure: a procedure is run only as lockbench's own concurrent scenario: run scenario:concurrent without --workload, or with --workload scenarios\/concurrent\.workload\.json itself/;
    for (const input of [{ workload: copy }, { workload: SEED_WORKLOAD_PATH, target: FASTAPI }]) {
      const options = resolveRunOptions(input);
      expect(options.workload).not.toBeNull();
      expect(() => loadRunWorkload(options)).toThrow(refusal);
    }
    expect(() => resolveRunOptions({ workload: SEED_WORKLOAD_PATH, scenario: 'smoke' })).toThrow(/^--scenario: a --workload is its own scenario/);
  });
});
