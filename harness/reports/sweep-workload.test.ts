/**
 * The reports of a sweep of a workload, from the results.json of a real run: `scenario:sweep --target
 * scripts/fixtures/fast-target/target.json --workload shop.yaml --base fast --vary streams.edits.rate=10,40
 * --repeat 2 --seed 1` (builtin driver, lock observer on, 2 CPUs shared with other work), as written but for
 * absolute paths. shop.yaml: a request stream `edits` (catalog entries PATCHed at the varied rate), two SQL
 * streams `report` (holds the lock 100 ms, twice a second) and `audit` (20 ms, 5 a second), criteria
 * edits-p99 < 150 ms, few-lock-errors == 0 and lock-hold < 500 ms. Its edits-p99 failed in one of the two
 * repeats at rate 10 (the median, 148 ms, is under the threshold) and in both at rate 40. The recorded
 * trials are analysed again, so the points and what the sweep found are today's analysis of real figures.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { RunResults } from '../model/results.ts';
import type { SweepSummary } from '../model/sweep.ts';
import type { VaryAxis } from '../model/sweep-plan.ts';
import { summarizeSweep } from '../analyze/sweep.ts';
import { buildPlan } from '../plan/sweep.ts';
import { sweepSummaryOf } from './sweep-reasons.ts';
import { reportResultsOf } from './html/input.ts';
import { renderReportHtml } from './html/page.ts';
import { markdownTable } from './markdown.ts';
import { renderWorkloadSweep } from './sweep.ts';
import { padTable } from './terminal.ts';

type SweepResults = RunResults & SweepSummary;

/** The recorded run, its trials analysed again as `scenario:sweep --workload` analyses them. */
function recordedWorkloadSweep(): SweepResults {
  const recorded = JSON.parse(readFileSync(new URL('./fixtures/results-sweep-workload.json', import.meta.url), 'utf8')) as SweepResults;
  const vary = [{ key: 'streams.edits.rate', values: [10, 40] }] as unknown as VaryAxis[];
  const plan = buildPlan({ base: 'fast', profiles: ['fast'], vary, repeat: 2, seed: 1 });
  expect(plan.trials.map((t) => t.id)).toEqual(recorded.trials.map((t) => t.trialId));
  const summary = sweepSummaryOf(summarizeSweep({ scenario: recorded.scenario, startedAt: recorded.startedAt, host: recorded.host, plan, trials: recorded.trials, rank: [], gate: null }));
  return { ...recorded, ...summary };
}

/** What names lockbench's own scenario: its streams and its metrics. */
const SEED_WORDS = /catalog|import|artifact|workflow|busy errors/i;

/** report.html less the parts that are not the sweep's words: the run's options and the target's own reported configuration. */
function sweepParts(html: string): string {
  return html
    .replace(/<section id="run">[\s\S]*?<\/section>/, '')
    .replace(/<details><summary>configuration of [\s\S]*?<\/details>/g, '');
}

describe('the reports of a sweep of a workload', () => {
  const results = recordedWorkloadSweep();

  it('holds the workload\'s criteria in points[], each passing only where it passed in every repeat', () => {
    for (const point of results.points) expect(point.criteria.map((c) => c.id)).toEqual(['edits-p99', 'few-lock-errors', 'lock-hold']);
    const [low, high] = results.points;
    expect(low!.criteria[0]).toMatchObject({ id: 'edits-p99', metric: 'latency', unit: 'ms', threshold: 150, pass: false });
    expect(low!.criteria[0]!.measured).toBeLessThan(150);
    expect(low!.pass).toBe(false);
    expect(high!.criteria.slice(1).every((c) => c.pass)).toBe(true);
    expect(results.recommendation).toBeNull();
  });

  it('tables per point the workload\'s criteria and each stream, and says which point came closest, in the terminal and summary.md', () => {
    const terminal = renderWorkloadSweep(results, padTable);
    expect(terminal).toMatch(/^criterion\s+threshold\s+streams\.edits\.rate=10 \(median of 2\)\s+streams\.edits\.rate=40 \(median of 2\)$/m);
    expect(terminal).toMatch(/^edits-p99\s+< 150 ms\s+148 ms FAIL \(failed in 1 of 2 repeats\)\s+199 ms FAIL \(failed in 2 of 2 repeats\)$/m);
    expect(terminal).toMatch(/^few-lock-errors\s+== 0\s+0 pass\s+0 pass$/m);
    expect(terminal).toMatch(/^streams\.edits\.rate-10\s+edits\s+2\s+60\s+0\s+0\s+0\s+22\.2 ms\s+148 ms\s+FAIL edits-p99$/m);
    expect(terminal).toMatch(/^\s+report \(SQL\)\s+2\s+12\s+0\s+-\s+0\s+106 ms\s+130 ms$/m);
    expect(terminal).toContain('no point meets every criterion; the closest is streams.edits.rate=10, which misses edits-p99 148 ms (the median; failed in 1 of 2 repeats), expected < 150 ms');
    const markdown = renderWorkloadSweep(results, markdownTable);
    expect(markdown).toContain('| edits-p99 | < 150 ms | 148 ms FAIL (failed in 1 of 2 repeats) | 199 ms FAIL (failed in 2 of 2 repeats) |');
    for (const text of [terminal, markdown]) expect(text).not.toMatch(SEED_WORDS);
  });

  it('draws report.html in the workload\'s words: its criteria per point, its streams, no figure of lockbench\'s own scenario', async () => {
    const html = await renderReportHtml({ results: reportResultsOf(results), timelines: [] });
    const criteria = html.slice(html.indexOf('<section id="criteria">'), html.indexOf('</section>', html.indexOf('<section id="criteria">')));
    expect(criteria).toContain('<td>edits-p99</td><td>&lt; 150 ms</td><td class="fail">148 ms FAIL (failed in 1 of 2 repeats)</td><td class="fail">199 ms FAIL (failed in 2 of 2 repeats)</td>');
    expect(criteria).toContain('<td>lock-hold</td>');
    const sweep = html.slice(html.indexOf('<section id="sweep">'), html.indexOf('</section>', html.indexOf('<section id="sweep">')));
    expect(sweep).toContain('No point meets every criterion; the closest is streams.edits.rate=10, which misses edits-p99 148 ms (the median; failed in 1 of 2 repeats), expected &lt; 150 ms.');
    expect(sweep).toContain('<td>audit (SQL)</td>');
    // The chart draws each stream's p99 against the varied value, not the scenario's figures.
    expect(sweep).toContain('data-chart="sweep"');
    for (const stream of ['edits', 'report', 'audit']) expect(sweep).toContain(`${stream} p99 (ms)`);
    expect(html).toContain('<title>lockbench sweep of workload shop on fast (streams.edits.rate = 10, 40): 0 of 2 point(s) meet every criterion</title>');
    expect(sweepParts(html)).not.toMatch(SEED_WORDS);
  });
});
