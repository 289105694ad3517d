/**
 * Turns one trial's measurements (the driver's summary and samples, the target's lock statistics, the
 * workflow writers, the integrity check) into the headline metrics the criteria judge. Pure: tested on
 * recorded data.
 */
import type { LockbenchSummary } from '../../scenarios/lib/contract.ts';
import { isLockTimeout } from '../../target/locks/errors.ts';
import { CATALOG_STREAM, sendLagMs, serviceTimeMs, startedMs } from '../model/request-times.ts';
import { summarizeLatencies } from '../shared/percentile.ts';
import type {
  ErrorCounts,
  ImportWindowResult,
  IntegrityResult,
  LoadFigures,
  LockFigureSource,
  ReliabilityFigures,
  ObservedLocks,
  SendLagFigures,
  StreamSendLag,
  ProfileMetrics,
  RequestSample,
  TargetLockStats,
  WindowLatency,
  WorkflowWriterSummary,
  WriteSample,
} from '../model/results.ts';
import { SUCCEEDED_STATUSES } from '../model/results.ts';
import { importWindowOf, windowLatency, type SampleTiming } from './import-window.ts';

export interface ProfileMeasurements {
  /** The driver's summary of the load. */
  summary: LockbenchSummary | null;
  locks: Omit<TargetLockStats, 'spans'> | null;
  writers: WorkflowWriterSummary | null;
  integrity: IntegrityResult | null;
  /** From import_jobs (server clock), for the note that cross-checks the client's figure. */
  importJobsWallMs: number | null;
  /** Every request the driver timed (the samples file); null when not read. */
  requestSamples: RequestSample[] | null;
  /** Every answered workflow write (up to the writers' cap); null when the writers did not run. */
  writeSamples: WriteSample[] | null;
  /** The write lock seen from outside during the load; null when the trial stopped before the observer's turn. */
  observed: ObservedLocks | null;
}

/** Nothing measured: what a profile that never reached its load reports from. */
export const NO_MEASUREMENTS: ProfileMeasurements = {
  summary: null,
  locks: null,
  writers: null,
  integrity: null,
  importJobsWallMs: null,
  requestSamples: null,
  writeSamples: null,
  observed: null,
};

/** Requests are judged on service time (first byte sent to last byte read), as k6 measures them. */
const REQUEST_TIMING: SampleTiming<RequestSample> = { startOf: startedMs, latencyOf: (s) => serviceTimeMs(s) ?? 0 };
const WRITE_TIMING: SampleTiming<WriteSample> = { startOf: (s) => s.scheduledAtMs, latencyOf: (s) => s.latencyMs };

/** The import window and the in-window latency of the catalog updates and the workflow writes. */
export function importWindowFigures(m: ProfileMeasurements): ImportWindowResult {
  const window = importWindowOf(m.summary?.imports);
  // Only requests that were sent have a latency; those never sent count against success, not latency.
  const catalog = m.requestSamples?.filter((s) => s.stream === CATALOG_STREAM && s.sentMs !== null) ?? null;
  // A capped sample list would judge only the start of the run: better not measured than wrong.
  const writesComplete = m.writeSamples !== null && m.writers !== null && m.writeSamples.length === m.writers.writes;
  return {
    startEpochMs: window?.startMs ?? null,
    endEpochMs: window?.endMs ?? null,
    durationMs: window ? window.endMs - window.startMs : null,
    catalog: windowLatency(catalog, window, REQUEST_TIMING, { code: 'samples-not-read' }),
    workflowWrites: windowLatency(
      writesComplete ? m.writeSamples : null,
      window,
      WRITE_TIMING,
      m.writers === null ? { code: 'writers-did-not-report' } : { code: 'write-samples-capped', kept: m.writeSamples?.length ?? 0, writes: m.writers.writes },
    ),
  };
}

function maxOf(...values: (number | null | undefined)[]): number | null {
  const present = values.filter((v): v is number => typeof v === 'number');
  return present.length === 0 ? null : Math.max(...present);
}

// The writers count every error code; only lock timeouts join the target's busy errors, by the target's own definition.
function mergeBusy(target: ErrorCounts, writers: ErrorCounts): ErrorCounts {
  const merged: ErrorCounts = { ...target };
  for (const [code, n] of Object.entries(writers)) if (isLockTimeout(code)) merged[code] = (merged[code] ?? 0) + n;
  return merged;
}

/**
 * The longest write-lock hold lock-hold judges, and where it comes from: the observer's figure over every
 * holder when it watched (the instrument does not trust the system it measures), else the holders' own.
 */
function judgedMaxLockHold(m: Pick<ProfileMeasurements, 'locks' | 'writers' | 'observed'>): {
  maxLockHoldMs: number | null;
  maxLockHoldSource: LockFigureSource | null;
  maxLockHoldObservedMs: number | null;
  maxLockHoldSelfReportedMs: number | null;
} {
  // Any hold the holders reported: the target's (imports, catalog, workflow routes) and the writers'.
  // Without the target's figures the longest hold is unknown, whatever the writers saw.
  const selfReported = m.locks === null ? null : maxOf(m.locks.holds.maxMs, m.writers?.lockHold.maxMs);
  if (m.observed?.status === 'observed') {
    const observed = m.observed.summary.holdMaxMs;
    // Beside the observed figure, the holders' own over the same window (the observer watches the k6 run;
    // the writers also write before and after it).
    const sameWindow = m.observed.comparison.figures.find((f) => f.id === 'holdMaxMs')?.selfReported;
    return {
      maxLockHoldMs: observed,
      maxLockHoldSource: 'observed',
      maxLockHoldObservedMs: observed,
      // Without the target's own figures the writers' alone are no self-reported max hold.
      maxLockHoldSelfReportedMs: m.locks === null ? null : typeof sameWindow === 'number' ? sameWindow : selfReported,
    };
  }
  return {
    maxLockHoldMs: selfReported,
    maxLockHoldSource: selfReported === null ? null : 'self-reported',
    maxLockHoldObservedMs: null,
    maxLockHoldSelfReportedMs: selfReported,
  };
}

/**
 * What results.json keeps of the driver's summary; without `imports` when a workload file was the load, whose
 * driver counts no imports of the scenario's (its summary's block is all zeros).
 */
export function loadFiguresOf(summary: LockbenchSummary | null, { imports }: { imports: boolean }): LoadFigures | null {
  if (summary === null) return null;
  return { ...(imports ? { imports: summary.imports } : {}), streams: summary.latency, requestSuccessRate: summary.requestSuccessRate, thresholds: summary.thresholds };
}

export function profileMetrics(m: ProfileMeasurements): ProfileMetrics {
  const window = importWindowFigures(m);
  const lockbench = m.summary;
  return {
    // The client's clock: from the first import request's start to the last answer (the driver).
    importWallMs: lockbench?.imports.wallMs ?? null,
    ...judgedMaxLockHold(m),
    lockHoldP99Ms: m.locks?.holds.p99Ms ?? null,
    // The criteria judge what the imports could block; the whole-run figures are reported beside them.
    catalogP50Ms: window.catalog.p50Ms,
    catalogP99Ms: window.catalog.p99Ms,
    catalogP50AllMs: lockbench?.latency[CATALOG_STREAM]?.p50Ms ?? null,
    catalogP99AllMs: lockbench?.latency[CATALOG_STREAM]?.p99Ms ?? null,
    workflowWriteP99Ms: window.workflowWrites.p99Ms,
    workflowWriteP99AllMs: m.writers?.latency.p99Ms ?? null,
    requestSuccessRate: lockbench?.requestSuccessRate ?? null,
    busyErrors: mergeBusy(m.locks?.busyErrors ?? {}, m.writers?.errorsByCode ?? {}),
    artifactsExpected: lockbench?.imports.artifactsAcknowledged ?? null,
    artifactsFound: m.integrity?.artifacts.found ?? null,
    integrityOk: m.integrity?.ok ?? null,
  };
}


const count = (into: Record<string, number>, key: string) => {
  into[key] = (into[key] ?? 0) + 1;
};

/**
 * What failed or was lost over a trial, from its samples, the driver's counts and the integrity check. `rows`
 * are the scenario's artifacts, acknowledged and stored: not counted (null) when `scenarioRows` is false, a
 * workload file's load, whose own rows its no-loss criteria count.
 */
export function reliabilityFigures(m: ProfileMeasurements, metrics: ProfileMetrics, { scenarioRows }: { scenarioRows: boolean }): ReliabilityFigures | null {
  if (m.summary === null) return null;
  const byStatus: Record<string, number> = {};
  const byError: Record<string, number> = {};
  let succeeded = 0;
  for (const s of m.requestSamples ?? []) {
    count(byStatus, String(s.status));
    if (s.error !== null) count(byError, s.error);
    if (s.error === null && SUCCEEDED_STATUSES.includes(s.status)) succeeded++;
  }
  const sent = m.requestSamples?.length ?? 0;
  return {
    requests: { sent, succeeded, failed: sent - succeeded, byStatus, byError },
    droppedIterations: Object.values(m.summary.latency).reduce((sum, l) => sum + l.droppedIterations, 0),
    sqliteErrors: metrics.busyErrors,
    rows: scenarioRows ? { acknowledged: metrics.artifactsExpected, stored: metrics.artifactsFound } : { acknowledged: null, stored: null },
    integrityOk: metrics.integrityOk,
    integrityCheckOk: m.integrity === null ? null : m.integrity.integrityCheck.length === 1 && m.integrity.integrityCheck[0] === 'ok',
  };
}

/**
 * A stream whose send-lag p99 is above this share of its latency p99 is marked: its latency figures are
 * not the target's alone, the driver's own lateness is a visible part of them (0..1).
 */
export const SEND_LAG_SHARE_LIMIT = 0.05;
/** The span from a trial's first scheduled request reported apart, in ms: cold starts show there. */
export const FIRST_SECOND_MS = 1_000;

function streamSendLag(samples: readonly RequestSample[], stream: string, firstScheduledMs: number, latency: Pick<StreamSendLag, 'latencyP99Ms' | 'latencyBasis'>): StreamSendLag {
  const own = samples.filter((s) => s.stream === stream);
  const lagsOf = (of: readonly RequestSample[]) => of.map(sendLagMs).filter((d): d is number => d !== null);
  const lags = lagsOf(own);
  if (lags.length === 0) {
    return { stream, code: own.some((s) => s.scheduledMs !== null) ? 'none-sent' : 'no-schedule', lag: null, firstSecond: null, ...latency };
  }
  const lag = summarizeLatencies(lags);
  const firstSecond = summarizeLatencies(lagsOf(own.filter((s) => s.scheduledMs !== null && s.scheduledMs < firstScheduledMs + FIRST_SECOND_MS)));
  const code = latency.latencyP99Ms === null ? 'no-latency' : lag.p99Ms! > SEND_LAG_SHARE_LIMIT * latency.latencyP99Ms ? 'exceeds-share' : 'within-share';
  return { stream, code, lag, firstSecond, ...latency };
}

/**
 * The send lag of every stream, over the samples; null when they were not read. Streams in the driver's
 * order, then any others the samples name.
 */
export function sendLagFigures(m: Pick<ProfileMeasurements, 'requestSamples' | 'summary'>, judgedP99Ms: Readonly<Record<string, number | null>>): SendLagFigures | null {
  const samples = m.requestSamples;
  if (samples === null) return null;
  let firstScheduledMs = Number.POSITIVE_INFINITY;
  for (const s of samples) if (s.scheduledMs !== null && s.scheduledMs < firstScheduledMs) firstScheduledMs = s.scheduledMs;
  const streams = [...new Set([...Object.keys(m.summary?.latency ?? {}), ...samples.map((s) => s.stream)])];
  // A stream whose p99 a criterion judges (inside a window) is held against that; every other against its whole run.
  const latencyOf = (stream: string): Pick<StreamSendLag, 'latencyP99Ms' | 'latencyBasis'> => {
    const judged = judgedP99Ms[stream];
    return judged !== null && judged !== undefined
      ? { latencyP99Ms: judged, latencyBasis: 'judged' }
      : { latencyP99Ms: m.summary?.latency[stream]?.p99Ms ?? null, latencyBasis: 'whole-run' };
  };
  return {
    shareLimit: SEND_LAG_SHARE_LIMIT,
    streams: streams.filter((stream) => samples.some((s) => s.stream === stream)).map((stream) => streamSendLag(samples, stream, firstScheduledMs, latencyOf(stream))),
  };
}
