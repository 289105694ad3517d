/**
 * Turns one profile's measurements (k6 summary, the target's lock statistics, the workflow writers,
 * the integrity check) into the headline metrics the criteria judge. Pure: tested on recorded data.
 */
import type { SummaryFile } from '../../scenarios/lib/contract.ts';
import { isLockTimeout } from '../../target/locks/errors.ts';

export type { SummaryFile };
import type {
  ErrorCounts,
  ImportWindowResult,
  IntegrityResult,
  LockFigureSource,
  ObservedLocks,
  ProfileMetrics,
  TargetLockStats,
  WindowLatency,
  WorkflowWriterSummary,
  WriteSample,
} from '../results.ts';
import { importWindowOf, windowLatency, type SampleTiming } from './import-window.ts';
import type { RequestSample } from './k6-samples.ts';

export interface ProfileMeasurements {
  summary: SummaryFile | null;
  locks: Omit<TargetLockStats, 'spans'> | null;
  writers: WorkflowWriterSummary | null;
  integrity: IntegrityResult | null;
  /** From import_jobs (server clock), for the note that cross-checks the client's figure. */
  importJobsWallMs: number | null;
  /** Every request k6 timed (its CSV output); null when not read. */
  requestSamples: RequestSample[] | null;
  /** Every answered workflow write (up to the writers' cap); null when the writers did not run. */
  writeSamples: WriteSample[] | null;
  /** The write lock seen from outside during k6; null when the profile stopped before the observer's turn. */
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

/** The k6 scenario whose latency the catalog criteria judge. */
export const CATALOG_SCENARIO = 'catalog';

/** Below this many samples a p99 is an interpolation between the slowest two, not a tail estimate. */
const FEW_SAMPLES_FOR_P99 = 100;

const REQUEST_TIMING: SampleTiming<RequestSample> = { startOf: (s) => s.startMs, latencyOf: (s) => s.durationMs };
const WRITE_TIMING: SampleTiming<WriteSample> = { startOf: (s) => s.scheduledAtMs, latencyOf: (s) => s.latencyMs };

/** The import window and the in-window latency of the catalog updates and the workflow writes. */
export function importWindowFigures(m: ProfileMeasurements): ImportWindowResult {
  const window = importWindowOf(m.summary?.lockbench.imports);
  const catalog = m.requestSamples?.filter((s) => s.scenario === CATALOG_SCENARIO) ?? null;
  // A capped sample list would judge only the start of the run: better not measured than wrong.
  const writesComplete = m.writeSamples !== null && m.writers !== null && m.writeSamples.length === m.writers.writes;
  return {
    startEpochMs: window?.startMs ?? null,
    endEpochMs: window?.endMs ?? null,
    durationMs: window ? window.endMs - window.startMs : null,
    catalog: windowLatency(catalog, window, REQUEST_TIMING, 'k6 request samples (CSV output) were not read'),
    workflowWrites: windowLatency(
      writesComplete ? m.writeSamples : null,
      window,
      WRITE_TIMING,
      m.writers === null ? 'the workflow writers did not report' : `per-write samples were kept for only ${m.writeSamples?.length ?? 0} of ${m.writers.writes} writes`,
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
      maxLockHoldSelfReportedMs: typeof sameWindow === 'number' ? sameWindow : selfReported,
    };
  }
  return {
    maxLockHoldMs: selfReported,
    maxLockHoldSource: selfReported === null ? null : 'self-reported',
    maxLockHoldObservedMs: null,
    maxLockHoldSelfReportedMs: selfReported,
  };
}

export function profileMetrics(m: ProfileMeasurements): ProfileMetrics {
  return metricsOver(m, importWindowFigures(m));
}

/** The metrics, given the import window figures already computed from the same measurements. */
function metricsOver(m: ProfileMeasurements, window: ImportWindowResult): ProfileMetrics {
  const lockbench = m.summary?.lockbench ?? null;
  return {
    // The client's clock: from the first import request's start to the last answer (k6).
    importWallMs: lockbench?.imports.wallMs ?? null,
    ...judgedMaxLockHold(m),
    lockHoldP99Ms: m.locks?.holds.p99Ms ?? null,
    // The criteria judge what the imports could block; the whole-run figures are reported beside them.
    catalogP50Ms: window.catalog.p50Ms,
    catalogP99Ms: window.catalog.p99Ms,
    catalogP50AllMs: lockbench?.latency[CATALOG_SCENARIO]?.p50Ms ?? null,
    catalogP99AllMs: lockbench?.latency[CATALOG_SCENARIO]?.p99Ms ?? null,
    workflowWriteP99Ms: window.workflowWrites.p99Ms,
    workflowWriteP99AllMs: m.writers?.latency.p99Ms ?? null,
    requestSuccessRate: lockbench?.requestSuccessRate ?? null,
    busyErrors: mergeBusy(m.locks?.busyErrors ?? {}, m.writers?.errorsByCode ?? {}),
    artifactsExpected: lockbench?.imports.artifactsAcknowledged ?? null,
    artifactsFound: m.integrity?.artifacts.found ?? null,
    integrityOk: m.integrity?.ok ?? null,
  };
}

const ms = (v: number | null): string => (v === null ? 'not measured' : `${v >= 100 ? Math.round(v) : v.toFixed(1)} ms`);

/** One window-bound figure, said with the samples it rests on and the whole-run figure beside it. */
interface WindowNote {
  criterion: string;
  /** What was sampled, plural: `catalog updates`. */
  what: string;
  latency: WindowLatency;
  /** The judged figures, formatted. */
  inWindow: string;
  /** The same over the whole run, formatted. */
  wholeRun: string;
  windowMs: number | null;
}

function windowNote(n: WindowNote): string {
  const { latency: w } = n;
  if (w.p99Ms === null) {
    const counted = w.inWindow === null ? '' : ` (${w.inWindow} of ${w.total ?? '?'} ${n.what} inside it)`;
    return `${n.criterion} not measured over the import window: ${w.reason ?? 'no samples'}${counted}; whole run: ${n.wholeRun}`;
  }
  const few = (w.inWindow ?? 0) < FEW_SAMPLES_FOR_P99 ? ` (under ${FEW_SAMPLES_FOR_P99} samples: the p99 lies between the slowest two)` : '';
  return (
    `${n.criterion} judges the ${w.inWindow} of ${w.total} ${n.what} that started inside the import window ` +
    `(${ms(n.windowMs)}, first import request sent to last import answer): ${n.inWindow}${few}; whole run: ${n.wholeRun}`
  );
}

/**
 * Where the judged latency figures come from and how many samples they rest on; for a run with a
 * catalog scenario (the load case), the only one whose criteria judge them.
 */
function windowNotes(m: ProfileMeasurements, metrics: ProfileMetrics, window: ImportWindowResult): string[] {
  if (!m.summary?.lockbench.latency[CATALOG_SCENARIO]) return [];
  const notes = [
    windowNote({
      criterion: 'catalog-p99',
      what: 'catalog updates',
      latency: window.catalog,
      inWindow: `p50 ${ms(metrics.catalogP50Ms)}, p99 ${ms(metrics.catalogP99Ms)}`,
      wholeRun: `p50 ${ms(metrics.catalogP50AllMs)}, p99 ${ms(metrics.catalogP99AllMs)}`,
      windowMs: window.durationMs,
    }),
  ];
  if (m.writers) {
    notes.push(
      windowNote({
        criterion: 'workflow-p99',
        what: 'workflow writes',
        latency: window.workflowWrites,
        inWindow: `p99 ${ms(metrics.workflowWriteP99Ms)}`,
        wholeRun: `p99 ${ms(metrics.workflowWriteP99AllMs)}`,
        windowMs: window.durationMs,
      }),
    );
  }
  return notes;
}

/** What a reader should know about where the figures came from and what they leave out. */
export function measurementNotes(m: ProfileMeasurements): string[] {
  const notes: string[] = [];
  const lockbench = m.summary?.lockbench;
  if (lockbench) {
    const imports = lockbench.imports;
    notes.push(
      `import wall from the k6 client clock (first import request sent to last answer): ${imports.wallMs === null ? 'not measured' : `${Math.round(imports.wallMs)} ms`}; ` +
        `import_jobs (server clock) says ${m.importJobsWallMs === null ? 'not measured' : `${Math.round(m.importJobsWallMs)} ms`}`,
    );
    if (imports.wallMs === null) {
      notes.push(`only ${imports.completed + imports.partial + imports.failed + imports.errored} of ${imports.expected} imports answered`);
    }
    if (imports.partial + imports.failed + imports.errored > 0) {
      notes.push(`imports: ${imports.completed} completed, ${imports.partial} partial, ${imports.failed} failed, ${imports.errored} errored`);
    }
    const crossed = lockbench.thresholds.filter((t) => !t.ok);
    if (crossed.length > 0) {
      notes.push(
        `k6 thresholds crossed (k6 judges its whole run; reported only, the criteria are the gate): ${crossed.map((t) => `${t.metric} ${t.expression}`).join(', ')}`,
      );
    }
    for (const [name, latency] of Object.entries(lockbench.latency)) {
      if (latency.droppedIterations > 0) {
        notes.push(`${name}: ${latency.droppedIterations} requests were never sent (k6 had no free VU): latency is understated`);
      }
    }
  }
  const window = importWindowFigures(m);
  const metrics = metricsOver(m, window);
  notes.push(...windowNotes(m, metrics, window));
  if (m.writers) {
    if (m.writers.notIssued > 0) {
      notes.push(`workflow writers: ${m.writers.notIssued} of ${m.writers.scheduled} scheduled writes not issued (in-flight bound reached)`);
    }
    if (m.writers.failed > 0) {
      const codes = Object.entries(m.writers.errorsByCode).map(([code, n]) => `${code} ${n}`).join(', ');
      notes.push(`workflow writers: ${m.writers.failed} writes failed (${codes})`);
    }
  }
  for (const problem of m.integrity?.problems ?? []) notes.push(`integrity: ${problem}`);
  notes.push(...lockFigureNotes(m.observed, metrics));
  return notes;
}

/** Where lock-hold's figure came from, and what the cross-check found, said where nobody can miss it. */
function lockFigureNotes(observed: ObservedLocks | null, judged: ProfileMetrics): string[] {
  if (observed === null) return [];
  if (observed.status !== 'observed') {
    return [
      `lock-hold judged on the SELF-REPORTED max hold (${ms(judged.maxLockHoldSelfReportedMs)}), not observed from outside: ${observed.reason}`,
    ];
  }
  const notes = [
    `lock-hold judged on the max hold observed from outside over all holders (${ms(judged.maxLockHoldObservedMs)}); ` +
      `self-reported by the target and the workflow writers over the same window: ${ms(judged.maxLockHoldSelfReportedMs)}`,
  ];
  const others = observed.holders.filter((h) => h.role === 'other' && h.observed.spanCount > 0);
  if (others.length > 0) {
    notes.push(
      `write lock also held by processes that are neither the target nor the workflow writers: ` +
        others.map((h) => `pid ${h.pid} (${h.observed.spanCount} holds, max ${ms(h.observed.holdMaxMs)})`).join(', '),
    );
  }
  if (observed.crossCheck.outcome === 'fault') notes.push(`${observed.crossCheck.detail} (reported, not gating)`);
  notes.push(...observed.crossCheck.warnings.map((w) => `lock cross-check: ${w}`));
  return notes;
}
