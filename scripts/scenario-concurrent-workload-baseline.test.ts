/**
 * `scenario:concurrent --save-baseline`, then `--baseline`, end to end: on the fast described target
 * (scripts/fixtures/fast-target) from a workload file, and on the default run (its seed workload). The
 * baseline holds the workload's own figures, the next run is compared with them in the workload's words,
 * and a baseline of another workload or an earlier lockbench's of another scenario's metrics is refused
 * before anything starts (exit 2, no report). Figures are not
 * asserted (they are the machine's); what is compared is.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { latestResults, runCliScript } from '../harness/testing/cli.ts';
import { tempDirPerTest } from '../harness/testing/temp-dir.ts';

const CLI = fileURLToPath(new URL('./scenario-concurrent.ts', import.meta.url));
const fixture = (file: string) => fileURLToPath(new URL(`./fixtures/fast-target/${file}`, import.meta.url));
const RUN = ['--target', fixture('target.json'), '--workload', fixture('workload.yaml'), '--gated', 'fast'];
/** Two trials, each starting the target: generous on a busy 2-core machine. */
const E2E_TIMEOUT_MS = 180_000;

describe('scenario:concurrent --workload with a baseline', () => {
  const temp = tempDirPerTest('lockbench-workload-baseline-');

  it("saves the workload's own figures, then compares the next run with them in the workload's words", { timeout: E2E_TIMEOUT_MS }, async () => {
    const file = join(temp.path, 'baseline.json');
    const saved = await runCliScript(CLI, [...RUN, '--save-baseline', file], join(temp.path, 'first'));
    expect(saved.code, saved.stderr).toBe(0);
    expect(saved.stdout).toContain(`baseline saved: ${file}`);
    const baseline = JSON.parse(readFileSync(file, 'utf8')) as { workload: unknown; entries: { id: string; figures: { figure: unknown; samples: number[] }[] }[] };
    expect(baseline.workload).toEqual({ name: 'few-updates', streams: ['updates'] });
    expect(baseline.entries.map((e) => e.id)).toEqual(['fast']);
    const figures = baseline.entries[0]!.figures;
    expect(figures.map((f) => f.figure)).toEqual([
      { criterion: 'at-most-two-updates' },
      ...['p50Ms', 'p99Ms', 'lockErrors', 'lockErrorsFast', 'lockErrorsTimedOut', 'otherErrors'].map((figure) => ({ stream: 'updates', figure })),
    ]);
    // One update, counted by the criterion; every figure measured once.
    expect(figures[0]!.samples).toEqual([1]);
    for (const f of figures) expect(f.samples, JSON.stringify(f.figure)).toHaveLength(1);

    const root = join(temp.path, 'second');
    const compared = await runCliScript(CLI, [...RUN, '--baseline', file], root);
    const results = latestResults(root);
    expect(compared.code, compared.stderr).toBe(0);
    expect((results as unknown as Record<string, unknown>).baseline).toBeUndefined();
    const comparison = results.workloadBaseline!;
    expect(comparison).toMatchObject({ workload: 'few-updates', onlyInBaseline: [], onlyInRun: [], regressions: [], pass: true });
    expect(comparison.rows.map((r) => [r.figure, r.gated, r.verdict])).toEqual(figures.map((f) => [f.figure, 'criterion' in (f.figure as object), 'too-few-samples']));
    expect(comparison.rows[0]).toMatchObject({ old: 1, new: 1, oldSamples: 1, newSamples: 1 });
    const verdict = 'against the baseline: no verdict: none of the 1 gated figure(s) could be judged (too few repeats or not measured)';
    expect(compared.stdout).toMatch(/^fast\s+at-most-two-updates \(gated\)\s+1\s+1\s+\+0\.0 %\s+- \(1 vs 1\)\s+too few samples$/m);
    expect(compared.stdout).toMatch(/^fast\s+updates p99\s+/m);
    expect(compared.stdout).toContain(verdict);
    const summary = readFileSync(join(root, 'latest', 'summary.md'), 'utf8');
    expect(summary).toContain('| fast | at-most-two-updates (gated) | 1 | 1 | +0.0 % | - (1 vs 1) | too few samples |');
    expect(summary).toContain(`**${verdict}**`);
    expect(readFileSync(join(root, 'latest', 'report.html'), 'utf8')).toContain('<td>updates p99 (ms)</td>');
    expect(readFileSync(join(root, 'latest', 'junit.xml'), 'utf8')).toContain('name="fast at-most-two-updates: no significant regression against the baseline"');
    for (const text of [compared.stdout, summary]) expect(text).not.toMatch(/import wall|catalog p99|workflow p99|max lock hold|busy errors/);
  });

  it("refuses a baseline of another workload, for a --workload run as for the default run's seed workload, before anything starts: exit 2, no report", async () => {
    const file = join(temp.path, 'baseline.json');
    writeFileSync(
      file,
      JSON.stringify({
        format: 'lockbench-baseline',
        version: 1,
        scenario: 'concurrent',
        createdAt: '2026-12-01T00:00:00.000Z',
        host: { cpus: 2, cpuModel: 'x', node: 'v20.0.0', platform: 'linux-x64', totalMemoryBytes: 1 },
        workload: { name: 'few-updates', streams: ['updates', 'reads'] },
        entries: [],
      }),
    );
    const reports = join(temp.path, 'reports');
    const other = await runCliScript(CLI, [...RUN, '--baseline', file], reports);
    expect(other.code).toBe(2);
    expect(other.stderr).toBe(`scenario:concurrent: baseline ${file}: does not fit this run: streams only in the baseline: "reads"; compare runs of the same workload\n`);
    const scenario = await runCliScript(CLI, ['--baseline', file], reports);
    expect(scenario.code).toBe(2);
    expect(scenario.stderr).toBe(
      `scenario:concurrent: baseline ${file}: does not fit this run: it was saved from workload "few-updates", this run is workload "concurrent"; ` +
        'streams only in the baseline: "updates"; streams only in this run: "imports", "catalog", "workflow"; compare runs of the same workload\n',
    );
    expect(existsSync(reports)).toBe(false);
  });

  it("refuses an earlier lockbench's baseline of the smoke check's metrics for the default run: exit 2, no report", async () => {
    const file = join(temp.path, 'smoke-baseline.json');
    const samples = Object.fromEntries(['importWallMs', 'maxLockHoldMs', 'catalogP99Ms', 'workflowWriteP99Ms', 'requestSuccessRate', 'busyErrors'].map((m) => [m, [1]]));
    const host = { cpus: 2, cpuModel: 'x', node: 'v20.0.0', platform: 'linux-x64', totalMemoryBytes: 1 };
    writeFileSync(file, JSON.stringify({ format: 'lockbench-baseline', version: 1, scenario: 'smoke', createdAt: '2026-12-01T00:00:00.000Z', host, entries: [{ id: 'staged', kind: 'profile', settings: {}, samples }] }));
    const reports = join(temp.path, 'reports');
    const old = await runCliScript(CLI, ['--baseline', file], reports);
    expect(old.code).toBe(2);
    expect(old.stderr).toBe(
      `scenario:concurrent: baseline ${file}: was written by an earlier lockbench over the smoke scenario's metrics (importWallMs, catalogP99Ms, ...), which a run of workload "concurrent" does not keep: ` +
        'save a new baseline from a run of workload "concurrent" (--save-baseline) and compare with that\n',
    );
    expect(existsSync(reports)).toBe(false);
  });

  it("saves the default run's seed workload figures by criterion id, then compares the next run with them", { timeout: E2E_TIMEOUT_MS }, async () => {
    const file = join(temp.path, 'default.json');
    const DEFAULT = ['--profiles', 'staged'];
    const saved = await runCliScript(CLI, [...DEFAULT, '--save-baseline', file], join(temp.path, 'first'));
    const first = latestResults(join(temp.path, 'first'));
    // The gate is the criteria's, as without a baseline; the machine decides whether staged met them.
    expect(saved.code, saved.stderr).toBe(first.pass ? 0 : 1);
    const baseline = JSON.parse(readFileSync(file, 'utf8')) as { workload: unknown; entries: { id: string; figures: { figure: unknown }[] }[] };
    expect(baseline.workload).toEqual({ name: 'concurrent', streams: ['imports', 'catalog', 'reads', 'workflow'] });
    expect(baseline.entries.map((e) => e.id)).toEqual(['staged']);
    expect(baseline.entries[0]!.figures.filter((f) => 'criterion' in (f.figure as object)).map((f) => f.figure)).toEqual([
      { criterion: 'lock-hold' },
      { criterion: 'import-wall' },
      { criterion: 'catalog-p99' },
      { criterion: 'success' },
      { criterion: 'workflow-p99' },
      { criterion: 'no-loss', distance: true },
    ]);
    expect(readFileSync(file, 'utf8')).not.toMatch(/importWallMs|catalogP99Ms|busyErrors/);

    const root = join(temp.path, 'second');
    const compared = await runCliScript(CLI, [...DEFAULT, '--baseline', file], root);
    const results = latestResults(root);
    // One run against one: shown, never judged, so the criteria alone decide the exit code.
    expect(compared.code, compared.stderr).toBe(results.pass ? 0 : 1);
    expect(results.workloadBaseline).toMatchObject({ workload: 'concurrent', onlyInBaseline: [], onlyInRun: [], regressions: [], pass: true });
    expect(results.workloadBaseline!.rows.filter((r) => r.gated).map((r) => r.verdict)).toEqual(Array(6).fill('too-few-samples'));
    expect(compared.stdout).toMatch(/^staged\s+import-wall \(gated\)\s+[\d,.]+ ms\s+[\d,.]+ ms\s+\S+ %\s+- \(1 vs 1\)\s+too few samples$/m);
    expect(compared.stdout).toMatch(/^staged\s+catalog p99\s+/m);
    expect(compared.stdout).toContain('against the baseline: no verdict: none of the 6 gated figure(s) could be judged (too few repeats or not measured)');
  });
});
