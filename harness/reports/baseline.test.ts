import { describe, expect, it } from 'vitest';
import { toBaseline } from '../model/baseline.ts';
import { buildPlan, resolveVary } from '../plan/sweep.ts';
import { derivedSweepReport, derivedTrial, withSeedWorkload } from '../analyze/testing.ts';
import { markdownTable, renderMarkdown, renderWorkloadBaselineMarkdown } from './markdown.ts';
import { renderSweepJunit, renderWorkloadSweep } from './sweep.ts';
import { padTable, renderTerminal } from './terminal.ts';
import { recordedResults, recordedWorkloadResults } from './testing.ts';
import { workloadBaselineJunitSuite, workloadBaselineLines } from './workload-baseline.ts';

const SEED = { name: 'concurrent', streams: [] };
const plan = buildPlan({ base: 'staged', vary: resolveVary({ batchSizes: '1,10' }), repeat: 4, seed: 2 });
/** The default sweep's trials (the seed workload's criteria judged on derived figures), import walls scaled by `slowdown`. */
function trials(slowdown: number) {
  return plan.trials.map((t) =>
    withSeedWorkload(derivedTrial({ trialId: t.id, pointId: t.pointId, settings: t.settings, repeat: t.repeat }, 'staged', { importWallMs: (3_000 + 10 * t.repeat) * slowdown })),
  );
}
const gate = { kind: 'point' as const, pointId: 'batchSize-10' };
const baseline = toBaseline({ ...derivedSweepReport({ plan, trials: trials(1), gate }) }, SEED);
const lines = (report: ReturnType<typeof derivedSweepReport>) => workloadBaselineLines(report.workloadBaseline!, padTable);

describe('baseline reports of the default sweep', () => {
  it("shows old, new, the change, p and the verdict per criterion of the seed workload, and fails the gate on a gated regression", () => {
    const report = derivedSweepReport({ plan, trials: trials(1.2), gate, baseline });
    const shown = lines(report);
    expect(shown.find((l) => l.startsWith('batchSize-10     import-wall'))!.split(/\s{2,}/)).toEqual([
      'batchSize-10', 'import-wall (gated)', '3,025 ms', '3,630 ms', '+20.0 %', '0.029 (4 vs 4)', 'WORSE (gated)',
    ]);
    expect(shown.find((l) => l.startsWith('batchSize-1 ') && l.includes('import-wall'))).toMatch(/\+20\.0 %\s+0\.029 \(4 vs 4\)\s+WORSE$/);
    expect(shown.at(-1)).toBe('against the baseline: REGRESSED: batchSize-10 import-wall');
    expect(renderWorkloadSweep(report, padTable, { ranked: true })).toContain(shown.join('\n'));
    expect(renderWorkloadSweep(report, padTable, { ranked: true })).toMatch(/^gate \(batchSize=10\): FAIL: batchSize-10: import-wall regressed against the baseline \(p = 0\.029\)$/m);
    const xml = renderSweepJunit(report);
    expect(xml).toContain('<testsuite name="lockbench.sweep.baseline" tests="6" failures="1"');
    expect(xml).toContain('<failure message="regressed: 3,025 ms -&gt; 3,630 ms (+20.0 %, p = 0.029, 4 vs 4 repeats)">');
    expect(renderWorkloadSweep(report, markdownTable, { ranked: true })).toContain('| batchSize-10 | import-wall (gated) | 3,025 ms | 3,630 ms | +20.0 % | 0.029 (4 vs 4) | WORSE (gated) |');
    // The scenario's metric names are no figures of a baseline now.
    expect(shown.join('\n')).not.toMatch(/import wall|catalog p99|workflow p99|max lock hold|busy errors/);
  });

  it('passes an unchanged rerun, and a faster one', () => {
    const same = derivedSweepReport({ plan, trials: trials(1), gate, baseline });
    expect(same.workloadBaseline!.rows.every((r) => r.verdict === 'no-change')).toBe(true);
    expect(lines(same).at(-1)).toBe('against the baseline: no gated regression');
    expect(same.gate.pass).toBe(true);
    const faster = derivedSweepReport({ plan, trials: trials(0.8), gate, baseline });
    expect(faster.workloadBaseline!.rows.find((r) => r.entryId === 'batchSize-10' && 'criterion' in r.figure && r.figure.criterion === 'import-wall')!.verdict).toBe('better');
    expect(faster.gate.pass).toBe(true);
  });

  it('says when the repeats are too few to show a change, and does not pass such a case silently', () => {
    const three = buildPlan({ base: 'staged', vary: resolveVary({ batchSizes: '1,10' }), repeat: 3, seed: 2 });
    const threeTrials = three.trials.map((t) => withSeedWorkload(derivedTrial({ trialId: t.id, pointId: t.pointId, settings: t.settings, repeat: t.repeat }, 'staged')));
    const old = toBaseline(derivedSweepReport({ plan: three, trials: threeTrials }), SEED);
    const report = derivedSweepReport({ plan: three, trials: threeTrials, gate, baseline: old });
    expect(lines(report)).toContain('3 vs 3 repeats cannot show a change at α = 0.05 whatever happened: run 4 or more repeats on both sides to detect one');
    const [suite] = workloadBaselineJunitSuite(report.workloadBaseline!, 'sweep');
    expect(suite!.join('\n')).toContain('tests="6" failures="0" errors="0" skipped="6"');
  });
});

describe('a default run against its baseline', () => {
  it("shows the comparison in the seed workload's words in its terminal report and summary.md", () => {
    const comparison = derivedSweepReport({ plan, trials: trials(1.2), gate, baseline }).workloadBaseline!;
    const results = recordedResults();
    const seed = recordedWorkloadResults().profiles[0]!.workload!;
    const seeded = { ...results, workloadBaseline: comparison, profiles: results.profiles.map((p) => ({ ...p, criteria: [], workload: { ...seed, name: 'concurrent' } })) };
    const terminal = renderTerminal(seeded);
    expect(terminal).toMatch(/^lockbench concurrent: /);
    expect(terminal).toContain(workloadBaselineLines(comparison, padTable).join('\n'));
    expect(renderMarkdown(seeded)).toContain(renderWorkloadBaselineMarkdown(comparison).join('\n'));
  });

  it("says what a baseline read from the scenario's metrics compared, and how to compare the rest", () => {
    const comparison = derivedSweepReport({ plan, trials: trials(1), gate, baseline: { ...baseline, readFrom: 'scenario-metrics' } }).workloadBaseline!;
    expect(lines({ workloadBaseline: comparison } as ReturnType<typeof derivedSweepReport>).join('\n')).toContain(
      "the baseline was written by an earlier lockbench over the scenario's metrics: compared are the criteria those are judged by (harness/plan/criteria.json's metric, read by criterion id); " +
        'the streams and the other criteria are not kept in it: save it again with --save-baseline to compare them',
    );
  });
});
