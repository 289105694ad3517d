/**
 * `scenario:sweep --workload --repeat 4` saved as a baseline, then a change of the workload compared with
 * it, end to end on the fast described target (scripts/fixtures/fast-target): with repeats on both sides
 * a gated criterion that got worse is a regression, and the sweep exits 1 naming it. The change is the
 * number of updates the criterion counts (1, then 3), so the verdict does not depend on the machine.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { GateOutcome, WorkloadBaselineComparison } from '../harness/model/results.ts';
import { runCliScript } from '../harness/testing/cli.ts';
import { tempDirPerTest } from '../harness/testing/temp-dir.ts';

const SCRIPT = fileURLToPath(new URL('./scenario-sweep.ts', import.meta.url));
const fixture = (file: string) => fileURLToPath(new URL(`./fixtures/fast-target/${file}`, import.meta.url));
const SWEEP = ['--target', fixture('target.json'), '--base', 'fast', '--repeat', '4', '--seed', '1'];
/** Eight trials, each starting the target: generous on a busy 2-core machine. */
const E2E_TIMEOUT_MS = 300_000;

describe('scenario:sweep --workload with a baseline', () => {
  const temp = tempDirPerTest('lockbench-sweep-workload-baseline-');

  it('fails the gate on a criterion of the workload that regressed against 4 saved repeats: exit 1, naming it', { timeout: E2E_TIMEOUT_MS }, async () => {
    const file = join(temp.path, 'baseline.json');
    const saved = await runCliScript(SCRIPT, [...SWEEP, '--workload', fixture('workload.yaml'), '--save-baseline', file], join(temp.path, 'saved'));
    expect(saved.code, saved.stderr).toBe(0);
    const baseline = JSON.parse(readFileSync(file, 'utf8')) as { entries: { id: string; kind: string; figures: { figure: unknown; samples: number[] }[] }[] };
    expect(baseline.entries.map((e) => [e.id, e.kind])).toEqual([['fast', 'point']]);
    expect(baseline.entries[0]!.figures[0]).toEqual({ figure: { criterion: 'at-most-two-updates' }, unit: 'count', better: 'lower', samples: [1, 1, 1, 1] });

    // The same workload (its name and streams), each repeat now sending 3 updates.
    const three = join(temp.path, 'workload.yaml');
    writeFileSync(three, readFileSync(fixture('workload.yaml'), 'utf8').replace(/iterations: 1$/m, 'iterations: 3'));
    const root = join(temp.path, 'compared');
    const compared = await runCliScript(SCRIPT, [...SWEEP, '--workload', three, '--baseline', file], root);
    const results = JSON.parse(readFileSync(join(root, 'latest', 'results.json'), 'utf8')) as { gate: GateOutcome; pass: boolean; baseline: unknown; workloadBaseline: WorkloadBaselineComparison };

    expect(compared.code, compared.stderr).toBe(1);
    expect(results.baseline).toBeNull();
    const row = results.workloadBaseline.rows.find((r) => 'criterion' in r.figure)!;
    expect(row).toMatchObject({ entryId: 'fast', old: 1, new: 3, oldSamples: 4, newSamples: 4, verdict: 'worse', gated: true });
    expect(row.p).toBeLessThan(0.05);
    expect(results.gate).toMatchObject({ gate: 'baseline', pass: false });
    expect(results.gate.failures).toEqual([`fast: at-most-two-updates regressed against the baseline (p = ${row.p!.toFixed(3)})`]);
    expect(compared.stdout).toMatch(/^fast\s+at-most-two-updates \(gated\)\s+1\s+3\s+\+200\.0 %\s+\S+ \(4 vs 4\)\s+WORSE \(gated\)$/m);
    expect(compared.stdout).toContain('against the baseline: REGRESSED: fast at-most-two-updates');
    expect(readFileSync(join(root, 'latest', 'summary.md'), 'utf8')).toContain('| fast | at-most-two-updates (gated) | 1 | 3 | +200.0 % |');
    expect(readFileSync(join(root, 'latest', 'junit.xml'), 'utf8')).toMatch(/<failure message="regressed: 1 -&gt; 3 \(\+200\.0 %, p = [\d.]+, 4 vs 4 repeats\)">/);
  });
});
