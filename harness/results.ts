/**
 * The results of a run as plain typed data (DESIGN.md "Results contract"). Everything that renders
 * (terminal table, summary.md, junit.xml) reads only these types; nothing here knows how it is shown.
 */
import type { LatencySummary } from './stats/latency-histogram.ts';

export type { LatencySummary };

/** Which k6 script a run drives: the full contention case, or the fast correctness check. */
export type ScenarioName = 'concurrent' | 'smoke';

/**
 * One write-lock hold, for the timeline. Times are fractional epoch milliseconds. The target reports
 * its own (owner "target"); the workflow writers report theirs (owner "workflow-writer").
 */
export interface LockSpan {
  owner: string;
  kind: string;
  requestId: string | null;
  startMs: number;
  endMs: number;
  /** Time spent acquiring the lock before `startMs`, in milliseconds. */
  waitMs?: number;
  pid?: number;
  /** Worker thread id inside `pid`. */
  thread?: number;
}

/**
 * One answered workflow write, kept so its latency can be judged over part of the run (the import
 * window) after the run.
 */
export interface WriteSample {
  /** When the schedule called for the write, fractional epoch milliseconds (the writers' clock). */
  scheduledAtMs: number;
  /** From `scheduledAtMs` to the answer, in ms: the same figure the latency histogram records. */
  latencyMs: number;
  ok: boolean;
}

/** SQLite errors seen, counted by `err.code` (SQLITE_BUSY, SQLITE_BUSY_SNAPSHOT, ...). */
export type ErrorCounts = Record<string, number>;

/** What the workflow writers did during one profile's k6 run. */
export interface WorkflowWriterResult {
  /** Configured write rate, writes per second. */
  writesPerSecond: number;
  /** From the first scheduled write to the stop, in milliseconds. */
  durationMs: number;
  /** Writes the schedule called for. */
  scheduled: number;
  /** Writes that could not be issued because `maxInFlight` writes were already waiting. */
  notIssued: number;
  /** Writes answered by a worker (succeeded or failed). */
  writes: number;
  succeeded: number;
  failed: number;
  /** Writes still in flight when the writers were stopped without draining (Ctrl-C). */
  abandoned: number;
  errorsByCode: ErrorCounts;
  /** Issue-to-answer time of every answered write, measured from its scheduled time, in ms. */
  latency: LatencySummary;
  /** Time BEGIN IMMEDIATE took, in ms. */
  lockWait: LatencySummary;
  /** From BEGIN IMMEDIATE returned to COMMIT returned, in ms. */
  lockHold: LatencySummary;
  /** Rows the writers were told were committed, for the integrity check. */
  acknowledged: {
    /** workflow_executions rows with origin 'writer'. */
    executions: number;
    /** execution_steps rows of those executions. */
    steps: number;
    /** Executions whose final write (status 'succeeded') committed. */
    finishedExecutions: number;
  };
  executionIdPrefix: string;
  spans?: LockSpan[];
  /** Every answered write in order, up to a cap; fewer than `writes` means the cap was reached. */
  samples: WriteSample[];
}

/** What results.json keeps of the writers' result: the figures, without spans and per-write samples. */
export type WorkflowWriterSummary = Omit<WorkflowWriterResult, 'spans' | 'samples'>;

/** How a measured figure is compared with its threshold: `measured <comparison> threshold` passes. */
export type Comparison = '<' | '<=' | '>' | '>=' | '==';

/** A figure as measured: milliseconds, a ratio, a row count, or a yes/no check. */
export type MeasuredValue = number | boolean;

/** One condition of a criterion, evaluated. */
export interface ConditionResult {
  /** Key of the profile's `metrics` that was measured. */
  metric: string;
  comparison: Comparison;
  /** The bound, resolved: a metric-valued threshold holds that metric's measured value (null: not measured). */
  threshold: MeasuredValue | null;
  /** Set when the threshold is another measured metric, e.g. artifactsExpected. */
  thresholdMetric?: string;
  measured: MeasuredValue | null;
  unit: string;
  pass: boolean;
  /** Why it failed when the figures alone do not say (not measured). */
  reason?: string;
}

/**
 * One criterion evaluated for one profile: its main condition (flattened into these fields) and any
 * further conditions it `requires`. A missing measurement is a failure with a reason, never a pass.
 */
export interface CriterionResult extends ConditionResult {
  id: string;
  description: string;
  requires: ConditionResult[];
}

/** The headline figures of one profile (DESIGN.md names). `null` means not measured. */
export interface ProfileMetrics {
  /** From the first import job's start to the last one's finish, from import_jobs, in ms. */
  importWallMs: number | null;
  /** Longest write-lock hold by anyone (target or workflow writers), in ms. */
  maxLockHoldMs: number | null;
  /** p99 of the target's write-lock holds, in ms. */
  lockHoldP99Ms: number | null;
  /**
   * p50 / p99 of the catalog updates sent inside the import window (see {@link ImportWindowResult}),
   * in ms: the catalog criteria judge these. Null when the window is unknown or held no update.
   */
  catalogP50Ms: number | null;
  catalogP99Ms: number | null;
  /** p50 / p99 of every catalog update of the whole k6 run (k6's summary), in ms; reported beside, not judged. */
  catalogP50AllMs: number | null;
  catalogP99AllMs: number | null;
  /** p99 of the workflow writes scheduled inside the import window, in ms: the workflow criterion judges it. */
  workflowWriteP99Ms: number | null;
  /** p99 of every workflow write of the run (HDR histogram), in ms; reported beside, not judged. */
  workflowWriteP99AllMs: number | null;
  /** Share of k6 requests that succeeded, 0..1. */
  requestSuccessRate: number | null;
  /** SQLite busy errors by code, target and workflow writers together. */
  busyErrors: ErrorCounts;
  /** Artifacts the import responses acknowledged as committed. */
  artifactsExpected: number | null;
  /** Artifacts rows found in the database for the imported sources. */
  artifactsFound: number | null;
  integrityOk: boolean | null;
}

/** Latency of what started inside the import window, with how many samples it rests on. */
export interface WindowLatency {
  /** Requests or writes that started inside the window; null when that cannot be known. */
  inWindow: number | null;
  /** All of them over the whole run; null when not measured. */
  total: number | null;
  /** Over those inside the window, in ms; null when there were none. */
  p50Ms: number | null;
  p99Ms: number | null;
  /** Why the in-window figures are missing. */
  reason?: string;
}

/**
 * The import window: from the first import request sent to the last import answer received, on the
 * k6 client's clock (epoch ms from the summary's lockbench block). The latency criteria are about
 * what the imports block, so they judge only requests and writes that started inside it.
 */
export interface ImportWindowResult {
  /** Null when some import never answered: the window then has no end. */
  startEpochMs: number | null;
  endEpochMs: number | null;
  durationMs: number | null;
  /** Catalog updates (k6 scenario `catalog`), started = sent. */
  catalog: WindowLatency;
  /** Workflow writer writes, started = scheduled. */
  workflowWrites: WindowLatency;
}

/** The database check after a profile's load: what was acknowledged is stored, once, and intact. */
export interface IntegrityResult {
  ok: boolean;
  /** `PRAGMA integrity_check` lines ("ok" when intact). */
  integrityCheck: string[];
  artifacts: { acknowledged: number | null; found: number; duplicates: number };
  collectionArtifacts: { found: number; missing: number };
  compositeChildren: { found: number; duplicates: number };
  workflowExecutions: { acknowledged: number | null; found: number; unfinished: number | null };
  executionSteps: { acknowledged: number | null; found: number };
  /** Human-readable reasons when not ok. */
  problems: string[];
}

/** Lock statistics the target reported over the k6 run (GET /api/health/locks). */
export interface TargetLockStats {
  sinceMs: number;
  holds: LatencySummary;
  waits: LatencySummary;
  busyErrors: ErrorCounts;
  walBytes: number | null;
  spans: LockSpan[];
}

/** completed: all phases ran; incomplete: stopped early (Ctrl-C) with what was measured; errored: a phase failed. */
export type ProfileStatus = 'completed' | 'incomplete' | 'errored';

export interface ProfileResult {
  name: string;
  gated: boolean;
  status: ProfileStatus;
  /** Why the profile did not complete. */
  error?: string;
  /** The target flags this profile ran with, and the resolved configuration the target reported. */
  config: { flags: Record<string, string>; target: Record<string, unknown> | null };
  metrics: ProfileMetrics;
  /** The import window and the sample counts the in-window latency figures rest on. */
  importWindow: ImportWindowResult;
  criteria: CriterionResult[];
  pass: boolean;
  /** Things a reader of the figures should know (where a figure came from, what could not be measured). */
  notes: string[];
  /** Phase durations in milliseconds, in the order they ran. */
  phases: { name: string; durationMs: number }[];
  workflowWriters: WorkflowWriterSummary | null;
  targetLocks: Omit<TargetLockStats, 'spans'> | null;
  integrity: IntegrityResult | null;
  /** What each load observer (watching the database from outside during the k6 run) reported, by name. */
  observers: Record<string, unknown>;
  /** Files beside results.json. */
  files: {
    k6Summary: string | null;
    k6Log: string | null;
    /** k6's per-request samples (CSV), from which the in-window catalog figures are computed. */
    k6Samples: string | null;
    targetLog: string | null;
    spans: string | null;
  };
}

export interface HostInfo {
  cpus: number;
  cpuModel: string;
  node: string;
  platform: string;
  totalMemoryBytes: number;
}

export interface RunResults {
  scenario: ScenarioName;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  /** False when the run was interrupted or a profile could not run; the figures are what was measured. */
  complete: boolean;
  incompleteReason?: string;
  k6: { version: string | null; path: string | null };
  host: HostInfo;
  /** The resolved run options (counts, rates, work model). */
  options: Record<string, unknown>;
  profiles: ProfileResult[];
  /** Every gated profile ran to completion and passed every criterion. */
  pass: boolean;
}
