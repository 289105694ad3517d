/**
 * How a sweep ranks the points that meet every criterion: by the figures of criteria named in order (a
 * workload's `rank`), each better one way. The sweep knows the criteria only by these ids.
 */

/** Which way a figure is better. */
export type Better = 'lower' | 'higher';

/** A criterion a sweep ranks by, and which way its figure is better (from its comparison: `<` lower, `>` higher). */
export interface RankedCriterion {
  criterion: string;
  better: Better;
}

/** A ranked criterion's figure at a point: its `measured`, the median over the point's repeats; null when not measured. */
export interface RankedFigure {
  criterion: string;
  value: number | null;
  unit: string;
}
