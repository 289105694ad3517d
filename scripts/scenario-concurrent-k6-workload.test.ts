/**
 * `--driver k6 --workload` before anything starts: a workload k6 can run is taken, with a target of the
 * app's own, and one it cannot is refused at the CLI, exit 2, naming the stream and the field, with no
 * report written and no k6 looked for.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { loadRunWorkload, resolveRun } from '../harness/plan/options.ts';
import { runCliScript } from '../harness/testing/cli.ts';

const CLI = fileURLToPath(new URL('./scenario-concurrent.ts', import.meta.url));
const TARGET = fileURLToPath(new URL('../examples/fastapi-sqlalchemy/target.json', import.meta.url));
const WORKLOAD = fileURLToPath(new URL('../examples/fastapi-sqlalchemy/workload.yaml', import.meta.url));

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'lockbench-k6-workload-cli-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** The FastAPI example's workload with a change, written where the test can point at it. */
function changedWorkload(change: (w: Record<string, any>) => void): string {
  const value = parse(readFileSync(WORKLOAD, 'utf8')) as Record<string, any>;
  change(value);
  const path = join(dir, 'workload.yaml');
  writeFileSync(path, stringify(value));
  return path;
}

describe('--driver k6 --workload', () => {
  it("takes the app's own target and a workload of k6's other executors, as the built-in driver does", () => {
    const later = changedWorkload((w) => (w.streams['artifact-listing'] = { ...w.streams['artifact-listing'], executor: 'constant-vus', vus: 2, rate: undefined }));
    const { options, target } = resolveRun({ target: TARGET, driver: 'k6', workload: later });
    expect(options).toMatchObject({ driver: 'k6', workload: later });
    expect(loadRunWorkload(options, target)?.workload.streams.map((s) => s.executor.type)).toEqual(['per-vu-iterations', 'constant-arrival-rate', 'constant-vus', 'constant-arrival-rate']);
    // The built-in driver runs the same file.
    expect(loadRunWorkload({ ...options, driver: 'builtin' }, target)?.workload.streams.map((s) => s.executor.type)).toEqual(['per-vu-iterations', 'constant-arrival-rate', 'constant-vus', 'constant-arrival-rate']);
  });

  it('refuses what k6 cannot run before anything starts: exit 2, the stream and field named, no report', async () => {
    // A stream with a duration of its own would be cut when k6 is stopped for the streams that follow the imports.
    const bad = changedWorkload((w) => delete w.streams['artifact-listing'].endsAfter);
    const run = await runCliScript(CLI, ['--target', TARGET, '--driver', 'k6', '--workload', bad], join(dir, 'reports'));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--workload');
    expect(run.stderr).toMatch(/streams\.artifact-listing: k6 is stopped when "source-imports" has answered plus 1000 ms .* which would cut this stream/);
    expect(run.stderr).not.toMatch(/no k6 on PATH/);
    expect(existsSync(join(dir, 'reports'))).toBe(false);
  });
});
