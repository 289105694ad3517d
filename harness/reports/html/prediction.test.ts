import { describe, expect, it } from 'vitest';
import type { SweepPrediction } from '../../model/prediction.ts';
import { compareMetric } from '../../predict/accuracy.ts';
import { escapeHtml } from './page.ts';
import { predictionSection } from './prediction.ts';

const range = (median: number, min = median, max = median) => ({ median, min, max });

const prediction: SweepPrediction = {
  costsSource: 'defaults <of a run>',
  runs: 5,
  seed: 1,
  points: [],
  recommendationReason: 'x',
  comparison: {
    points: [
      { pointId: 'batchSize-10', settings: { batchSize: 10 }, metrics: [compareMetric('importWallMs', range(3_100, 3_000, 3_200), range(3_050)), compareMetric('catalogP99Ms', range(70, 60, 80), range(300))] },
    ],
    disagreements: [{ pointId: 'batchSize-10', metric: 'catalogP99Ms' }],
    hits: { importWallMs: { hits: 1, of: 1 }, catalogP99Ms: { hits: 0, of: 1 } },
  },
};

describe("report.html's prediction section", () => {
  it('draws predicted beside measured and names where the two disagree', async () => {
    const html = await predictionSection(prediction, escapeHtml);
    expect(html).toContain('data-chart="prediction"');
    expect(html).toContain('<svg');
    // Titled as the model's own comparison, over the scenario's figures, apart from a sweep's workload criteria.
    expect(html).toContain("<h2>The model's prediction beside measurement, over the scenario's figures</h2>");
    expect(html).toContain('import wall 1/1, catalog p99 0/1');
    expect(html).toContain('batchSize=10 catalog p99 (measured 70.0 ms [60.0–80.0], predicted 300 ms)');
    // Text from the run is escaped.
    expect(html).toContain('defaults &lt;of a run&gt;');
  });
});
