import { describe, expect, it } from 'vitest';
import { compareMetric } from '../predict/accuracy.ts';
import { renderModelBenchMarkdown, renderModelBenchTerminal, type ModelBenchSweep } from './bench-model.ts';

const range = (median: number, min = median, max = median) => ({ median, min, max });

function sweep(base: string, wall: [measured: number, predicted: number]): ModelBenchSweep {
  const metrics = [compareMetric('importWallMs', range(wall[0]), range(wall[1]))];
  const hit = metrics[0]!.verdict === 'hit' ? 1 : 0;
  return {
    base,
    repeat: 3,
    durationMs: 171_000,
    reportDir: `reports/x/${base}`,
    costsSource: 'defaults',
    comparison: { points: [{ pointId: 'batchSize-10', settings: { batchSize: 10 }, metrics }], disagreements: [], hits: { importWallMs: { hits: hit, of: 1 } } },
  };
}

describe("bench:model's report", () => {
  it('shows every sweep beside its prediction, misses included, and the hits over all', () => {
    const sweeps = [sweep('staged', [3_071, 3_027]), sweep('seed-fix', [17_122, 15_257])];
    const text = renderModelBenchTerminal(sweeps);
    expect(text).toContain('staged: 3 repeat(s) measured in 2 min 51 s (reports/x/staged)');
    expect(text).toMatch(/batchSize=10 +import wall +3,071 ms +3,027 ms +-1\.4 % +within 10 % +hit/);
    expect(text).toMatch(/batchSize=10 +import wall +17,122 ms +15,257 ms +-10\.9 % +within 10 % +MISS/);
    expect(text).toContain('hits over all points: import wall 1/2');
    expect(renderModelBenchMarkdown(sweeps)).toContain('| batchSize=10 | import wall | 17,122 ms | 15,257 ms | -10.9 % | within 10 % | MISS (ranges apart) |');
  });
});
