import { describe, expect, it } from 'vitest';
import { buildPlan, resolveVary, trialProgress } from '../plan/sweep.ts';
import { derivedBatchSweep, derivedSweepReport, derivedTrial } from '../analyze/testing.ts';
import { formatTrialProgress, renderPlan, renderSweepJunit, renderWorkloadSweep } from './sweep.ts';
import { markdownTable } from './markdown.ts';
import { padTable } from './terminal.ts';
import { recordedWorkloadResults } from './testing.ts';

const cells = (line: string | undefined) => line!.split(/\s{2,}/);
const count = (xml: string, tag: string) => xml.split(`<${tag}`).length - 1;

describe('renderPlan and formatTrialProgress', () => {
  it('prints the points, repeats, the seed, each round\'s order and the estimate', () => {
    const plan = buildPlan({ base: 'staged', vary: resolveVary({ batchSizes: '1,10' }), repeat: 2, seed: 9 });
    const text = renderPlan(plan, 150_000);
    expect(text).toContain('sweep on staged: batchSize = 1, 10; 2 point(s) x 2 repeat(s) = 4 trials, each on a fresh database');
    expect(text).toContain('seed 9 (--seed 9 runs the same order)');
    expect(text).toMatch(/round 1: batchSize-1\d*, batchSize-1\d*\n {2}round 2: /);
    expect(text).toContain('estimated duration: 2 min 30 s');
  });

  it('shows trial i of N, the elapsed time and the ETA', () => {
    expect(formatTrialProgress(trialProgress({ completed: 2, total: 6, elapsedMs: 40_000 }), 'batchSize-10.r1')).toBe(
      'trial 3 of 6 (batchSize-10.r1): elapsed 40.0 s, ETA 80.0 s',
    );
    expect(formatTrialProgress(trialProgress({ completed: 0, total: 6, elapsedMs: 0 }), 'x.r1')).toBe('trial 1 of 6 (x.r1): elapsed 0 ms, ETA unknown');
  });
});

describe('renderWorkloadSweep of the default sweep', () => {
  const lines = renderWorkloadSweep(derivedSweepReport(), padTable, { ranked: true }).split('\n');

  it("has one column per point with the median of each of its workload's criteria and the verdict of every repeat", () => {
    expect(cells(lines.find((l) => l.startsWith('criterion')))).toEqual([
      'criterion', 'threshold', 'batchSize=1 (median of 3)', 'batchSize=10 (median of 3)', 'batchSize=100 (median of 3)',
    ]);
    expect(cells(lines.find((l) => l.startsWith('import-wall')))).toEqual(['import-wall', '< 4,000 ms', '3,650 ms pass', '3,031 ms pass', '3,005 ms pass']);
    expect(cells(lines.find((l) => l.startsWith('catalog-p99')))).toEqual(['catalog-p99', '< 500 ms', '19.0 ms pass', '55.0 ms pass', '590 ms FAIL (failed in 3 of 3 repeats)']);
    expect(lines).toContain("criteria: the median over a point's completed repeats; a criterion passes at a point when it passed in every repeat");
  });

  it('ends with the recommendation and the gate', () => {
    expect(lines).toContain('recommended: batchSize=10 meets every criterion (2 of 3 points do) with median import-wall 3,031 ms, the best');
    expect(lines.at(-2)).toBe('gate (recommended): PASS');
  });

  it('says when nothing qualifies, and lists trials that did not complete', () => {
    const { trials } = derivedBatchSweep();
    const slow = trials.map((t) => derivedTrial(t, 'staged', { importWallMs: 4_500 }));
    slow[0] = { ...slow[0]!, result: { ...slow[0]!.result, status: 'errored', error: 'target crashed' } };
    const text = renderWorkloadSweep(derivedSweepReport({ trials: slow }), padTable, { ranked: true });
    expect(text).toMatch(/^no recommendation: no point meets every criterion; the closest is batchSize=\d+, which misses import-wall 4,500 ms \(the median; failed in \d of \d repeats\), expected < 4,000 ms/m);
    expect(text).toContain(`${slow[0]!.trialId}: errored (target crashed)`);
    expect(text).toMatch(/^import-wall\s+< 4,000 ms\s+4,500 ms FAIL \(failed in 2 of 2 repeats\)/m);
    expect(text).toMatch(/^gate \(recommended\): FAIL: no point meets every criterion/m);
  });

  it('is the same report in summary.md, as Markdown tables', () => {
    const md = renderWorkloadSweep(derivedSweepReport(), markdownTable, { ranked: true });
    expect(md).toContain('| import-wall | < 4,000 ms | 3,650 ms pass | 3,031 ms pass | 3,005 ms pass |');
    expect(md).toContain('recommended: batchSize=10');
    expect(md).toContain('gate (recommended): PASS');
  });
});

describe('renderSweepJunit', () => {
  it('has a case per point and criterion: the gated point\'s misses fail, the others\' are skipped with what they missed', () => {
    const xml = renderSweepJunit(derivedSweepReport({ gate: { kind: 'point', pointId: 'batchSize-100' } }));
    expect(count(xml, 'testsuite ')).toBe(4);
    expect(count(xml, 'testcase ')).toBe(3 * 6 + 1);
    expect(xml).toContain('<failure message="measured 590 ms, expected &lt; 500 ms">');
    expect(xml).toContain('<testsuite name="lockbench.sweep.gate" tests="1" failures="1"');
    const recommended = renderSweepJunit(derivedSweepReport());
    expect(recommended).toContain('failures="0" errors="0" skipped="1"');
    expect(recommended).toContain('<skipped message="not gated: measured 590 ms, expected &lt; 500 ms" />');
  });

  it('has no gate case when nothing is gated', () => {
    expect(renderSweepJunit(derivedSweepReport({ gate: null }))).not.toContain('lockbench.sweep.gate');
  });
});

describe('an interrupted sweep', () => {
  const report = { ...derivedSweepReport(), complete: false, incompleteReason: 'interrupted (SIGINT/SIGTERM)' };

  it('says INCOMPLETE and no verdict first, in the terminal, summary.md and junit.xml', () => {
    const terminal = renderWorkloadSweep(report, padTable, { ranked: true }).split('\n');
    expect(terminal[0]).toBe('INCOMPLETE, no verdict: interrupted (SIGINT/SIGTERM)');
    expect(terminal.at(-2)).toMatch(/^gate \(.*\): no verdict \(INCOMPLETE: interrupted \(SIGINT\/SIGTERM\)\)$/);
    expect(renderWorkloadSweep(report, markdownTable, { ranked: true }).split('\n')[0]).toBe('INCOMPLETE, no verdict: interrupted (SIGINT/SIGTERM)');
    const xml = renderSweepJunit(report);
    expect(xml).toMatch(/<testsuites name="lockbench sweep: INCOMPLETE"/);
    expect(xml.indexOf('<error message="INCOMPLETE: interrupted (SIGINT/SIGTERM); no verdict" />')).toBeLessThan(xml.indexOf('<testsuite name="lockbench.sweep.'));
  });

  it("before any trial reached analysis: its workload's criteria and streams, every point not run, no verdict", () => {
    const shop = recordedWorkloadResults().profiles[0]!.workload!;
    const none = { ...derivedSweepReport({ trials: [] }), complete: false, incompleteReason: 'interrupted (SIGINT/SIGTERM)', workload: shop };
    const text = renderWorkloadSweep(none, padTable);
    const lines = text.split('\n');
    expect(lines[0]).toBe('INCOMPLETE, no verdict: interrupted (SIGINT/SIGTERM)');
    expect(lines[1]).toMatch(new RegExp(`^lockbench sweep of workload ${shop.name} on staged: batchSize = 1, 10, 100, 3 repeat\\(s\\), seed 11, 0 trial\\(s\\) in `));
    expect(shop.criteria.length).toBeGreaterThan(0);
    for (const c of shop.criteria) expect(cells(lines.find((l) => l.startsWith(`${c.id} `))).slice(-3)).toEqual(['not run', 'not run', 'not run']);
    expect(shop.streams.length).toBeGreaterThan(0);
    const first = cells(lines.find((l) => l.startsWith('batchSize-1 ')));
    expect(first).toEqual(['batchSize-1', shop.streams[0]!.stream, '0', '-', '-', '-', '-', '-', '-', 'not measured']);
    expect(text).not.toContain('the workload has no criteria');
    expect(text).toContain('no point was measured: every trial failed or none ran');
    expect(lines.at(-2)).toBe('gate (recommended): no verdict (INCOMPLETE: interrupted (SIGINT/SIGTERM))');
    expect(none.points.every((p) => p.status === 'not-run' && p.criteria.length === 0 && !p.pass)).toBe(true);
    expect(none.pass).toBe(false);
  });
});
