/**
 * The statistics a comparison rests on: a metric's median and spread over repeats, a distribution-free
 * 95 % interval for that median, and the Mann–Whitney U rank test between two sets of repeats.
 */
import { errorFunction, max, median, min, wilcoxonRankSum } from 'simple-statistics';
import { CONFIDENCE, type SampleSummary } from '../model/results.ts';

/** log(n choose k), so the binomial tail below holds for any number of repeats without underflow. */
function logChoose(n: number, k: number): number {
  let sum = 0;
  for (let i = 1; i <= k; i++) sum += Math.log(n - k + i) - Math.log(i);
  return sum;
}

/** P(B <= k) for B ~ Binomial(n, 1/2). */
function binomialHalfCdf(k: number, n: number): number {
  let p = 0;
  for (let i = 0; i <= k; i++) p += Math.exp(logChoose(n, i) - n * Math.LN2);
  return Math.min(1, p);
}

/**
 * The order-statistic interval of the median of `sortedValues`: [x(j), x(n+1-j)] with the largest j
 * whose coverage 1 - 2 P(B <= j-1), B ~ Binomial(n, 1/2), is still at least {@link CONFIDENCE}.
 *
 * Chosen over a bootstrap interval because a sweep has a handful of repeats: the bootstrap percentile
 * interval of a median of 3 to 5 values is far narrower than its nominal 95 % and depends on a random
 * seed, whereas this one is exact for any continuous distribution, needs no resampling, and says
 * honestly (through its coverage) when there are too few repeats for 95 %.
 */
export function medianInterval(sortedValues: readonly number[]): { ci95: [number, number]; coverage: number } {
  const n = sortedValues.length;
  if (n === 0) throw new RangeError('medianInterval needs at least one value');
  let j = 1;
  while (j + 1 <= n + 1 - (j + 1) && 1 - 2 * binomialHalfCdf(j, n) >= CONFIDENCE) j++;
  return { ci95: [sortedValues[j - 1]!, sortedValues[n - j]!], coverage: 1 - 2 * binomialHalfCdf(j - 1, n) };
}

/** Median, range and interval of one metric's values; null when there are none. */
export function summarizeSamples(values: readonly number[]): SampleSummary | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const { ci95, coverage } = medianInterval(sorted);
  return { median: median(sorted), min: min(sorted), max: max(sorted), ci95, ci95Coverage: coverage, samples: [...values] };
}

/** How the p-value of a rank test was found. */
export type RankTestMethod = 'exact' | 'normal';

export interface MannWhitneyResult {
  /** U of the first sample: pairs (x, y) with x > y, ties counting one half. */
  uX: number;
  uY: number;
  /** min(uX, uY), the statistic tables list. */
  u: number;
  /** Two-sided p-value. */
  p: number;
  method: RankTestMethod;
  /** The standardized statistic (continuity corrected) when the normal approximation was used. */
  z?: number;
}

/**
 * Samples this small (each side) without ties get the exact p-value, as R's wilcox.test does; beyond
 * it the normal approximation is within a few thousandths.
 */
export const EXACT_MAX_SAMPLES = 50;

/**
 * Probability of each U from 0 to m*n under the null hypothesis (every ordering of the m + n values
 * equally likely), by the recurrence f(i, j, u) = f(i-1, j, u-j) + f(i, j-1, u): the largest value
 * either is an x (beating all j y's) or a y. Hand-written because simple-statistics gives only the
 * rank sum, and the exact small-sample distribution is what makes 3-to-5-repeat comparisons honest.
 */
function exactUDistribution(m: number, n: number): Float64Array {
  // row[j] holds the counts of U for (i, j) as i advances; counts fit doubles with full relative precision.
  let row: Float64Array[] = Array.from({ length: n + 1 }, () => Float64Array.of(1));
  for (let i = 1; i <= m; i++) {
    const next: Float64Array[] = [Float64Array.of(1)];
    for (let j = 1; j <= n; j++) {
      const counts = new Float64Array(i * j + 1);
      const xLast = row[j]!;
      for (let u = 0; u < xLast.length; u++) counts[u + j] = counts[u + j]! + xLast[u]!;
      const yLast = next[j - 1]!;
      for (let u = 0; u < yLast.length; u++) counts[u] = counts[u]! + yLast[u]!;
      next.push(counts);
    }
    row = next;
  }
  const counts = row[n]!;
  const total = counts.reduce((a, b) => a + b, 0);
  return counts.map((c) => c / total);
}

function normalCdf(z: number): number {
  return 0.5 * (1 + errorFunction(z / Math.SQRT2));
}

function tieGroupSizes(values: readonly number[]): number[] {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.values()];
}

/**
 * Mann–Whitney U two-sided test of whether `x` and `y` come from the same distribution. Exact (from the
 * permutation distribution of U) for samples of at most {@link EXACT_MAX_SAMPLES} without ties; otherwise
 * the normal approximation with the tie correction of the variance and a continuity correction.
 */
export function mannWhitneyU(x: readonly number[], y: readonly number[]): MannWhitneyResult {
  const m = x.length;
  const n = y.length;
  if (m === 0 || n === 0) throw new RangeError('mannWhitneyU needs at least one value on each side');
  const uX = wilcoxonRankSum([...x], [...y]) - (m * (m + 1)) / 2;
  const uY = m * n - uX;
  const u = Math.min(uX, uY);
  const ties = tieGroupSizes([...x, ...y]).filter((t) => t > 1);

  if (ties.length === 0 && m <= EXACT_MAX_SAMPLES && n <= EXACT_MAX_SAMPLES) {
    const distribution = exactUDistribution(m, n);
    let lowerTail = 0;
    for (let k = 0; k <= u; k++) lowerTail += distribution[k]!;
    return { uX, uY, u, p: Math.min(1, 2 * lowerTail), method: 'exact' };
  }

  const total = m + n;
  const tieTerm = ties.reduce((sum, t) => sum + t ** 3 - t, 0) / (total * (total - 1));
  const sigma = Math.sqrt(((m * n) / 12) * (total + 1 - tieTerm));
  // Every value tied: no ordering to test.
  if (sigma === 0) return { uX, uY, u, p: 1, method: 'normal', z: 0 };
  const z = Math.max(0, Math.abs(uX - (m * n) / 2) - 0.5) / sigma;
  return { uX, uY, u, p: Math.min(1, 2 * (1 - normalCdf(z))), method: 'normal', z };
}
