/**
 * A run against its baseline (harness/model/baseline.ts: the workload's figures per profile or point),
 * figure by figure in the manner of Go's benchstat: a rank test (Mann–Whitney U) decides whether a change
 * is real, a minimum effect whether it matters. The criteria of a gated profile or point gate; the
 * streams' figures are shown beside them. The plan has read the baseline and checked it fits the run
 * (harness/plan/baseline.ts).
 */
import { median } from 'simple-statistics';
import { figureKey, type Baseline } from '../model/baseline.ts';
import type { WorkloadBaselineComparison, WorkloadBaselineRow } from '../model/results.ts';
import { mannWhitneyU } from './stats.ts';

/** Fewer repeats than this on either side: the change is shown, with no verdict. */
export const MIN_SAMPLES = 3;
/**
 * The smallest change in milliseconds that counts, whatever the tolerance: the observer times a hold to
 * within 2 ms plus a sample gap, and scheduling on a shared 2-core machine moves a p99 by as much.
 */
export const MIN_EFFECT_MS = 10;
/** Default smallest change that counts, as a share of the baseline's median (`--tolerance`). */
export const DEFAULT_TOLERANCE = 0.1;
/** Default significance level of the rank test. */
export const DEFAULT_ALPHA = 0.05;

export interface CompareOptions {
  /** Default {@link DEFAULT_TOLERANCE}. */
  tolerance?: number;
  /** Default {@link DEFAULT_ALPHA}. */
  alpha?: number;
  /** Ids of the gated profiles or points; their criteria gate. Default: none. */
  gated?: readonly string[];
  /** Where the baseline was read from, for the report. */
  source?: string;
}

/** The smallest two-sided exact p of a rank test between m and n samples: complete separation. */
function smallestP(m: number, n: number): number {
  let ways = 1; // (m + n choose m)
  for (let i = 1; i <= m; i++) ways = (ways * (n + i)) / i;
  return 2 / ways;
}

/** What a comparison needs to know of a figure: its unit (`ms` and `ratio` are read) and which way is better. */
export interface FigureScale {
  unit: string;
  better: 'lower' | 'higher';
}

/**
 * Whether a change is at least the tolerance. For a rate where higher is better (a success rate) the
 * effect is taken on the failure share (1 - rate): 100 % -> 98 % is a 2 % change of the rate, but
 * failures appearing where there were none, which is what a success criterion is about.
 */
function largeEnough({ unit, better }: FigureScale, old: number, current: number, tolerance: number): boolean {
  const [a, b] = unit === 'ratio' && better === 'higher' ? [1 - old, 1 - current] : [old, current];
  if (a === b) return false;
  // A few milliseconds are the instrument's and the machine's noise, not an effect, however large a
  // share of a small figure they are (a 15 ms hold measured at 20 ms).
  if (unit === 'ms' && Math.abs(b - a) < MIN_EFFECT_MS) return false;
  if (a === 0) return true;
  return Math.abs((b - a) / a) >= tolerance;
}

/** One figure's repeats against the baseline's: medians, change, rank test and verdict. */
export function compareSamples(
  scale: FigureScale,
  old: number[],
  current: number[],
  tolerance: number,
  alpha: number,
): Pick<WorkloadBaselineRow, 'old' | 'new' | 'changePct' | 'p' | 'verdict' | 'detectable'> {
  const oldMedian = old.length > 0 ? median(old) : null;
  const newMedian = current.length > 0 ? median(current) : null;
  const changePct =
    oldMedian === null || newMedian === null ? null : oldMedian === 0 ? (newMedian === 0 ? 0 : null) : ((newMedian - oldMedian) / Math.abs(oldMedian)) * 100;
  const detectable = old.length >= MIN_SAMPLES && current.length >= MIN_SAMPLES && smallestP(old.length, current.length) < alpha;
  const base = { old: oldMedian, new: newMedian, changePct, detectable };
  if (oldMedian === null || newMedian === null) return { ...base, p: null, verdict: 'not-measured' };
  if (old.length < MIN_SAMPLES || current.length < MIN_SAMPLES) return { ...base, p: null, verdict: 'too-few-samples' };
  const { p } = mannWhitneyU(old, current);
  if (p >= alpha || !largeEnough(scale, oldMedian, newMedian, tolerance)) return { ...base, p, verdict: 'no-change' };
  const improved = scale.better === 'lower' ? newMedian < oldMedian : newMedian > oldMedian;
  return { ...base, p, verdict: improved ? 'better' : 'worse' };
}

/**
 * This run against a baseline of the same workload, per shared profile or point and figure; a gated
 * entry's criteria gate. A figure on one side only is compared too (it reads "not measured", never a
 * pass), except against a baseline read from the scenario's metrics, which kept only some criteria.
 */
export function compareToBaseline(old: Baseline, current: Baseline, options: CompareOptions = {}): WorkloadBaselineComparison {
  const tolerance = options.tolerance ?? DEFAULT_TOLERANCE;
  const alpha = options.alpha ?? DEFAULT_ALPHA;
  const gated = new Set(options.gated ?? []);
  const oldById = new Map(old.entries.map((e) => [e.id, e]));
  const rows: WorkloadBaselineRow[] = [];
  for (const entry of current.entries) {
    const before = oldById.get(entry.id);
    if (!before) continue;
    const oldFigures = new Map(before.figures.map((f) => [figureKey(f.figure), f]));
    const newFigures = new Map(entry.figures.map((f) => [figureKey(f.figure), f]));
    const keys = old.readFrom === 'scenario-metrics' ? [...oldFigures.keys()] : [...new Set([...newFigures.keys(), ...oldFigures.keys()])];
    for (const key of keys) {
      const now = newFigures.get(key);
      const then = oldFigures.get(key);
      const scale = (now ?? then)!;
      const oldSamples = then?.samples ?? [];
      const newSamples = now?.samples ?? [];
      rows.push({
        entryId: entry.id,
        figure: scale.figure,
        unit: scale.unit,
        better: scale.better,
        ...compareSamples(scale, oldSamples, newSamples, tolerance, alpha),
        oldSamples: oldSamples.length,
        newSamples: newSamples.length,
        // The criteria judge the run, so they gate; the streams' figures are shown beside them.
        gated: gated.has(entry.id) && 'criterion' in scale.figure,
      });
    }
  }
  const currentIds = new Set(current.entries.map((e) => e.id));
  const regressions = rows.filter((r) => r.gated && r.verdict === 'worse');
  return {
    baseline: { scenario: old.scenario, createdAt: old.createdAt, host: old.host, ...(options.source === undefined ? {} : { source: options.source }) },
    workload: current.workload.name,
    ...(old.readFrom ? { readFrom: old.readFrom } : {}),
    tolerance,
    alpha,
    rows,
    onlyInBaseline: old.entries.filter((e) => !currentIds.has(e.id)).map((e) => e.id),
    onlyInRun: current.entries.filter((e) => !oldById.has(e.id)).map((e) => e.id),
    regressions,
    pass: regressions.length === 0,
  };
}
