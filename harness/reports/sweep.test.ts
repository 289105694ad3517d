import { describe, expect, it } from 'vitest';
import { buildPlan, resolveVary, trialProgress } from '../plan/sweep.ts';
import { derivedBatchSweep, derivedSweepReport, derivedTrial } from '../analyze/testing.ts';
import { formatTrialProgress, renderPlan, renderSweepJunit, renderSweepMarkdown, renderSweepTerminal } from './sweep.ts';

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

describe('renderSweepTerminal', () => {
  const lines = renderSweepTerminal(derivedSweepReport()).split('\n');

  it('has one row per point with median [min–max] of each metric, the requests behind each p99 and the criteria', () => {
    expect(cells(lines.find((l) => l.startsWith('point')))).toEqual([
      'point', 'repeats', 'import wall', 'max lock hold', 'catalog p99', 'workflow p99', 'success', 'busy errors', 'criteria',
    ]);
    expect(cells(lines.find((l) => l.startsWith('batchSize=10 ')))).toEqual([
      'batchSize=10', '3', '3,031 ms [3,012–3,060]', '13.9 ms [13.2–14.6]', '55.0 ms [49.0–61.0] n=61*', '80.0 ms [74.0–85.0] n=61*', '100.00 %', '0', 'pass',
    ]);
    expect(lines.find((l) => l.startsWith('batchSize=100 '))).toMatch(/590 ms \[575–610\] n=61\*.*FAIL catalog-p99$/);
    expect(lines).toContain('* p99 over fewer than 100 requests: close to the maximum of what was sent, not a tail estimate');
  });

  it('says the confidence the intervals of the medians actually have, not the 95 % they aim for', () => {
    expect(lines).toContain(
      'intervals of the medians (order statistics, distribution-free): 75 % confidence with 3 repeats; below 6 repeats the interval is the range [min–max], and 6 or more reach 95 %',
    );
  });

  it('ends with the recommendation and the gate', () => {
    expect(lines).toContain('recommended: batchSize=10 meets every criterion (2 of 3 points do) with median import-wall 3,031 ms, the best');
    expect(lines.at(-2)).toBe('gate (recommended): PASS');
  });

  it('says when nothing qualifies, and lists trials that did not complete', () => {
    const { trials } = derivedBatchSweep();
    const slow = trials.map((t) => derivedTrial(t, 'staged', { importWallMs: 4_500 }));
    slow[0] = { ...slow[0]!, result: { ...slow[0]!.result, status: 'errored', error: 'target crashed' } };
    const text = renderSweepTerminal(derivedSweepReport({ trials: slow }));
    expect(text).toMatch(/^no recommendation: no point meets every criterion; the closest is batchSize=\d+, which misses import-wall 4,500 ms, expected < 4,000 ms/m);
    expect(text).toContain(`${slow[0]!.trialId}: errored (target crashed)`);
    expect(text).toMatch(/2 of 3 .*FAIL import-wall, 1 trial\(s\) incomplete/);
    expect(text).toMatch(/^gate \(recommended\): FAIL: no point meets every criterion/m);
  });
});

describe('renderSweepMarkdown', () => {
  it('has the recommendation, the points table, the intervals with their confidence and the gate', () => {
    const md = renderSweepMarkdown(derivedSweepReport());
    expect(md).toMatch(/^# lockbench sweep on staged\n/);
    expect(md).toContain('**recommended: batchSize=10');
    expect(md).toContain('| batchSize=10 | 3 | 3,031 ms [3,012–3,060] |');
    expect(md).toContain('## Intervals of the medians (75 % confidence)');
    expect(md).not.toContain('95 % interval');
    expect(md).toContain('| batchSize=10 | 3,012 ms – 3,060 ms (75 %) |');
    expect(md).toContain('**gate (recommended): PASS**');
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
    const terminal = renderSweepTerminal(report).split('\n');
    expect(terminal[0]).toBe('INCOMPLETE, no verdict: interrupted (SIGINT/SIGTERM)');
    expect(terminal.at(-2)).toMatch(/^gate \(.*\): no verdict \(INCOMPLETE: interrupted \(SIGINT\/SIGTERM\)\)$/);
    expect(renderSweepMarkdown(report).split('\n')[0]).toMatch(/^# lockbench sweep on \S+: INCOMPLETE$/);
    const xml = renderSweepJunit(report);
    expect(xml).toMatch(/<testsuites name="lockbench sweep: INCOMPLETE"/);
    expect(xml.indexOf('<error message="INCOMPLETE: interrupted (SIGINT/SIGTERM); no verdict" />')).toBeLessThan(xml.indexOf('<testsuite name="lockbench.sweep.'));
  });
});

