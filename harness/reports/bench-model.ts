/**
 * `bench:model`'s report: per measured sweep, every point's predicted beside measured figures with the
 * error and the verdict against the model's accuracy targets, then the hits over all.
 */
import type { SweepMetric } from '../model/results.ts';
import type { PredictionComparison } from '../model/prediction.ts';
import { formatDuration, METRIC_NAMES } from './format.ts';
import { markdownTable } from './markdown.ts';
import { comparisonNotes, comparisonTable } from './prediction.ts';
import { padTable } from './terminal.ts';

/** One measured sweep of the benchmark and its comparison with the model. */
export interface ModelBenchSweep {
  base: string;
  repeat: number;
  durationMs: number;
  /** The sweep's report folder. */
  reportDir: string;
  costsSource: string;
  comparison: PredictionComparison;
}

function hitsOverAll(sweeps: readonly ModelBenchSweep[]): string {
  const totals = new Map<SweepMetric, { hits: number; of: number }>();
  for (const sweep of sweeps) {
    for (const [metric, h] of Object.entries(sweep.comparison.hits) as [SweepMetric, { hits: number; of: number }][]) {
      const t = totals.get(metric) ?? { hits: 0, of: 0 };
      totals.set(metric, { hits: t.hits + h.hits, of: t.of + h.of });
    }
  }
  return `hits over all points: ${[...totals].map(([m, t]) => `${METRIC_NAMES[m]} ${t.hits}/${t.of}`).join(', ')}`;
}

function heading(sweep: ModelBenchSweep): string {
  return `${sweep.base}: ${sweep.repeat} repeat(s) measured in ${formatDuration(sweep.durationMs)} (${sweep.reportDir})`;
}

export function renderModelBenchTerminal(sweeps: readonly ModelBenchSweep[]): string {
  const lines = ['lockbench bench:model: the model\'s predictions against measured sweeps', ''];
  for (const sweep of sweeps) {
    const { header, rows } = comparisonTable(sweep.comparison);
    lines.push(heading(sweep), '', ...padTable(header, rows), '', ...comparisonNotes(sweep.comparison), '');
  }
  lines.push(hitsOverAll(sweeps), `costs: ${sweeps[0]?.costsSource ?? 'none'}`);
  return `${lines.join('\n')}\n`;
}

export function renderModelBenchMarkdown(sweeps: readonly ModelBenchSweep[]): string {
  const lines = ['# lockbench bench:model', ''];
  for (const sweep of sweeps) {
    const { header, rows } = comparisonTable(sweep.comparison);
    lines.push(`## ${heading(sweep)}`, '', ...markdownTable(header, rows), '', ...comparisonNotes(sweep.comparison).map((n) => `- ${n}`), '');
  }
  lines.push(hitsOverAll(sweeps), '', `Costs: ${sweeps[0]?.costsSource ?? 'none'}.`, '');
  return lines.join('\n');
}
