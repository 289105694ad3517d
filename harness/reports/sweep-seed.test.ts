/**
 * The reports of the default sweep, from the results.json of a real run: `scenario:sweep --vary
 * batchSize=1,10 --base staged --repeat 2 --seed 1 --baseline <an earlier sweep of 1 repeat>` (builtin
 * driver, 2 CPUs shared with other work), as written but for absolute paths. Its trials carry the seed
 * workload (scenarios/concurrent.workload.json), whose criteria judged every point. It was compared, as
 * lockbench then did, over the scenario's metrics: the earlier sweep's figures are in its `baseline` rows
 * (one repeat each, so each row's `old` is that repeat's figure). Written back as the baseline file of
 * those figures an earlier lockbench saved, they are read as the seed workload's criteria
 * (harness/plan/baseline.ts) and compared with the recorded trials as a default sweep compares now.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { compareToBaseline } from '../analyze/baseline.ts';
import { toBaseline, workloadOfResults } from '../model/baseline.ts';
import type { RunResults } from '../model/results.ts';
import type { SweepSummary } from '../model/sweep.ts';
import { baselineRunOf, loadBaseline } from '../plan/baseline.ts';
import { resolveRun } from '../plan/options.ts';
import { planRun } from '../plan/run.ts';
import { tempDirPerTest } from '../testing/temp-dir.ts';
import { reportResultsOf } from './html/input.ts';
import { renderReportHtml } from './html/page.ts';
import { markdownTable } from './markdown.ts';
import { renderWorkloadSweep } from './sweep.ts';
import { padTable } from './terminal.ts';

type SweepResults = RunResults & SweepSummary;
/** The comparison an earlier lockbench recorded, over the scenario's metrics. */
interface MetricRow {
  entryId: string;
  metric: string;
  old: number;
}

const read = () => JSON.parse(readFileSync(new URL('./fixtures/results-sweep-seed.json', import.meta.url), 'utf8')) as Omit<SweepResults, 'baseline'> & { baseline: { rows: MetricRow[]; baseline: { createdAt: string; host: unknown } } };

/** The recorded sweep, compared with the earlier sweep's figures as the default sweep compares them now. */
async function recorded(dir: string): Promise<SweepResults> {
  const results = read();
  const earlier = results.baseline;
  const file = join(dir, 'baseline.json');
  const entries = [...new Set(earlier.rows.map((r) => r.entryId))].map((id) => ({
    id,
    kind: 'point',
    settings: results.points.find((p) => p.id === id)!.settings,
    samples: Object.fromEntries(earlier.rows.filter((r) => r.entryId === id).map((r) => [r.metric, [r.old]])),
  }));
  writeFileSync(file, JSON.stringify({ format: 'lockbench-baseline', version: 1, scenario: 'concurrent', createdAt: earlier.baseline.createdAt, host: earlier.baseline.host, entries }));
  const saved = await loadBaseline(file, baselineRunOf(planRun(resolveRun({})), { baseline: file })!);
  const workloadBaseline = compareToBaseline(saved, toBaseline(results, workloadOfResults(results)!), { gated: results.points.map((p) => p.id), source: 'baseline.json' });
  return { ...results, baseline: null, workloadBaseline };
}

/** The seed-only table of the scenario's figures, which a sweep judged by its workload no longer shows. */
const SEED_TABLE = /import wall(\s+| \| |<\/th><th>)max lock hold|n = requests inside the import window/;

describe('the reports of the default sweep', () => {
  const temp = tempDirPerTest('lockbench-sweep-seed-');
  let results: SweepResults;
  let terminal: string;
  let markdown: string;
  beforeEach(async () => {
    results = await recorded(temp.path);
    terminal = renderWorkloadSweep(results, padTable, { ranked: true });
    markdown = renderWorkloadSweep(results, markdownTable, { ranked: true });
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
  });

  it("compares with the earlier sweep's baseline by the seed's criteria, and keeps the recommendation sentence and the gate line", () => {
    expect(terminal).toMatch(/^batchSize-1\s+import-wall \(gated\)\s+3,117 ms\s+3,032 ms\s+-2\.7 %\s+- \(1 vs 2\)\s+too few samples$/m);
    expect(terminal).toContain('against the baseline: no verdict: none of the 10 gated figure(s) could be judged (too few repeats or not measured)');
    expect(terminal).toContain("the baseline was written by an earlier lockbench over the scenario's metrics");
    expect(markdown).toMatch(/\| batchSize-10 \| import-wall \(gated\) \| 3,056 ms \| 3,191 ms \| \+4\.4 % \|/);
    expect(markdown).not.toMatch(/import wall|busy errors/);
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
    expect(html).toContain("Charts of <b>batchSize-1.r1</b>, the repeat whose lock-hold is nearest the point's median");
  });
});
