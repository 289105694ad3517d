import { describe, expect, it } from 'vitest';
import { compareToBaseline } from '../analyze/baseline.ts';
import { toBaseline, workloadOfResults, type Baseline } from '../model/baseline.ts';
import type { RunResults } from '../model/results.ts';
import { renderJunit } from './junit.ts';
import { renderMarkdown } from './markdown.ts';
import { renderTerminal } from './terminal.ts';
import { recordedWorkloadResults } from './testing.ts';
import { workloadBaselineJunitSuite, workloadBaselineTable, workloadBaselineVerdictLine } from './workload-baseline.ts';

const results = recordedWorkloadResults();
const baseline = toBaseline(results, workloadOfResults(results)!);

/** The recorded run's baseline with each figure repeated `n` times, the gated profile's edits-p99 scaled by `slowdown`. */
function repeated(n: number, slowdown = 1): Baseline {
  return {
    ...baseline,
    entries: baseline.entries.map((e) => ({
      ...e,
      figures: e.figures.map((f) => {
        const scale = e.id === 'batched' && 'criterion' in f.figure && f.figure.criterion === 'edits-p99' ? slowdown : 1;
        return { ...f, samples: f.samples.flatMap((v) => Array.from({ length: n }, (_, i) => v * scale * (1 + i / 100))) };
      }),
    })),
  };
}

function compared(old: Baseline, now: Baseline): RunResults {
  const comparison = compareToBaseline(old, now, { gated: ['batched'], source: 'shop-baseline.json' });
  return { ...results, workloadBaseline: comparison, pass: results.pass && comparison.pass };
}

describe('a workload run against its baseline, in the workload\'s words', () => {
  it('names each row by criterion id or stream, never by a figure of the scenario', () => {
    const { header, rows } = workloadBaselineTable(compared(baseline, baseline).workloadBaseline!);
    expect(header).toEqual(['profile / point', 'criterion / stream figure', 'baseline', 'this run', 'change', 'p (repeats)', 'verdict']);
    expect(rows.filter((r) => r[0] === 'batched').map((r) => r[1])).toEqual([
      'edits-p99 (gated)',
      'no-fast-lock-errors (distance from its == threshold) (gated)',
      'few-lock-errors (gated)',
      'imports-wall (gated)',
      'lock-hold (gated)',
      'imports-stored (distance from its == threshold) (gated)',
      'executions-stored (distance from its == threshold) (gated)',
      ...['source-imports', 'catalog-edits', 'artifact-listing', 'workflow-executions'].flatMap((s) =>
        ['p50', 'p99', 'lock errors', 'lock errors (fast)', 'lock errors (timed out)', 'other errors'].map((f) => `${s} ${f}`),
      ),
    ]);
    expect(rows.find((r) => r[0] === 'batched' && r[1] === 'catalog-edits lock errors (timed out)')).toEqual([
      'batched', 'catalog-edits lock errors (timed out)', '4', '4', '+0.0 %', '- (1 vs 1)', 'too few samples',
    ]);
    // The scenario's metric names appear nowhere, though this workload's own streams are called catalog-edits and the like.
    for (const report of [renderTerminal(compared(baseline, baseline)), renderMarkdown(compared(baseline, baseline))]) {
      expect(report).not.toMatch(/import wall|catalog p99|workflow p99|max lock hold|busy errors/);
    }
  });

  it('says one run against one gives no verdict, in the terminal, summary.md and junit.xml alike', () => {
    const run = compared(baseline, baseline);
    const line = 'against the baseline: no verdict: none of the 7 gated figure(s) could be judged (too few repeats or not measured)';
    expect(workloadBaselineVerdictLine(run.workloadBaseline!)).toBe(line);
    expect(renderTerminal(run)).toContain(line);
    const markdown = renderMarkdown(run);
    expect(markdown).toContain('## Against the baseline');
    expect(markdown).toContain(`**${line}**`);
    expect(markdown).toContain('| batched | edits-p99 (gated) | 9,985 ms | 9,985 ms | +0.0 % | - (1 vs 1) | too few samples |');
    const junit = renderJunit(run, workloadBaselineJunitSuite(run.workloadBaseline!, run.scenario));
    expect(junit).toContain('<testsuite name="lockbench.concurrent.baseline" tests="7" failures="0" errors="0" skipped="7"');
    expect(junit).toContain('name="batched edits-p99: no significant regression against the baseline"');
  });

  it('fails on a gated criterion that regressed with repeats, naming it', () => {
    const run = compared(repeated(4), repeated(4, 1.5));
    expect(run.pass).toBe(false);
    expect(workloadBaselineVerdictLine(run.workloadBaseline!)).toBe('against the baseline: REGRESSED: batched edits-p99');
    const junit = renderJunit(run, workloadBaselineJunitSuite(run.workloadBaseline!, run.scenario));
    expect(junit).toMatch(/<failure message="regressed: 10,134 ms -&gt; 15,201 ms \(\+50\.0 %, p = 0\.029, 4 vs 4 repeats\)">/);
    expect(workloadBaselineVerdictLine(compared(repeated(4), repeated(4)).workloadBaseline!)).toBe('against the baseline: no gated regression');
  });
});
