/**
 * A workload's SQL streams as side writers: one writer pool per stream, each with its own connections,
 * statements, rate, transaction mode, hold, busy timeout and start on the load's timeline, seen by the
 * trial as one handle.
 * Their writes and lock spans keep the stream's name, so each stream is counted (and drawn) on its own
 * (results.json's `workload.streams`); the handle's result is their sum, which results.json leaves out.
 */
import { createLatencyHistogram, type LatencySummary } from '../shared/latency-histogram.ts';
import type { WorkflowWriterResult, WriteSample } from '../model/results.ts';
import { planWorkflowWriters, type WorkflowWriterOptionsInput } from '../plan/workflow-writers.ts';
import { createWorkflowWriters, type WorkflowWriterHandle, type WorkflowWriterProgress, type WorkflowWriters } from './workflow-writers/writers.ts';
import { sqlStreamEnds } from './sql-stream-ends.ts';

/** One SQL stream's writers: its name, its writers' options beside those the trial sets for all, and the stream it ends after. */
export interface SqlStreamWriters {
  stream: string;
  options: Omit<WorkflowWriterOptionsInput, 'dbPath' | 'walAutocheckpoint'>;
  /** With `endsAfter`: it issues no write due once that stream has ended plus `tailMs` (ms). */
  endsAfter?: { stream: string; tailMs: number } | null;
}

function summaryOf(values: readonly number[]): LatencySummary {
  const histogram = createLatencyHistogram();
  for (const v of values) histogram.record(v);
  return histogram.summary();
}

function sumCounts(into: Record<string, number>, from: Readonly<Record<string, number>>): Record<string, number> {
  for (const [key, n] of Object.entries(from)) into[key] = (into[key] ?? 0) + n;
  return into;
}

/**
 * The writers' results of several streams as one, each write and span tagged with its stream. Counts add up; the
 * latency, lock-wait and lock-hold summaries are taken again over every stream's recorded writes (all of
 * them unless a stream wrote more than its samples keep: then over those kept, which the figures built
 * on the samples notice, as their count falls short of `writes`).
 */
export function mergeWriterResults(results: readonly { stream: string; result: WorkflowWriterResult }[]): WorkflowWriterResult {
  const tagged = results.map(({ stream, result }) => ({
    ...result,
    samples: result.samples.map((s): WriteSample => ({ ...s, stream })),
    ...(result.spans === undefined ? {} : { spans: result.spans.map((s) => ({ ...s, stream })) }),
  }));
  if (tagged.length === 1) return tagged[0]!;
  const samples = tagged.flatMap((r) => r.samples).sort((a, b) => a.scheduledAtMs - b.scheduledAtMs);
  const sum = (pick: (r: WorkflowWriterResult) => number) => tagged.reduce((total, r) => total + pick(r), 0);
  const spans = tagged.some((r) => r.spans !== undefined) ? tagged.flatMap((r) => r.spans ?? []) : undefined;
  return {
    writesPerSecond: sum((r) => r.writesPerSecond),
    durationMs: Math.max(...tagged.map((r) => r.durationMs)),
    scheduled: sum((r) => r.scheduled),
    notIssued: sum((r) => r.notIssued),
    writes: sum((r) => r.writes),
    succeeded: sum((r) => r.succeeded),
    failed: sum((r) => r.failed),
    abandoned: sum((r) => r.abandoned),
    errorsByCode: tagged.reduce((into, r) => sumCounts(into, r.errorsByCode), {}),
    latency: summaryOf(samples.map((s) => s.latencyMs)),
    lockWait: summaryOf(samples.flatMap((s) => (s.waitMs === undefined ? [] : [s.waitMs]))),
    lockHold: summaryOf(samples.flatMap((s) => (s.holdMs === undefined ? [] : [s.holdMs]))),
    acknowledged: {
      executions: sum((r) => r.acknowledged.executions),
      steps: sum((r) => r.acknowledged.steps),
      finishedExecutions: sum((r) => r.acknowledged.finishedExecutions),
    },
    executionIdPrefix: tagged[0]!.executionIdPrefix,
    samples,
    ...(spans === undefined ? {} : { spans }),
  };
}

/** What a stream's writers measured when the load never began: nothing scheduled, nothing written. */
function notBegun(options: WorkflowWriters['options']): WorkflowWriterResult {
  const none = createLatencyHistogram().summary();
  return {
    writesPerSecond: options.writesPerSecond,
    durationMs: 0,
    scheduled: 0,
    notIssued: 0,
    writes: 0,
    succeeded: 0,
    failed: 0,
    abandoned: 0,
    errorsByCode: {},
    latency: none,
    lockWait: none,
    lockHold: none,
    acknowledged: { executions: 0, steps: 0, finishedExecutions: 0 },
    executionIdPrefix: options.executionIdPrefix,
    samples: [],
    ...(options.recordSpans ? { spans: [] } : {}),
  };
}

const NO_PROGRESS: WorkflowWriterProgress = { scheduled: 0, notIssued: 0, inFlight: 0, writes: 0, failed: 0, finishedExecutions: 0 };

/**
 * Warms up every stream's writers (each its own threads and connections) and returns one handle whose
 * schedules start at `begin(t0)`, the load's t0, each stream's first write due its `startDelayMs` (its
 * startTime) after it, so the SQL streams share the request streams' timeline. A stream with `endsAfter` stops
 * issuing writes once `streamEnded` says the stream it names has ended, plus its tail (an SQL stream it names
 * ends with its own schedule). A failed warm-up closes every pool before it throws; a stop before `begin`
 * closes them and reports nothing written.
 */
export async function startSqlStreams(streams: readonly SqlStreamWriters[], common: Pick<WorkflowWriterOptionsInput, 'dbPath' | 'walAutocheckpoint'>): Promise<WorkflowWriterHandle> {
  const { dbPath, ...shared } = common;
  const pools = streams.map(({ stream, options: { executionIdPrefix, ...options } }) => ({
    stream,
    // A workload's streams are known only once the trial's settings are set on them (harness/run/trial.ts): resolved here.
    writers: createWorkflowWriters(planWorkflowWriters({ ...options, ...shared }), { dbPath, ...(executionIdPrefix === undefined ? {} : { executionIdPrefix }) }),
  }));
  const warmed = await Promise.allSettled(pools.map((p) => p.writers.warmUp()));
  const failed = warmed.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    await Promise.allSettled(pools.map((p) => p.writers.close()));
    throw failed.reason;
  }
  let handles: { stream: string; handle: WorkflowWriterHandle }[] | null = null;
  let startedAtMs = 0;
  /** The load's streams ended so far (epoch ms), as the driver told them. */
  const ended = new Map<string, number>();
  const timelines = streams.map((s) => ({
    stream: s.stream,
    startDelayMs: s.options.startDelayMs ?? 0,
    durationMs: s.options.durationMs ?? null,
    endsAfter: s.endsAfter ?? null,
  }));
  /** Gives each stream's schedule the end known so far: the ends only ever move earlier. */
  const applyEnds = () => {
    if (handles === null) return;
    const ends = sqlStreamEnds(timelines, startedAtMs, ended);
    for (const h of handles) {
      const end = ends.get(h.stream);
      if (end !== null && end !== undefined) h.handle.endAt?.(end);
    }
  };
  /** Resolves waiters of `until` once the schedules have started. */
  let begun: () => void = () => undefined;
  const beginning = new Promise<void>((resolve) => (begun = resolve));
  const progress = (): WorkflowWriterProgress => {
    if (handles === null) return NO_PROGRESS;
    const each = handles.map((h) => h.handle.progress());
    const sum = (key: keyof WorkflowWriterProgress) => each.reduce((total, p) => total + p[key], 0);
    return { scheduled: sum('scheduled'), notIssued: sum('notIssued'), inFlight: sum('inFlight'), writes: sum('writes'), failed: sum('failed'), finishedExecutions: sum('finishedExecutions') };
  };
  let stopping: Promise<WorkflowWriterResult> | undefined;
  return {
    options: pools[0]!.writers.options,
    progress,
    begin(t0) {
      if (handles !== null || stopping !== undefined) return;
      startedAtMs = t0;
      // The ends known by now (a stream that ended before the load's t0 was given) hold from the first write.
      const ends = sqlStreamEnds(timelines, t0, ended);
      handles = pools.map((p) => ({ stream: p.stream, handle: p.writers.start(t0, ends.get(p.stream) ?? undefined) }));
      begun();
    },
    streamEnded(stream, endedAtMs) {
      if (ended.has(stream)) return;
      ended.set(stream, endedAtMs);
      applyEnds();
    },
    async until(condition) {
      if (handles === null) await beginning;
      // The condition is over the sum: wake whenever any stream's counts change, and look again.
      while (!condition(progress())) {
        await Promise.race(
          handles!.map((h) => {
            const before = h.handle.progress();
            return h.handle.until((p) => (Object.keys(p) as (keyof WorkflowWriterProgress)[]).some((k) => p[k] !== before[k]));
          }),
        );
      }
    },
    stop(options) {
      if (handles === null) {
        stopping ??= Promise.all(pools.map((p) => p.writers.close())).then(() => mergeWriterResults(pools.map((p) => ({ stream: p.stream, result: notBegun(p.writers.options) }))));
        return stopping;
      }
      // A second stop (a Ctrl-C during a drain) reaches every handle, and then returns the first result.
      const results = Promise.all(handles.map(async (h) => ({ stream: h.stream, result: await h.handle.stop(options) })));
      stopping ??= results.then(mergeWriterResults);
      return stopping;
    },
  };
}
