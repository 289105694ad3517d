/**
 * report.html's prediction section for `scenario:sweep --predict`: per metric, the measured median and
 * range beside the predicted median and range across the grid, with the hits and the disagreements.
 */
import type { TopLevelSpec } from 'vega-lite';
import { settingsLabel, SWEEP_METRICS } from '../../model/results.ts';
import type { SweepPrediction } from '../../model/prediction.ts';
import { METRIC_NAMES } from '../format.ts';
import { capitalized, comparisonNotes, MODEL_COMPARISON_TITLE } from '../prediction.ts';
import { renderSvg } from './svg.ts';

/** Percent for the success rate, the metric's own unit otherwise. */
const SCALE: Partial<Record<string, number>> = { requestSuccessRate: 100 };
const UNIT: Partial<Record<string, string>> = { requestSuccessRate: '%', busyErrors: 'errors' };

export function predictionSpec(prediction: SweepPrediction): TopLevelSpec {
  const order = prediction.comparison.points.map((p) => settingsLabel({ id: p.pointId, settings: p.settings }));
  const charts = SWEEP_METRICS.map((metric) => {
    const scale = SCALE[metric] ?? 1;
    const values = prediction.comparison.points.flatMap((p) => {
      const c = p.metrics.find((m) => m.metric === metric);
      if (c === undefined) return [];
      const point = settingsLabel({ id: p.pointId, settings: p.settings });
      return (['measured', 'predicted'] as const).flatMap((source) => {
        const side = c[source];
        return side === null ? [] : [{ point, source, median: side.median * scale, lo: side.min * scale, hi: side.max * scale }];
      });
    });
    const x = { field: 'point', type: 'ordinal', sort: order, title: null, axis: { labelAngle: -30 } } as const;
    return {
      title: { text: METRIC_NAMES[metric], anchor: 'start', fontSize: 13 },
      width: 280,
      height: 180,
      data: { values },
      encoding: { x, xOffset: { field: 'source', type: 'nominal' }, color: { field: 'source', type: 'nominal', legend: { orient: 'bottom', title: null } } },
      layer: [
        {
          mark: { type: 'rule', strokeWidth: 2 },
          encoding: {
            // Success lives between 99 and 100 %: a scale from 0 would hide every difference.
            y: { field: 'lo', type: 'quantitative', title: UNIT[metric] ?? 'ms', scale: { zero: metric !== 'requestSuccessRate' }, axis: metric === 'busyErrors' ? { format: 'd' } : {} },
            y2: { field: 'hi' },
          },
        },
        { mark: { type: 'point', filled: true, size: 50 }, encoding: { y: { field: 'median', type: 'quantitative' } } },
      ],
    };
  });
  return { concat: charts, columns: 3, resolve: { scale: { y: 'independent' } } } as TopLevelSpec;
}

/** The section's HTML; `escape` is the page's own escaping of text. */
export async function predictionSection(prediction: SweepPrediction, escape: (text: string) => string): Promise<string> {
  const svg = await renderSvg(predictionSpec(prediction), 'prediction');
  return [
    '<section id="prediction">',
    `<h2>${escape(capitalized(MODEL_COMPARISON_TITLE))}</h2>`,
    '<p>The model simulates the scenario\'s import flow (imports, catalog updates, reads, workflow writes), so it is compared on the scenario\'s figures: import wall, max lock hold, catalog and workflow p99, success and busy errors.</p>',
    `<figure class="chart" data-chart="prediction">\n${svg}\n<figcaption><b>Each metric across the grid:</b> the measured median with its min–max over the repeats, beside the model's median with its min–max over ${prediction.runs} simulated trial(s). Costs: ${escape(prediction.costsSource)}.</figcaption>\n</figure>`,
    `<ul class="notes">${comparisonNotes(prediction.comparison).map((n) => `<li>${escape(n)}</li>`).join('')}</ul>`,
    '</section>',
  ].join('\n');
}
