/**
 * What a profile's criteria draw on its charts: the windows latency is judged in (shaded on the time
 * charts) and each stream's latency thresholds (dashed on its percentile chart). A profile that carries a
 * workload's result is drawn from that workload's criteria alone, each by the stream and window it names;
 * results written before profiles carried one are drawn from their import window and latency criteria.
 */
import type { ProfileResult } from '../../model/results.ts';
import type { WindowedLatency, WorkloadCriterionResult } from '../../model/workload.ts';
import { formatValue } from '../format.ts';
import type { LatencyThreshold } from './charts.ts';

/** A window criteria judged in, epoch ms, with its name as the charts write it (`imports window`). */
export interface JudgedWindow {
  label: string;
  startMs: number;
  endMs: number;
}

export interface CriteriaMarks {
  /** Drawn from a workload's criteria; false for results written before profiles carried one. */
  fromWorkload: boolean;
  /** Every window a criterion judged in, once each, in criteria order. */
  windows: JudgedWindow[];
  /** Criteria ids by window label: the caption says which criteria judge inside each band. */
  judgedIn: Map<string, string[]>;
  /** The window a stream's latency is judged in (the first criterion's, when several judge it in different ones); null when none is. */
  windowOf(stream: string): JudgedWindow | null;
  /** The latency criteria that judge a stream, as its chart labels them. */
  thresholdsOf(stream: string): LatencyThreshold[];
}

type Windowed = WorkloadCriterionResult & { windowed: WindowedLatency & { window: NonNullable<WindowedLatency['window']> } };

const hasWindow = (c: WorkloadCriterionResult): c is Windowed => c.windowed?.window !== undefined && c.windowed.window !== null;

const windowLabel = (windowStream: string) => `${windowStream} window`;

/** The stream a latency criterion judges: its window's record says it, else the criterion (absent in results written before either). */
const latencyStream = (c: WorkloadCriterionResult): string | undefined => c.windowed?.stream ?? c.stream;

function workloadMarks(criteria: readonly WorkloadCriterionResult[]): CriteriaMarks {
  const windows = new Map<string, JudgedWindow>();
  const judgedIn = new Map<string, string[]>();
  const byStream = new Map<string, JudgedWindow>();
  for (const c of criteria.filter(hasWindow)) {
    const label = windowLabel(c.windowed.windowStream);
    const window = windows.get(label) ?? { label, startMs: c.windowed.window.startMs, endMs: c.windowed.window.endMs };
    windows.set(label, window);
    judgedIn.set(label, [...(judgedIn.get(label) ?? []), c.id]);
    if (!byStream.has(c.windowed.stream)) byStream.set(c.windowed.stream, window);
  }
  const latency = criteria.filter((c) => c.type === 'latency' && c.threshold !== null);
  return {
    fromWorkload: true,
    windows: [...windows.values()],
    judgedIn,
    windowOf: (stream) => byStream.get(stream) ?? null,
    thresholdsOf: (stream) =>
      latency
        .filter((c) => latencyStream(c) === stream)
        .map((c) => ({
          label: `${c.id} ${c.comparison} ${formatValue(c.threshold, c.unit)}${c.windowed ? ` (${windowLabel(c.windowed.windowStream)})` : ''}`,
          ms: c.threshold!,
        })),
  };
}

/**
 * The stream each latency metric of results written before profiles carried a workload's result judges:
 * those criteria name a metric, not a stream, and were judged inside the import window.
 */
const RECORDED_STREAM_OF_METRIC: Readonly<Record<string, string>> = { catalogP50Ms: 'catalog', catalogP99Ms: 'catalog', workflowWriteP99Ms: 'workflow' };

const RECORDED_WINDOW = 'import window';

function recordedMarks(profile: ProfileResult): CriteriaMarks {
  const { startEpochMs, endEpochMs } = profile.importWindow;
  const window = startEpochMs !== null && endEpochMs !== null ? { label: RECORDED_WINDOW, startMs: startEpochMs, endMs: endEpochMs } : null;
  const judged = profile.criteria.filter((c) => RECORDED_STREAM_OF_METRIC[c.metric] !== undefined);
  return {
    fromWorkload: false,
    windows: window ? [window] : [],
    judgedIn: new Map(),
    // Every stream was split at the import window, judged or not.
    windowOf: () => window,
    thresholdsOf: (stream) =>
      judged
        .filter((c) => RECORDED_STREAM_OF_METRIC[c.metric] === stream && typeof c.threshold === 'number')
        .map((c) => ({ label: `${c.id} ${c.comparison} ${formatValue(c.threshold, c.unit)} (${RECORDED_WINDOW})`, ms: c.threshold as number })),
  };
}

/** A profile's (or trial's) criteria as its charts draw them. */
export function criteriaMarks(profile: ProfileResult): CriteriaMarks {
  return profile.workload ? workloadMarks(profile.workload.criteria) : recordedMarks(profile);
}
