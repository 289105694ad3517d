/**
 * End to end through the CLI with `--workload`: the FastAPI + SQLAlchemy example run in its own words
 * (examples/fastapi-sqlalchemy/workload.yaml), and a bad workload refused before anything starts.
 * Figures are not asserted (they are the product); what was measured per stream and judged is.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { latestResults, runCliScript } from '../harness/testing/cli.ts';
import { loadWorkload } from '../harness/plan/workload/load.ts';

const CLI = fileURLToPath(new URL('./scenario-concurrent.ts', import.meta.url));
const TARGET = fileURLToPath(new URL('../examples/fastapi-sqlalchemy/target.json', import.meta.url));
const WORKLOAD = fileURLToPath(new URL('../examples/fastapi-sqlalchemy/workload.yaml', import.meta.url));
/** Two trials, each starting uvicorn and running the example's load: generous on a busy 2-core machine. */
const E2E_TIMEOUT_MS = 300_000;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'lockbench-workload-e2e-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('scenario:concurrent --workload', () => {
  it('runs the FastAPI example from its own workload: its streams counted, its criteria judged, the exit code gated on them', { timeout: E2E_TIMEOUT_MS }, async () => {
    const { workload } = loadWorkload(WORKLOAD);
    const run = await runCliScript(CLI, ['--target', TARGET, '--workload', WORKLOAD, '--profiles', 'batched'], dir);
    const results = latestResults(dir);

    expect(run.code, run.stderr).toBe(results.pass ? 0 : 1);
    expect(results.options).toMatchObject({ workload: WORKLOAD });
    const [profile] = results.profiles;
    expect(profile).toMatchObject({ name: 'batched', gated: true, status: 'completed' });
    // The scenario's own criteria are not judged: the workload's are the verdict.
    expect(profile!.criteria).toEqual([]);
    const judged = profile!.workload!;
    expect(judged.criteria.map((c) => c.id)).toEqual(workload.criteria.map((c) => c.id));
    expect(profile!.pass).toBe(judged.criteria.every((c) => c.pass));
    expect(judged.streams.map((s) => s.stream)).toEqual(workload.streams.map((s) => s.name));
    for (const stream of judged.streams) expect(stream.requests, stream.stream).toBeGreaterThan(0);
    const imports = judged.streams.find((s) => s.kind === 'http' && s.acknowledged !== null)!;
    expect(imports.requests).toBe(5);
    // The observer watched: the lock criterion has a figure.
    expect(judged.lockSource).toBe('observed');
    expect(judged.criteria.find((c) => c.type === 'max-lock-hold')?.measured).not.toBeNull();
    // Every no-loss check was counted in the database and compared with what was acknowledged.
    for (const c of judged.criteria.filter((c) => c.type === 'no-loss')) {
      expect(c.measured, c.id).not.toBeNull();
      expect(c.threshold, c.id).toBeGreaterThan(0);
    }
    expect(existsSync(join(dir, 'latest', 'answers-batched.json'))).toBe(true);
    // The reports speak the workload's words: its streams and criteria, not the scenario's.
    const summary = readFileSync(join(dir, 'latest', 'summary.md'), 'utf8');
    const junit = readFileSync(join(dir, 'latest', 'junit.xml'), 'utf8');
    for (const stream of workload.streams) {
      expect(run.stdout).toContain(stream.name);
      expect(summary).toContain(stream.name);
    }
    for (const c of workload.criteria) expect(junit).toContain(`name="${c.id} (${c.type})"`);
    expect(run.stdout).not.toMatch(/catalog update|imports answered/i);
  });

  it('refuses a workload with a misspelled field before anything starts: exit 2, its path and the known fields, no report', async () => {
    const bad = join(dir, 'workload.yaml');
    writeFileSync(bad, readFileSync(WORKLOAD, 'utf8').replace('    acknowledged: imported', '    acknowledge: imported'));
    const run = await runCliScript(CLI, ['--target', TARGET, '--workload', bad], join(dir, 'reports'));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--workload');
    expect(run.stderr).toMatch(/streams\.source-imports: unknown field "acknowledge"; known fields: .*acknowledged/);
    expect(existsSync(join(dir, 'reports'))).toBe(false);
  });
});
