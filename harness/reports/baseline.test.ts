import { describe, expect, it } from 'vitest';
import { toBaseline } from '../analyze/baseline.ts';
import { buildPlan, resolveVary } from '../plan/sweep.ts';
import { derivedSweepReport, derivedTrial } from '../analyze/testing.ts';
import { baselineJunitSuite } from './baseline.ts';
import { renderBaselineMarkdown } from './markdown.ts';
import { renderBaselineTerminal } from './terminal.ts';
import { renderSweepJunit, renderSweepTerminal } from './sweep.ts';
import { renderMarkdown } from './markdown.ts';
import { renderTerminal } from './terminal.ts';
import { recordedResults, recordedWorkloadResults } from './testing.ts';

const plan = buildPlan({ base: 'staged', vary: resolveVary({ batchSizes: '1,10' }), repeat: 4, seed: 2 });
function run(slowdown: number) {
  const trials = plan.trials.map((t) =>
    derivedTrial({ trialId: t.id, pointId: t.pointId, settings: t.settings, repeat: t.repeat }, 'staged', {
      importWallMs: (3_000 + 10 * t.repeat) * slowdown,
    }),
  );
  return derivedSweepReport({ plan, trials, gate: { kind: 'point', pointId: 'batchSize-10' } });
}
const baseline = toBaseline(run(1));

describe('baseline reports', () => {
  it('shows old, new, the change, p and the verdict per metric, and fails the gate on a gated regression', () => {
    const report = derivedSweepReport({ plan, trials: run(1.2).trials, gate: { kind: 'point', pointId: 'batchSize-10' }, baseline });
    const lines = renderBaselineTerminal(report.baseline!);
    expect(lines.find((l) => l.startsWith('batchSize-10     import wall'))!.split(/\s{2,}/)).toEqual([
      'batchSize-10', 'import wall (gated)', '3,025 ms', '3,630 ms', '+20.0 %', '0.029 (4 vs 4)', 'WORSE (gated)',
    ]);
    expect(lines.find((l) => l.startsWith('batchSize-1 ') && l.includes('import wall'))).toMatch(/\+20\.0 %\s+0\.029 \(4 vs 4\)\s+WORSE$/);
    expect(lines.at(-1)).toBe('against the baseline: REGRESSED: batchSize-10 import wall');
    expect(renderSweepTerminal(report)).toMatch(/^gate \(batchSize=10\): FAIL: batchSize-10: importWallMs regressed against the baseline \(p = 0\.029\)$/m);
    const xml = renderSweepJunit(report);
    expect(xml).toContain('<testsuite name="lockbench.sweep.baseline" tests="5" failures="1"');
    expect(xml).toContain('<failure message="regressed: 3,025 ms -&gt; 3,630 ms (+20.0 %, p = 0.029, 4 vs 4 repeats)">');
    expect(renderBaselineMarkdown(report.baseline!)).toContain('| batchSize-10 | import wall (gated) | 3,025 ms | 3,630 ms | +20.0 % | 0.029 (4 vs 4) | WORSE (gated) |');
  });

  it('passes an unchanged rerun', () => {
    const report = derivedSweepReport({ plan, trials: run(1).trials, gate: { kind: 'point', pointId: 'batchSize-10' }, baseline });
    expect(report.baseline!.rows.every((r) => r.verdict === 'no-change')).toBe(true);
    expect(renderBaselineTerminal(report.baseline!).at(-1)).toBe('against the baseline: no gated regression');
    expect(report.gate.pass).toBe(true);
  });

  it('says when the repeats are too few to show a change, and does not pass such a case silently', () => {
    const three = buildPlan({ base: 'staged', vary: resolveVary({ batchSizes: '1,10' }), repeat: 3, seed: 2 });
    const trials = three.trials.map((t) => derivedTrial({ trialId: t.id, pointId: t.pointId, settings: t.settings, repeat: t.repeat }, 'staged'));
    const report = derivedSweepReport({ plan: three, trials, gate: { kind: 'point', pointId: 'batchSize-10' }, baseline: toBaseline(derivedSweepReport({ plan: three, trials })) });
    expect(renderBaselineTerminal(report.baseline!)).toContain(
      '3 vs 3 repeats cannot show a change at α = 0.05 whatever happened: run 4 or more repeats on both sides to detect one',
    );
    const [suite] = baselineJunitSuite(report.baseline!, 'sweep');
    expect(suite!.join('\n')).toContain('tests="5" failures="0" errors="0" skipped="5"');
  });
});

describe('a default run against its baseline', () => {
  it("keeps the scenario's comparison in the workload's report its seed workload gives it", () => {
    const comparison = derivedSweepReport({ plan, trials: run(1.2).trials, gate: { kind: 'point', pointId: 'batchSize-10' }, baseline }).baseline!;
    const results = recordedResults();
    const seed = recordedWorkloadResults().profiles[0]!.workload!;
    const seeded = { ...results, baseline: comparison, profiles: results.profiles.map((p) => ({ ...p, criteria: [], workload: { ...seed, name: 'concurrent' } })) };
    const terminal = renderTerminal(seeded);
    expect(terminal).toMatch(/^lockbench concurrent: /);
    expect(terminal).toContain(renderBaselineTerminal(comparison).join('\n'));
    expect(renderMarkdown(seeded)).toContain(renderBaselineMarkdown(comparison).join('\n'));
  });
});
