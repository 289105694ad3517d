/**
 * `--workload scenarios/concurrent.workload.json` on the built-in target is the default run, which is built
 * from that file; a copy of it is a workload as any other, its procedure written by the side writers; on a
 * described target its procedure is refused, naming what to give instead.
 */
import { copyFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SEED_WORKLOAD_PATH } from '../plan/seed-workload-file.ts';
import { tempDirPerTest } from '../testing/temp-dir.ts';
import { loadRunWorkload, resolveRun, resolveRunOptions } from '../plan/options.ts';
import { BUILTIN_TARGET } from '../plan/targets/builtin.ts';
import { workloadWriters } from './workload/run.ts';

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
    expect(loadRunWorkload(asked, BUILTIN_TARGET)).toBeNull();
  });

  it('is the default run under the flags that need no workload, k6 among them', () => {
    expect(resolveRunOptions({ workload: SEED_WORKLOAD_PATH, driver: 'k6' })).toMatchObject({ driver: 'k6', workload: null });
  });

  it('stays a workload as a copy, run through the workload path, its procedure writing the built-in tables', () => {
    const copy = join(temp.path, 'concurrent.workload.json');
    copyFileSync(SEED_WORKLOAD_PATH, copy);
    for (const driver of ['builtin', 'k6'] as const) {
      const { options, target } = resolveRun({ workload: copy, driver });
      expect(options.workload).toBe(copy);
      const loaded = loadRunWorkload(options, target);
      expect(loaded?.workload.name).toBe('concurrent');
      expect(workloadWriters(loaded!.workload)).toEqual([expect.objectContaining({ stream: 'workflow', sqlWrite: null, transaction: 'immediate', writesPerSecond: 20 })]);
    }
  });

  it('stays a workload on a described target, its procedure refused at the field whichever the driver', () => {
    for (const driver of ['builtin', 'k6'] as const) {
      const { options, target } = resolveRun({ workload: SEED_WORKLOAD_PATH, target: FASTAPI, driver });
      expect(options.workload).not.toBeNull();
      expect(() => loadRunWorkload(options, target)).toThrow(
        /streams\.workflow\.sql\.procedure: a procedure writes lockbench's own target's tables \(workflow_executions, execution_steps\), which this target's database does not have/,
      );
    }
  });

  it('is refused in another scenario', () => {
    expect(() => resolveRunOptions({ workload: SEED_WORKLOAD_PATH, scenario: 'smoke' })).toThrow(/^--scenario: a --workload is its own scenario/);
  });
});
