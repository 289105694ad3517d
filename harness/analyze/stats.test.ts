import { describe, expect, it } from 'vitest';
import { mannWhitneyU, medianInterval, summarizeSamples } from './stats.ts';
import { repeatsForConfidence } from '../model/results.ts';

describe('summarizeSamples', () => {
  it('gives median, range and the values in the order they ran', () => {
    expect(summarizeSamples([30, 10, 20])).toEqual({ median: 20, min: 10, max: 30, ci95: [10, 30], ci95Coverage: 0.75, samples: [30, 10, 20] });
    expect(summarizeSamples([4, 1, 3, 2])!.median).toBe(2.5);
  });

  it('collapses the interval of one sample to [x, x], with no confidence', () => {
    expect(summarizeSamples([7])).toMatchObject({ median: 7, ci95: [7, 7], ci95Coverage: 0 });
  });

  it('is null for no values', () => {
    expect(summarizeSamples([])).toBeNull();
  });
});

describe('medianInterval', () => {
  const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

  it('is [min, max] while fewer than 6 samples cannot reach 95 %, with the coverage it has', () => {
    expect(medianInterval(range(3))).toEqual({ ci95: [1, 3], coverage: 0.75 });
    expect(medianInterval(range(5))).toEqual({ ci95: [1, 5], coverage: 0.9375 });
    expect(medianInterval(range(6))).toEqual({ ci95: [1, 6], coverage: 0.96875 });
  });

  it('reaches 95 % from 6 repeats on, 50 % from 2, 99 % from 8', () => {
    expect(repeatsForConfidence()).toBe(6);
    expect(medianInterval(range(repeatsForConfidence() - 1)).coverage).toBeLessThan(0.95);
    expect(repeatsForConfidence(0.5)).toBe(2);
    expect(repeatsForConfidence(0.99)).toBe(8);
  });

  // The distribution-free intervals of the median tabulated by Conover, Practical Nonparametric
  // Statistics (3rd ed.), section 3.2: n = 9 -> (x2, x8), n = 20 -> (x6, x15).
  it('narrows to the tabulated order statistics as samples grow', () => {
    expect(medianInterval(range(8)).ci95).toEqual([1, 8]);
    expect(medianInterval(range(9)).ci95).toEqual([2, 8]);
    expect(medianInterval(range(9)).coverage).toBeCloseTo(1 - 20 / 512, 10);
    expect(medianInterval(range(20)).ci95).toEqual([6, 15]);
    expect(medianInterval(range(20)).coverage).toBeGreaterThanOrEqual(0.95);
  });
});

describe('mannWhitneyU', () => {
  // Hollander & Wolfe (1973), Nonparametric Statistical Methods, p. 69: permeability constants of the
  // human chorioamnion at term (x) and at 12 to 26 weeks (y); the example of R's wilcox.test, which
  // reports W = 35, one-sided p = 0.1272 (two-sided 0.2544).
  it('reproduces the textbook example exactly', () => {
    const x = [0.8, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46];
    const y = [1.15, 0.88, 0.9, 0.74, 1.21];
    const result = mannWhitneyU(x, y);
    expect(result).toMatchObject({ uX: 35, uY: 15, u: 15, method: 'exact' });
    expect(result.p).toBeCloseTo(0.2544, 4);
  });

  it('gives the exact smallest two-sided p-values of fully separated small samples', () => {
    expect(mannWhitneyU([1, 2, 3], [4, 5, 6]).p).toBeCloseTo(0.1, 10);
    expect(mannWhitneyU([1, 2, 3, 4], [5, 6, 7, 8]).p).toBeCloseTo(2 / 70, 10); // 0.0286
    expect(mannWhitneyU([6, 7, 8, 9, 10], [1, 2, 3, 4, 5]).p).toBeCloseTo(2 / 252, 10); // 0.0079
  });

  it('is symmetric in its arguments and 1 for interleaved samples', () => {
    expect(mannWhitneyU([1, 4, 5], [2, 3, 6])).toMatchObject({ uX: 4, uY: 5, u: 4, p: 1 });
    expect(mannWhitneyU([2, 3, 6], [1, 4, 5])).toMatchObject({ uX: 5, uY: 4, u: 4, p: 1 });
  });

  // Checked against scipy.stats.mannwhitneyu(a, b, method='asymptotic', use_continuity=True): U = 3.5, p = 0.013.
  it('uses the normal approximation with tie and continuity corrections when values tie', () => {
    const result = mannWhitneyU([1, 2, 2, 3, 3, 3, 4], [3, 4, 4, 5, 5, 6]);
    expect(result).toMatchObject({ uX: 3.5, method: 'normal' });
    expect(result.p).toBeCloseTo(0.0130, 4);
  });

  it('finds no difference between identical or all-tied samples', () => {
    expect(mannWhitneyU([10, 20, 30], [10, 20, 30]).p).toBe(1);
    expect(mannWhitneyU([1, 1, 1], [1, 1, 1])).toMatchObject({ p: 1, method: 'normal' });
  });

  // scipy.stats.mannwhitneyu: asymptotic p = 0.026946, exact p = 0.026577.
  it('approximates samples beyond the exact limit close to the exact value', () => {
    const x = Array.from({ length: 60 }, (_, i) => i * 2);
    const y = Array.from({ length: 60 }, (_, i) => i * 2 + 15);
    const result = mannWhitneyU(x, y);
    expect(result).toMatchObject({ uX: 1378, method: 'normal' });
    expect(result.p).toBeCloseTo(0.026946, 5);
  });
});
