/**
 * The results of a run as plain typed data (results.json, described in reports/README.md). Everything that renders
 * (terminal table, summary.md, junit.xml) reads only these types; nothing here knows how it is shown.
 */
import type { WorkloadResult } from './workload.ts';
import type { NotJudged } from './not-judged.ts';
import type { SelfReportedLockSpan } from '../shared/lock-span.ts';
import type { FigureId, JournalMode, JournalModeSpan, LockComparison, SampleGaps } from './lock-observation.ts';
import type { LatencySummary } from '../shared/latency-histogram.ts';
import type { ImportsSummary, ScenarioLatency, ThresholdResult } from '../../scenarios/lib/contract.ts';

/** Why a criterion could not be judged although a figure may exist (./not-judged.ts, shared with a workload's criteria). */
export type { NotJudged };

/** The load drivers: lockbench's own open-model driver, or the user's k6. */
export type DriverName = 'builtin' | 'k6';

/** Which driver measured a run, as every report names it. */
export interface DriverInfo {
  name: DriverName;
  /** The builtin driver's HTTP client version (undici), or k6's version. */
  version: string | null;
}

/** Which k6 script a run drives: the full contention case, or the fast correctness check. */
export type ScenarioName = 'concurrent' | 'smoke' | 'soak';

/**
 * A self-reported write-lock hold as a run records it, for the timeline (`target` and `workflowWriters`
 * of spans-<trial>.json) and the cross-check. The target reports its own (owner "target", as its lock
 * figures serve them); the workflow writers report theirs (owner "workflow-writer"). `pid` is missing
 * only from spans recorded before they carried it or served by a target that leaves it out: readers
 * take the reporting process's then.
 */
export interface RecordedLockSpan extends Omit<SelfReportedLockSpan, 'pid'> {
  owner: string;
  kind: string;
  requestId: string | null;
  pid?: number;
  /** Worker thread id inside `pid` (the workflow writers'). */
  thread?: number;
  /** The workload's SQL stream whose writers held it (a run from a workload); absent otherwise. */
  stream?: string;
}

/** Client-side error codes a sample can carry. */
export type SampleError = 'timeout' | 'refused' | 'reset' | 'aborted' | (string & {});

/** One request as a driver timed it. */
export interface RequestSample {
  stream: string;
  /** When the schedule called for it, epoch ms; null where the driver does not know (k6). */
  scheduledMs: number | null;
  /** When its first byte was sent, epoch ms; null when it never was (refused, dropped before sending). */
  sentMs: number | null;
  /** When its last byte was read, or when it failed, epoch ms. */
  endMs: number;
  /** HTTP status; 0 when there was no answer. */
  status: number;
  /** Client-side error; null when an answer was read. */
  error: SampleError | null;
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
  /** BEGIN to the write lock held (or to the failure when it never was), in ms; absent when a worker failed outside SQLite. */
  waitMs?: number;
  /** The write lock held to COMMIT or ROLLBACK returned, in ms; absent when it never was held. */
  holdMs?: number;
  /** `err.code` of the failure (SQLITE_BUSY, ...), failed writes only. */
  errorCode?: string;
  /** BEGIN to the failure, in ms, failed writes only: a lock error in a few ms was refused at once. */
  failedAfterMs?: number;
  /** The workload's SQL stream that wrote it, when the side writers run several. */
  stream?: string;
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
  spans?: RecordedLockSpan[];
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
  /** Where the measured figure came from, for a figure measured one of two ways (lock-hold). */
  basis?: LockFigureSource;
  requires: ConditionResult[];
  /** Set when the criterion was not judged (then `pass` is false and the figure reads "not measured"). */
  notJudged?: NotJudged;
}

/** The headline figures of one profile, as results.json names them (reports/README.md). `null` means not measured. */
export interface ProfileMetrics {
  /** From the first import job's start to the last one's finish, from import_jobs, in ms. */
  importWallMs: number | null;
  /**
   * Longest write-lock hold by anyone (target, workflow writers, any other process), in ms: the figure
   * lock-hold judges. Seen from outside by the lock observer when it ran ({@link maxLockHoldSource}
   * 'observed'); otherwise the holders' own figure ('self-reported').
   */
  maxLockHoldMs: number | null;
  /** Where {@link maxLockHoldMs} comes from; null when neither side measured it. */
  maxLockHoldSource: LockFigureSource | null;
  /** Longest write-lock hold the observer saw over the k6 run (all holders), in ms; null when it did not run. */
  maxLockHoldObservedMs: number | null;
  /** Longest write-lock hold the target and the workflow writers reported about themselves, in ms: the cross-check. */
  maxLockHoldSelfReportedMs: number | null;
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
  reason?: WindowLatencyMissing;
}

/**
 * Why a window latency has no in-window figures: the request samples were not read, the workflow writers
 * did not report, only `kept` of their `writes` per-write samples were kept (a capped list would judge only
 * the start of the run), the window is unknown (not every import answered), or nothing started inside it.
 */
export type WindowLatencyMissing =
  | { code: 'samples-not-read' }
  | { code: 'writers-did-not-report' }
  | { code: 'write-samples-capped'; kept: number; writes: number }
  | { code: 'window-unknown' }
  | { code: 'window-empty' };

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
  /** `found` is null when the rows were not counted (a foreign target without `sql.artifactsPerSource`). */
  artifacts: { acknowledged: number | null; found: number | null; duplicates: number };
  collectionArtifacts: { found: number; missing: number };
  compositeChildren: { found: number; duplicates: number };
  workflowExecutions: { acknowledged: number | null; found: number; unfinished: number | null };
  executionSteps: { acknowledged: number | null; found: number };
  /** Human-readable reasons when not ok. */
  problems: string[];
  /** Checks that were not run, and why (a foreign target's description lacks their SQL): never counted as passed. */
  notRun?: string[];
}

/** Lock statistics the target reported over the k6 run (GET /api/health/locks). */
export interface TargetLockStats {
  sinceMs: number;
  holds: LatencySummary;
  waits: LatencySummary;
  busyErrors: ErrorCounts;
  walBytes: number | null;
  spans: RecordedLockSpan[];
}

/** Where a lock figure comes from: watched from outside by the lock observer, or reported by the holders themselves. */
export type LockFigureSource = 'observed' | 'self-reported';

/**
 * Who held the write lock, told apart by the pid the kernel reports: the target (the process lockbench
 * started, or `--target-pid`, and every process descended from it), the harness process whose worker
 * threads are the workflow writers, or any other process.
 */
export type LockHolderRole = 'target' | 'workflow-writers' | 'other';

/** Write-lock figures of one holder over the observed window. */
export interface HolderLockFigures {
  spanCount: number;
  /** Sum of the holds, in ms. */
  heldMs: number;
  holdMaxMs: number | null;
}

/** One holder as the observer saw it, beside what it reported about itself over the same window. */
export interface ObservedHolder {
  role: LockHolderRole;
  pid: number;
  /**
   * Its command (`/proc/<pid>/comm`), its parent's pid and whether it runs the same command as its parent
   * (a forking server's worker), as the observer read them when it first held a lock. Absent for a holder
   * never seen holding (or in results recorded before they were kept).
   */
  command?: string;
  parentPid?: number | null;
  worker?: boolean;
  observed: HolderLockFigures;
  /** Its own spans that lie inside the observed window; null for a holder that does not report (other). */
  selfReported: HolderLockFigures | null;
}

/**
 * The measurement checking itself: do the holds seen from outside and those the holders report agree
 * within the tolerance plus one sample gap? `fault` is an instrumentation fault: one side is wrong about
 * a hold it can time (max hold, p99 hold, or a hold long enough to be seen that the other side lacks);
 * `faults` names those figures. It is reported (and a failing JUnit case), not a criterion: the exit code
 * stays the criteria's gate. `warnings` names figures beyond their allowance that are not faults: the
 * duty cycle, which sums every hold, including the many shorter than a sample gap that polling cannot
 * time one by one. The figures themselves are in the comparison beside it; the reports word them.
 */
export type LockCrossCheck =
  | { outcome: 'agree'; warnings: FigureId[] }
  | { outcome: 'fault'; faults: FigureId[]; warnings: FigureId[] }
  | { outcome: 'not-checked'; because: CrossCheckSkipped; warnings: [] };

/**
 * Why nothing was cross-checked: the observer did not watch (its `reason` beside), the target's own lock
 * spans could not be collected, the target reports no lock figures of its own, or the trial did not run
 * to the end (holds open when it stopped were never reported by their holders).
 */
export type CrossCheckSkipped = 'not-observed' | 'target-spans-missing' | 'target-reports-none' | 'partial-run';

/** The observer's figures over all holders in its window. Hold figures are null when no hold was seen. */
export interface ObservedLockSummary {
  spanCount: number;
  holdP50Ms: number | null;
  holdP99Ms: number | null;
  holdMaxMs: number | null;
  heldMs: number;
  /** Fraction (0..1) of the window during which the write lock was held. */
  dutyCycle: number;
  checkpointCount: number;
  checkpointMaxMs: number | null;
  longestReadMs: number | null;
  /** Rollback-journal mode: of the write holds, the time spent committing (PENDING or EXCLUSIVE); 0 in WAL mode. */
  committingMs?: number;
  /** The longest hold's committing time (rollback journal), for "2.1 s, of which committing 3 ms". */
  longestHoldCommittingMs?: number;
}

/** Lock figures of the holds attributed to one stream of requests. */
export interface StreamLockFigures {
  stream: string;
  /** Holds attributed to the stream: exactly (one request in flight) or as one of several of its requests. */
  holds: number;
  /** Of them, holds with exactly one request in flight. */
  exact: number;
  heldMs: number;
  holdMaxMs: number;
}

/**
 * The target's observed holds set against the requests in flight for the whole of each (sent before the
 * lock was taken, answered after it was released; from outside, not per process of the target): `exact`
 * one candidate, `oneOf` several of one stream, `ambiguous` several streams, `none` no request.
 */
export interface HoldAttribution {
  holds: number;
  exact: number;
  oneOf: number;
  ambiguous: number;
  none: number;
  /** (exact + oneOf) / holds; null without holds. */
  attributedShare: number | null;
  /** Share of the held time in attributed holds; null without holds. */
  attributedTimeShare: number | null;
  /** Most held first. */
  byStream: StreamLockFigures[];
}

/** The observer's comparison, with its lists of unmatched holds cut short and their full counts beside. */
export type ObservedLockComparison = LockComparison & { selfNotObservedCount: number; observedNotReportedCount: number };

/** The observer watched the database for the whole k6 run. */
export interface LocksObserved {
  status: 'observed';
  /** Requested poll interval, in microseconds. */
  intervalUs: number;
  /** Time between consecutive samples actually achieved. */
  sampleGaps: SampleGaps;
  samples: number;
  /** fcntl command used to query the locks. */
  command: string;
  observerPid: number;
  /** Epoch ms of the first and last sample. */
  windowStartMs: number;
  windowEndMs: number;
  /**
   * The journal mode the database was observed in, as its header said: `changed` when it said more than
   * one (`journalModes` has each with its stretch). Absent in results recorded before it was reported.
   */
  journalMode?: JournalMode | 'changed';
  journalModes?: JournalModeSpan[];
  /** CPU the observer process used while polling. */
  cpu: { userMs: number; systemMs: number; percentOfOneCore: number };
  summary: ObservedLockSummary;
  /** Every process seen holding the write lock, most held first. */
  holders: ObservedHolder[];
  /**
   * Observed beside self-reported, for the target and the workflow writers (the processes that report).
   * The observed holds are taken as the holders time them: write lock plus the checkpoint COMMIT runs after it.
   */
  comparison: ObservedLockComparison;
  /** How the observed write-lock spans were turned into holds as the holders time them. */
  commitCheckpoints: { extended: number; standalone: number; addedMs: number };
  crossCheck: LockCrossCheck;
  /**
   * The target's holds attributed to the requests in flight, by stream; null when the request samples
   * were not at hand. Absent in results recorded before it was reported.
   */
  attribution?: HoldAttribution | null;
}

/**
 * The observer did not watch: turned off (`--no-observer`), could not start here (unsupported platform,
 * database not observable), or failed while running. lock-hold then judges the self-reported figure.
 */
export interface LocksNotObserved {
  status: 'off' | 'unavailable' | 'failed';
  intervalUs: number | null;
  reason: string;
  crossCheck: LockCrossCheck;
}

export type ObservedLocks = LocksObserved | LocksNotObserved;

/**
 * Something a reader of a profile's figures should know that the figures do not say, as a code;
 * harness/reports/notes.ts words it.
 */
export type ProfileNote =
  /** The target's description has no `locks`: lock-hold rests on the observer alone, and nothing is cross-checked. */
  | { code: 'target-reports-no-locks'; target: string }
  /** No `sql.workflowWrite` in the description: the workflow writers did not run, workflow-p99 is not measured. */
  | { code: 'no-workflow-write' }
  /** No `sql.artifactsPerSource` in the description: the stored rows were not counted (no-loss not run). */
  | { code: 'no-artifacts-per-source' }
  /** The target exited with this code when it was stopped. */
  | { code: 'target-exit-on-stop'; exitCode: number }
  /**
   * The database's journal mode was not the same after the load as before it. Nothing lockbench runs beside
   * the target changes it, so the target (or another process) did.
   */
  | { code: 'journal-mode-changed'; before: JournalMode; after: JournalMode }
  /** An error that did not stop the figures from being taken (stopping the stack), or why an interrupted profile fell short. */
  | { code: 'error'; message: string };

/**
 * completed: all phases ran; incomplete: stopped early (Ctrl-C) with what was measured; errored: a phase
 * failed; not-run: never started (the run was interrupted before its turn). Only a completed profile's
 * criteria are judged: the others' are not measured.
 */
export type ProfileStatus = 'completed' | 'incomplete' | 'errored' | 'not-run';

export interface ProfileResult {
  name: string;
  gated: boolean;
  status: ProfileStatus;
  /** Why the profile did not complete. */
  error?: string;
  /** The target flags this profile ran with, and the resolved configuration the target reported. */
  config: { flags: Record<string, string>; target: Record<string, unknown> | null };
  /**
   * The scenario's headline figures (imports, catalog, workflow writes, artifacts): what the model's
   * comparison and baselines of earlier results read. Absent when a workload file was the trial's load:
   * its streams and criteria are in `workload`, in its own words.
   */
  metrics?: ProfileMetrics;
  /**
   * The import window and the sample counts the in-window latency figures rest on. Absent when a workload
   * file was the trial's load (its windows are its criteria's, in `workload`).
   */
  importWindow?: ImportWindowResult;
  /** What the load driver reported: the imports as the client saw them, latency per stream, request success. */
  load: LoadFigures | null;
  /** Target memory and WAL size over the load, once a second; null when the load never ran. */
  resources: { summary: ResourceSummary; series: ResourceSample[] } | null;
  /** Requests, errors and rows: what, if anything, failed or was lost; null when the load never ran. */
  reliability: ReliabilityFigures | null;
  /**
   * How late the driver sent each stream's requests; null when no samples were read. Absent in results
   * written before it was kept.
   */
  sendLag?: SendLagFigures | null;
  /** The import wall on the target's clock (import_jobs), beside the client's figure. Absent when a workload file was the trial's load. */
  importJobsWallMs?: number | null;
  /**
   * Always empty now that every trial's workload judges it (`workload.criteria`); kept in results.json for
   * its readers. Results written before then hold the criteria.json verdicts here.
   */
  criteria: CriterionResult[];
  pass: boolean;
  /** Things a reader of the figures should know that they do not say (what the target could not give, what went wrong on the way). */
  notes: ProfileNote[];
  /** Phase durations in milliseconds, in the order they ran. */
  phases: { name: string; durationMs: number }[];
  /**
   * The scenario's workflow writers, their figures summed. Absent when a workload file was the trial's load:
   * its SQL streams are streams of `workload`, each with its own figures.
   */
  workflowWriters?: WorkflowWriterSummary | null;
  targetLocks: Omit<TargetLockStats, 'spans'> | null;
  integrity: IntegrityResult | null;
  /**
   * The write lock as the external observer saw it during the k6 run, beside the self-reported figures;
   * null when the profile stopped before the observer's turn.
   */
  observed: ObservedLocks | null;
  /**
   * The streams' figures and the criteria of the workload the trial ran: a workload file's, its scenario's
   * own on the built-in target (scenarios/<scenario>.workload.json), or one derived from a target's
   * description, judged over the same measurements `metrics` holds. Its criteria alone judge the trial
   * (`criteria` is empty); `options.workload` names the file when it was one. Every trial written now has
   * one, whatever its status; absent only in results written before.
   */
  workload?: WorkloadResult;
  /**
   * The database's journal mode as its header said once the target was up (before the side writers and the
   * observer started) and after the load and the checks; null when the trial did not get that far. Absent
   * in results recorded before it was kept.
   */
  journalMode?: { before: JournalMode; after: JournalMode } | null;
  /** Files beside results.json. */
  files: {
    /** The driver's own summary (JSON). */
    driverSummary: string | null;
    /** What the driver printed (k6); null for the built-in driver. */
    driverLog: string | null;
    /** The driver-neutral per-request samples (`samples-<trial>.csv`), from which the in-window figures are computed. */
    samples: string | null;
    targetLog: string | null;
    spans: string | null;
  };
}

/**
 * The driver's own lateness per stream: send lag, sent_ms - scheduled_ms of every request the schedule
 * called for that was sent (harness/model/request-times.ts `sendLagMs`), held against the stream's latency.
 */
export interface SendLagFigures {
  /** A stream is marked `exceeds-share` when its lag p99 is above this share of its latency p99 (0..1). */
  shareLimit: number;
  streams: StreamSendLag[];
}

export interface StreamSendLag {
  stream: string;
  /**
   * `within-share` / `exceeds-share`: lag p99 at most / above `shareLimit` of `latencyP99Ms`; `no-schedule`:
   * the driver reports no scheduled times (k6), so no lag was measured; `none-sent`: scheduled, but no
   * request was sent; `no-latency`: lag measured, but the stream has no latency p99 to hold it against.
   */
  code: 'within-share' | 'exceeds-share' | 'no-schedule' | 'none-sent' | 'no-latency';
  /** Over the whole trial, in ms; null when not measured. */
  lag: LatencySummary | null;
  /** Over the requests scheduled in the trial's first second (from its first scheduled request); null when not measured. */
  firstSecond: LatencySummary | null;
  /** The service-time p99 the lag is held against, in ms: the figure a criterion judges for the stream, else its whole-run p99. */
  latencyP99Ms: number | null;
  /** `judged`: a criterion's figure (the catalog updates in the import window); `whole-run`: the stream's whole-run p99. */
  latencyBasis: 'judged' | 'whole-run';
}

/** The HTTP statuses a request counts as succeeded in the reliability figures (with no client error). */
export const SUCCEEDED_STATUSES: readonly number[] = [200, 201];

/** Whether the run lost or failed anything: every request, every SQLite error, every row. */
export interface ReliabilityFigures {
  requests: {
    /** Requests whose first byte was sent (or that failed on the way: refused). */
    sent: number;
    /** Answered with 200 or 201. */
    succeeded: number;
    /** Everything else: another status (207 partial, 503, 4xx) or no answer. */
    failed: number;
    /** Answers by HTTP status, no answer as `0`. */
    byStatus: Record<string, number>;
    /** Requests without an answer, by client error (timeout, refused, reset, aborted). */
    byError: Record<string, number>;
  };
  /** Arrivals never sent because every VU was busy, over all streams. */
  droppedIterations: number;
  /** SQLite errors by code, target and workflow writers together. */
  sqliteErrors: ErrorCounts;
  /** The scenario's artifact rows; both null when a workload file was the load (its no-loss criteria count its own rows, in `workload`). */
  rows: { acknowledged: number | null; stored: number | null };
  /** The whole database check: intact, and every acknowledged row stored once (see {@link IntegrityResult}). */
  integrityOk: boolean | null;
  /** `PRAGMA integrity_check` alone said ok: the file is intact, whatever the row counts. */
  integrityCheckOk?: boolean | null;
}

/** The target's memory and the WAL's size at one moment of a load. */
export interface ResourceSample {
  atMs: number;
  /** Resident set of the target process, in bytes; null where /proc cannot say (another platform, a remote target). */
  targetRssBytes: number | null;
  walBytes: number;
}

/** Start, peak and end of the target's memory and of the WAL over a load. */
export interface ResourceSummary {
  samples: number;
  targetRssBytes: { start: number; peak: number; end: number } | null;
  walBytes: { start: number; peak: number; end: number } | null;
}

/** The load as the driver reported it. */
export interface LoadFigures {
  /** The scenario's imports as the client saw them. Absent when a workload file was the load: it sends no imports of the scenario's. */
  imports?: ImportsSummary;
  /** Per stream: requests sent, service-time p50/p99/max, dropped iterations. */
  streams: Record<string, ScenarioLatency>;
  requestSuccessRate: number | null;
  /** k6's own thresholds over its whole run (k6 only; reported, not the gate). */
  thresholds: ThresholdResult[];
}

export interface HostInfo {
  cpus: number;
  cpuModel: string;
  node: string;
  platform: string;
  totalMemoryBytes: number;
}

/** A target as its description gives it: what a run started (or drove) and the settings and profiles it offers. */
export interface TargetSummary {
  name: string;
  /** The description file, or a label for lockbench's own target. */
  source: string;
  kind: 'builtin' | 'described';
  /** The command line lockbench started it with (`{placeholders}` as the description writes them), or the URL of the running target it drove. */
  start: { command: string; args: string[] } | { url: string };
  /** The settings a profile, `--set` or a sweep point may give it, with what each does when the description says. */
  settings: { name: string; description: string | null }[];
  /** Its profiles in the description's order, with their summaries. */
  profiles: { name: string; summary: string | null }[];
}

export interface RunResults {
  scenario: ScenarioName;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  /** False when the run was interrupted or a profile could not run; the figures are what was measured. */
  complete: boolean;
  incompleteReason?: string;
  /** The load driver that measured the run. */
  driver: DriverInfo;
  host: HostInfo;
  /**
   * The resolved run options (counts, rates, work model). A workload file's run records only those that
   * applied to it, without the scenario's load options (harness/plan/options.ts `appliedOptions`).
   */
  options: Record<string, unknown>;
  /**
   * The target a run from a workload ran against, as its description gives it (the scenario's options then
   * describe nothing the run did). Absent for the scenario's own load and in results written before it was kept.
   */
  targetDescription?: TargetSummary;
  profiles: ProfileResult[];
  /** This run against `--baseline`, figure by figure in its workload's own names (criteria by id, streams by name); absent without one. */
  workloadBaseline?: WorkloadBaselineComparison;
  /** Every gated profile ran to completion and passed every criterion, and no gated criterion regressed against the baseline. */
  pass: boolean;
}

/** The part of a run's results a table reads: its profiles. Any results with profiles render alike. */
export type RunProfiles = Pick<RunResults, 'profiles'>;

/** The figures a sweep aggregates per point, and the model's prediction is compared with (harness/predict). */
export const SWEEP_METRICS = ['importWallMs', 'maxLockHoldMs', 'catalogP99Ms', 'workflowWriteP99Ms', 'requestSuccessRate', 'busyErrors'] as const;
export type SweepMetric = (typeof SWEEP_METRICS)[number];

/** Unit of each metric (`errors` for the busy-error total), as the report formatters take it. */
export const METRIC_UNITS: Record<SweepMetric, string> = {
  importWallMs: 'ms',
  maxLockHoldMs: 'ms',
  catalogP99Ms: 'ms',
  workflowWriteP99Ms: 'ms',
  requestSuccessRate: 'ratio',
  busyErrors: 'errors',
};

/**
 * better / worse: the rank test finds a difference at alpha and it is at least the tolerance;
 * no-change: it does not; too-few-samples: fewer than `MIN_SAMPLES` (harness/analyze/baseline.ts) on a side
 * (the change is shown, with no verdict); not-measured: one side has no figure.
 */
export type BaselineVerdict = 'better' | 'worse' | 'no-change' | 'too-few-samples' | 'not-measured';

/** What a workload run's baseline keeps per stream: latency, lock errors (in all, fast, timed out) and other errors, all lower-is-better. */
export const STREAM_BASELINE_FIGURES = ['p50Ms', 'p99Ms', 'lockErrors', 'lockErrorsFast', 'lockErrorsTimedOut', 'otherErrors'] as const;
export type StreamBaselineFigure = (typeof STREAM_BASELINE_FIGURES)[number];

/**
 * A figure of a workload run that a baseline keeps: a criterion's measured value (for a `==` check, its
 * distance from the threshold), or one of a stream's figures. Named as the workload names it.
 */
export type WorkloadFigure =
  /** `distance`: a `==` check (no-loss), kept as how far its figure was from the threshold. */
  | { criterion: string; distance?: true }
  | { stream: string; figure: StreamBaselineFigure };

/** One figure of a profile or point against the baseline. */
export interface WorkloadBaselineRow {
  /** Profile name or point id. */
  entryId: string;
  figure: WorkloadFigure;
  unit: string;
  better: 'lower' | 'higher';
  /** Medians. */
  old: number | null;
  new: number | null;
  /** (new - old) / old in %; null when old is 0 and new is not, or either is missing. */
  changePct: number | null;
  oldSamples: number;
  newSamples: number;
  /** Two-sided p of the Mann–Whitney U test; null when not tested. */
  p: number | null;
  /**
   * Whether these sample counts can show a difference at alpha at all. 3 against 3 cannot: even with
   * every new figure beyond every old one the exact p is 0.1, so such a row reads no-change whatever
   * happened (as benchstat's `~ (p=0.100 n=3)`); 4 against 4 can (0.029).
   */
  detectable: boolean;
  verdict: BaselineVerdict;
  /** A regression of this row fails the gate: a criterion of a gated profile or point. */
  gated: boolean;
}

/** A run against a baseline saved from a run of the same workload: per profile (or point) and figure. */
export interface WorkloadBaselineComparison {
  baseline: { scenario: string; createdAt: string; host: HostInfo; source?: string };
  /** The workload both runs ran. */
  workload: string;
  /**
   * The baseline was written by an earlier lockbench over the scenario's metrics: only the criteria those
   * judge were compared (read by criterion id through harness/plan/criteria.json's `metric`). Absent otherwise.
   */
  readFrom?: 'scenario-metrics';
  tolerance: number;
  alpha: number;
  rows: WorkloadBaselineRow[];
  /** Entries of the baseline this run has not, and the reverse: not compared. */
  onlyInBaseline: string[];
  onlyInRun: string[];
  /** Gated rows judged worse. */
  regressions: WorkloadBaselineRow[];
  /** No gated row is a significant regression. */
  pass: boolean;
}

/** One varied setting of a sweep as results record it (`--vary key=v1,v2`); harness/model/sweep-plan.ts's VaryAxis narrows the key to what `--vary` takes. */
export interface SweepAxis {
  key: string;
  values: (string | number)[];
}

/** What one point of a sweep sets on top of its base profile, e.g. `{ batchSize: 10 }`. */
export type SweepSettings = Partial<Record<string, string | number>>;

/** A sweep's plan as results.json records it: its base profile, what it varied, repeats, seed and run order. */
export interface SweepPlanSummary {
  base: string;
  axes: SweepAxis[];
  repeat: number;
  seed: number;
  trialOrder: string[];
}

export interface Recommendation {
  pointId: string;
  settings: SweepSettings;
  reason: string;
  /** Other qualifying points whose median of the first ranked criterion was within harness/analyze/recommend.ts's `RANK_TIE_TOLERANCE` of the best. */
  tiedWith: string[];
}

export interface RecommendationOutcome {
  /** The measured recommendation, or null when no point meets every criterion. */
  recommendation: Recommendation | null;
  /** Why this point, or why none. */
  reason: string;
  /** When none qualifies: the point that misses the fewest criteria (best first ranked figure among equals). */
  closest: { pointId: string; settings: SweepSettings; misses: string[] } | null;
}

/** The gate's verdict on a sweep (results.json's `gate`). */
export interface GateOutcome {
  /** What was asked: `recommended`, the point's settings, or `none`. */
  gate: string;
  /** The points whose criteria (and baseline figures) gate: the named one, or the recommended one. */
  gatedPoints: string[];
  pass: boolean;
  /** Why it failed; empty when it passed. */
  failures: string[];
}

/**
 * The confidence the interval of a median ({@link SampleSummary} `ci95`) aims for. It reaches it only from
 * {@link repeatsForConfidence} repeats on; below that the interval is [min, max] and has the lower
 * confidence `ci95Coverage` says (50 % for 2 repeats), which is the figure reports must print.
 */
export const CONFIDENCE = 0.95;

/**
 * The fewest repeats whose interval of the median reaches `confidence` (6 for 95 %): [min, max] of n
 * misses the median only when all n fall on one side of it, so it covers it with 1 - 2^(1-n).
 */
export function repeatsForConfidence(confidence: number = CONFIDENCE): number {
  let n = 1;
  while (1 - 2 ** (1 - n) < confidence) n++;
  return n;
}

/**
 * A metric over the repeats of one point: median, range and a 95 % interval of the median, beside the
 * values it was computed from.
 */
export interface SampleSummary {
  median: number;
  min: number;
  max: number;
  /**
   * Interval of the median: the narrowest pair of order statistics that covers it with at least 95 %
   * confidence; with fewer than 6 samples none does, and it is [min, max] (see `ci95Coverage`).
   */
  ci95: [lo: number, hi: number];
  /** The confidence the interval actually has, 0..1 (0 for one sample, 0.75 for three, 0.9375 for five). */
  ci95Coverage: number;
  /** The values, one per repeat, in the order the repeats ran. */
  samples: number[];
}

/**
 * A sweep point as every table, chart and `--gate` names it: `batchSize=10`, `batchSize=10, scheduler=fifo`;
 * the point id when nothing varies.
 */
export function settingsLabel(point: { id: string; settings: Readonly<SweepSettings> }): string {
  const entries = Object.entries(point.settings);
  return entries.length === 0 ? point.id : entries.map(([k, v]) => `${k}=${String(v)}`).join(', ');
}

/**
 * Why a target never became ready, as data: it could not be spawned (no such command, no such folder),
 * it exited first, or it did not announce itself in time. The run reports it once, with its log.
 */
export type TargetStartFailure =
  | { kind: 'spawn-failed'; command: string; cwd: string; error: string; cwdMissing: boolean }
  | { kind: 'exited'; code: number | null; signal: NodeJS.Signals | null }
  | { kind: 'not-ready'; timeoutMs: number; waitedFor: 'ready line' | 'ready url' };

/**
 * Why a run gave no verdict at all (exit 3): the harness could not measure. No criteria are judged and
 * no report is written; harness/reports/run-failure.ts words it once.
 */
export type RunFailure =
  /** The load driver cannot run here (`--driver k6` without k6); `message` says how to get it. */
  | { code: 'driver-unavailable'; driver: string; message: string }
  /** A trial's target never became ready; its last output lines and its log file. */
  | { code: 'target-did-not-start'; trial: string; start: TargetStartFailure; outputTail: string[]; logFile: string }
  /** The harness's own set-up failed (the criteria file, bundling the entry points). */
  | { code: 'harness-error'; message: string };
