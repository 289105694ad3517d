/**
 * Request latency from a samples file, as chart data: every request as a point in time (binned beyond
 * a few thousand, keeping the slow tail), and the percentile curve of each stream. Pure.
 */
import { startedMs } from '../../model/request-times.ts';
import type { RequestSample as SampleRow } from '../../model/results.ts';
import { interpolatedPercentile as percentile } from '../../shared/percentile.ts';

/** Points drawn one by one before the fast bulk of a stream is binned. */
export const MAX_SCATTER_POINTS = 5000;
/** Points drawn at most once binned: a point is about 130 bytes of SVG, and a report has a chart per profile. */
export const MAX_BINNED_POINTS = 2500;
/** Per stream, requests at or above this percentile are always drawn one by one: the slow tail. */
export const KEPT_TAIL_PERCENTILE = 99;
/** Time bins across the run and latency bins per decade of the log scale, when binning; halved until the points fit. */
const TIME_BINS = 600;
const LATENCY_BINS_PER_DECADE = 40;

/** One request, or the fast requests binned into one cell of time and latency. */
export interface LatencyPoint {
  stream: string;
  /** When it was sent, in ms since the chart's origin. */
  sentMs: number;
  latencyMs: number;
  /** No answer, or an error answer. */
  failed: boolean;
  /** Requests this point stands for. */
  requests: number;
}

export interface LatencyPoints {
  points: LatencyPoint[];
  /** Requests in the samples. */
  requests: number;
  /** Whether the fast bulk was binned. */
  binned: boolean;
}

function failed(row: SampleRow): boolean {
  return row.error !== null || row.status === 0 || row.status >= 400;
}

/** Latency of one request: first byte sent to last byte read, as both drivers report it. */
export function latencyMs(row: SampleRow): number {
  // A request never sent has no service time; it shows as failed, at no latency.
  return row.endMs - (row.sentMs ?? row.endMs);
}

/**
 * Every request as a point; or when there are more than `limits.points`, the slow tail and failures as
 * points and the rest binned, about `limits.binned` points in all.
 */
export function latencyPoints(
  samples: readonly SampleRow[],
  originMs: number,
  limits: { points: number; binned: number } = { points: MAX_SCATTER_POINTS, binned: MAX_BINNED_POINTS },
): LatencyPoints {
  const one = (row: SampleRow): LatencyPoint => ({ stream: row.stream, sentMs: startedMs(row) - originMs, latencyMs: latencyMs(row), failed: failed(row), requests: 1 });
  if (samples.length <= limits.points) return { points: samples.map(one), requests: samples.length, binned: false };

  const tailFrom = new Map<string, number>();
  for (const [stream, latencies] of latenciesByStream(samples)) tailFrom.set(stream, percentile(latencies, KEPT_TAIL_PERCENTILE)!);
  const first = samples.reduce((min, r) => Math.min(min, startedMs(r)), Infinity);
  const last = samples.reduce((max, r) => Math.max(max, startedMs(r)), -Infinity);
  const tail: LatencyPoint[] = [];
  const bulk: SampleRow[] = [];
  for (const row of samples) {
    if (failed(row) || latencyMs(row) >= tailFrom.get(row.stream)!) tail.push(one(row));
    else bulk.push(row);
  }
  // Coarser cells until the whole chart fits: each halving of both bins quarters the cells at most.
  let cells: LatencyPoint[] = [];
  for (let timeBins = TIME_BINS, perDecade = LATENCY_BINS_PER_DECADE; ; timeBins /= 2, perDecade /= 2) {
    cells = binned(bulk, first, Math.max((last - first) / timeBins, 1e-9), perDecade, one);
    if (tail.length + cells.length <= limits.binned || timeBins < 4) break;
  }
  return { points: [...tail, ...cells], requests: samples.length, binned: true };
}

/** One point per stream, time bin and latency bin, standing for the requests in it. */
function binned(rows: readonly SampleRow[], firstMs: number, binMs: number, perDecade: number, one: (row: SampleRow) => LatencyPoint): LatencyPoint[] {
  const cells = new Map<string, LatencyPoint>();
  for (const row of rows) {
    const key = `${row.stream}\u0000${Math.floor((startedMs(row) - firstMs) / binMs)}\u0000${Math.floor(Math.log10(Math.max(latencyMs(row), 1e-3)) * perDecade)}`;
    const cell = cells.get(key);
    if (cell) cell.requests += 1;
    else cells.set(key, one(row));
  }
  return [...cells.values()];
}

/** Sorted latencies per stream, streams in order of first appearance. */
export function latenciesByStream(samples: readonly SampleRow[]): Map<string, number[]> {
  const byStream = new Map<string, number[]>();
  for (const row of samples) {
    const latencies = byStream.get(row.stream);
    if (latencies) latencies.push(latencyMs(row));
    else byStream.set(row.stream, [latencyMs(row)]);
  }
  for (const latencies of byStream.values()) latencies.sort((a, b) => a - b);
  return byStream;
}

/** A point of a percentile curve: `percentile` 0..100 at `latencyMs`. */
export interface PercentilePoint {
  percentile: number;
  latencyMs: number;
}

/** Points of a curve drawn at most; beyond that, percentiles spaced evenly on the log "1 / (1 - q)" axis. */
const MAX_CURVE_POINTS = 400;

/**
 * The percentile curve of sorted latencies, with the k6 definition the criteria use (so p99 on the
 * curve is the p99 the criteria judge), from p0 to the highest percentile the samples resolve.
 */
export function percentileCurve(sorted: readonly number[]): PercentilePoint[] {
  const n = sorted.length;
  if (n === 0) return [];
  const top = n === 1 ? 0 : 100 * (1 - 1 / n);
  const steps = Math.min(n, MAX_CURVE_POINTS);
  const curve: PercentilePoint[] = [];
  for (let i = 0; i < steps; i++) {
    // Evenly spaced in log(1 / (1 - q)), the axis the chart draws.
    const x = Math.pow(100 / (100 - top), steps === 1 ? 0 : i / (steps - 1));
    const p = 100 * (1 - 1 / x);
    curve.push({ percentile: p, latencyMs: percentile(sorted, p)! });
  }
  return curve;
}

/** The percentiles marked on each curve. */
export const MARKED_PERCENTILES = [50, 95, 99] as const;
