/**
 * What a profile's criteria draw on its charts: the windows latency is judged in (shaded on the time
 * charts) and each stream's latency thresholds (dashed on its percentile chart), from the profile's
 * workload's criteria alone, each by the stream and window it names.
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

/** A profile's (or trial's) criteria as its charts draw them. */
export function criteriaMarks(profile: ProfileResult): CriteriaMarks {
  return workloadMarks(profile.workload?.criteria ?? []);
}
