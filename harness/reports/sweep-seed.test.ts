/**
 * The reports of the default sweep, from the results.json of a real run: `scenario:sweep --vary
 * batchSize=1,10 --base staged --repeat 2 --seed 1 --baseline <an earlier sweep of 1 repeat>` (builtin
 * driver, 2 CPUs shared with other work), as written but for absolute paths. Its trials carry the seed
 * workload (scenarios/concurrent.workload.json), whose criteria judged every point; its baseline is over the
 * scenario's figures. The reports are a workload sweep's, with that baseline and the usual recommendation.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { RunResults } from '../model/results.ts';
import type { SweepSummary } from '../model/sweep.ts';
import { reportResultsOf } from './html/input.ts';
import { renderReportHtml } from './html/page.ts';
import { markdownTable, renderBaselineMarkdown } from './markdown.ts';
import { renderSweepTerminal, renderWorkloadSweep, sweptWorkload } from './sweep.ts';
import { padTable, renderBaselineTerminal } from './terminal.ts';

type SweepResults = RunResults & SweepSummary;

const recorded = (): SweepResults => JSON.parse(readFileSync(new URL('./fixtures/results-sweep-seed.json', import.meta.url), 'utf8')) as SweepResults;

/** The seed-only table of the scenario's figures, which a sweep judged by its workload no longer shows. */
const SEED_TABLE = /import wall(\s+| \| |<\/th><th>)max lock hold|n = requests inside the import window/;

describe('the reports of the default sweep', () => {
  const results = recorded();
  const terminal = renderWorkloadSweep(results, padTable, { ranked: true, baseline: renderBaselineTerminal });
  const markdown = renderWorkloadSweep(results, markdownTable, { ranked: true, baseline: renderBaselineMarkdown });

  it('is a workload sweep by its data: its trials carry the seed workload', () => {
    expect(sweptWorkload(results)).toBe(true);
    expect(sweptWorkload({ trials: results.trials.map((t) => ({ ...t, result: { ...t.result, workload: undefined } })) })).toBe(false);
  });

  it("tables per point the seed workload's criteria and its streams, under the scenario's own headline", () => {
    expect(terminal).toMatch(/^lockbench sweep on staged: batchSize = 1, 10, 2 repeat\(s\), seed 1, 4 trial\(s\) in /m);
    expect(terminal).toMatch(/^criterion\s+threshold\s+batchSize=1 \(median of 2\)\s+batchSize=10 \(median of 2\)$/m);
    expect(terminal).toMatch(/^import-wall\s+< 4,000 ms\s+3,032 ms pass\s+3,191 ms pass$/m);
    expect(terminal).toMatch(/^catalog-p99\s+< 500 ms\s+25\.2 ms pass\s+90\.9 ms pass$/m);
    expect(terminal).toMatch(/^no-loss\s+== acknowledged\s+500 \/ 500 rows pass\s+500 \/ 500 rows pass$/m);
    expect(terminal).toMatch(/^batchSize-1\s+imports\s+2\s+10\s+0\s+0\s+0\s+3,028 ms\s+3,032 ms\s+pass$/m);
    expect(terminal).toMatch(/^\s+workflow \(SQL\)\s+2\s+171\s+0\s+-\s+0\s+1\.8 ms\s+12\.8 ms$/m);
    expect(terminal).toContain("criteria: the median over a point's completed repeats; a criterion passes at a point when it passed in every repeat");
    expect(markdown).toContain('| import-wall | < 4,000 ms | 3,032 ms pass | 3,191 ms pass |');
    for (const text of [terminal, markdown]) expect(text).not.toMatch(SEED_TABLE);
    // Data without a workload keeps the scenario's figures table.
    expect(renderSweepTerminal(results)).toMatch(SEED_TABLE);
  });

  it("keeps the baseline over the scenario's figures, the recommendation sentence and the gate line", () => {
    expect(terminal).toMatch(/^batchSize-1\s+import wall \(gated\)\s+3,117 ms\s+3,032 ms\s+-2\.7 %\s+- \(1 vs 2\)\s+too few samples$/m);
    expect(terminal).toContain('against the baseline: no gated regression');
    expect(markdown).toMatch(/\| batchSize-10 \| import wall \(gated\) \| 3,056 ms \| 3,191 ms \| \+4\.4 % \|/);
    expect(terminal).toContain('\nrecommended: batchSize=1 meets every criterion (2 of 2 points do) with median import-wall 3,032 ms, the best\ngate (baseline): PASS\n');
  });

  it('says "no recommendation" as any ranked sweep does when no point qualifies', () => {
    const none = { ...results, recommendation: null, recommendationReason: 'no point meets every criterion' };
    expect(renderWorkloadSweep(none, padTable, { ranked: true })).toMatch(/^no recommendation: no point meets every criterion$/m);
    expect(renderWorkloadSweep(none, padTable)).toMatch(/^no point meets every criterion$/m);
  });

  it("draws report.html as a workload sweep: the seed's criteria per point, each stream's p99 against the varied value, the baseline", async () => {
    const html = await renderReportHtml({ results: reportResultsOf(results), timelines: [] });
    const section = (id: string) => html.slice(html.indexOf(`<section id="${id}">`), html.indexOf('</section>', html.indexOf(`<section id="${id}">`)));
    expect(section('criteria')).toContain('<td>import-wall</td><td>&lt; 4,000 ms</td><td class="pass">3,032 ms pass</td><td class="pass">3,191 ms pass</td>');
    const sweep = section('sweep');
    for (const stream of ['imports', 'catalog', 'reads', 'workflow']) expect(sweep).toContain(`${stream} p99 (ms)`);
    expect(sweep).toContain('<td>workflow (SQL)</td>');
    expect(sweep).not.toMatch(SEED_TABLE);
    expect(html).toContain('<section id="baseline">');
    expect(html).toContain("Charts of <b>batchSize-1.r1</b>, the repeat whose import wall is nearest the point's median");
  });
});
