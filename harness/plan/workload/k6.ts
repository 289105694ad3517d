/**
 * A workload's request streams as k6's `options.scenarios`, for `--driver k6`: the executors are k6's
 * own, so they map field for field. What k6 cannot do is said per stream: an SQL stream writes from
 * connections the harness opens beside k6, on k6's timeline, and can end only after a stream whose end the
 * harness learns beside k6 (worked out before the run, or its iterations' done lines); a request stream
 * that ends after another is given the end that can be worked out from the other's start and duration (an
 * SQL stream's too: its schedule's), or else its longest duration while the harness stops k6 once the other
 * has answered all its iterations (plus the tail); after an SQL stream whose end depends on answers it is
 * refused. What neither can express is an issue at its field, refused before anything starts.
 */
import type { Scenario } from 'k6/options';
import { ITERATE } from '../../../scenarios/lib/k6-options.ts';
import type { WorkloadIssue } from './load.ts';
import type { Workload, WorkloadStream } from '../../model/workload-plan.ts';
import { unrunnableIssues } from './runnable.ts';

export type K6Note = { stream: string; code: 'sql-stream-beside-k6' | 'ends-after-stopped-by-harness' };

export interface K6Mapping {
  scenarios: Record<string, Scenario>;
  notes: K6Note[];
}

/** The harness stops k6 (SIGINT) once `stream` has finished `iterations` iterations and `tailMs` has passed. */
export interface K6StopRule {
  stream: string;
  iterations: number;
  tailMs: number;
}

/**
 * When a stream that an SQL stream ends after (`endsAfter`) has ended, as the harness learns it beside k6:
 * `atMs` after the load's start, worked out before the run (its start and duration, as k6 ends it), or once
 * its `iterations` have printed their iteration-done lines (a per-vu-iterations stream).
 */
export type K6StreamEnd = { stream: string; atMs: number } | { stream: string; iterations: number };

/** A workload as one k6 script runs it. */
export interface K6WorkloadPlan {
  /** k6's scenarios by stream name, each executing its own exported function. */
  scenarios: Record<string, Scenario>;
  /** The exported function of each request stream, by stream name: a JavaScript name made from the stream's. */
  exec: Record<string, string>;
  /** When the harness must stop k6; null when every scenario ends by itself. */
  stop: K6StopRule | null;
  /** The ends of the request streams that SQL streams end after, for the side writers. */
  streamEnds: K6StreamEnd[];
  /** What k6 cannot run, each at its field; the plan is not to be run when there is any. */
  issues: WorkloadIssue[];
}

const ms = (value: number): string => `${Math.round(value)}ms`;

function scenarioOf(stream: WorkloadStream, exec: string, durationMs?: number): Scenario {
  const common = { exec, startTime: ms(stream.startTimeMs), gracefulStop: ms(stream.gracefulStopMs), tags: { stream: stream.name, ...stream.tags } };
  const e = stream.executor;
  switch (e.type) {
    case 'constant-arrival-rate':
      return { executor: e.type, rate: e.rate, timeUnit: ms(e.timeUnitMs), duration: ms(durationMs ?? e.durationMs), preAllocatedVUs: e.preAllocatedVUs, maxVUs: e.maxVUs, ...common };
    case 'ramping-arrival-rate':
      return {
        executor: e.type,
        startRate: e.startRate,
        timeUnit: ms(e.timeUnitMs),
        stages: e.stages.map((s) => ({ target: s.target, duration: ms(s.durationMs) })),
        preAllocatedVUs: e.preAllocatedVUs,
        maxVUs: e.maxVUs,
        ...common,
      };
    case 'per-vu-iterations':
      return { executor: e.type, vus: e.vus, iterations: e.iterations, maxDuration: ms(e.maxDurationMs), ...common };
    case 'constant-vus':
      return { executor: e.type, vus: e.vus, duration: ms(durationMs ?? e.durationMs), ...common };
  }
}

/** k6's scenarios of the workload's request streams, all executing `exec`, and what the harness does beside k6. */
export function k6Scenarios(workload: Workload, exec: string = ITERATE): K6Mapping {
  const scenarios: Record<string, Scenario> = {};
  const notes: K6Note[] = [];
  for (const stream of workload.streams) {
    if (stream.action.kind === 'sql') {
      notes.push({ stream: stream.name, code: 'sql-stream-beside-k6' });
      continue;
    }
    scenarios[stream.name] = scenarioOf(stream, exec);
    if (stream.endsAfter) notes.push({ stream: stream.name, code: 'ends-after-stopped-by-harness' });
  }
  return { scenarios, notes };
}

/** Stream names as exported JavaScript function names: `source-imports` -> `stream_source_imports`, unique. */
export function execNames(streams: readonly string[]): Record<string, string> {
  const taken = new Set<string>();
  const out: Record<string, string> = {};
  streams.forEach((name, i) => {
    let exec = `stream_${name.replace(/[^A-Za-z0-9_]/g, '_')}`;
    if (taken.has(exec)) exec = `${exec}_${i}`;
    taken.add(exec);
    out[name] = exec;
  });
  return out;
}

/** How long a stream runs before it ends by itself, from the run's start, in ms; null when that depends on answers (iterations). */
type End = { atMs: number } | { afterIterationsOf: string } | null;

function ownEndMs(stream: WorkloadStream): number | null {
  const e = stream.executor;
  if (e.type === 'per-vu-iterations') return null;
  const lengthMs = e.type === 'ramping-arrival-rate' ? e.stages.reduce((sum, s) => sum + s.durationMs, 0) : e.durationMs;
  return stream.startTimeMs + lengthMs;
}

/** When each stream ends, from the run's start: a time where one can be worked out. */
function endOf(stream: WorkloadStream, byName: ReadonlyMap<string, WorkloadStream>, seen: readonly string[] = []): End {
  const own = ownEndMs(stream);
  if (!stream.endsAfter || seen.includes(stream.name)) return own === null ? { afterIterationsOf: stream.name } : { atMs: own };
  const other = byName.get(stream.endsAfter.stream);
  if (!other) return null;
  const end = endOf(other, byName, [...seen, stream.name]);
  if (end === null || !('atMs' in end)) return null;
  const atMs = end.atMs + stream.endsAfter.tailMs;
  return { atMs: own === null ? atMs : Math.min(own, atMs) };
}

/** The workload as one k6 script: its scenarios, their functions, when the harness stops k6, and what k6 cannot run. */
export function k6WorkloadPlan(workload: Workload): K6WorkloadPlan {
  const issues: WorkloadIssue[] = [];
  const byName = new Map(workload.streams.map((s) => [s.name, s]));
  const http = workload.streams.filter((s) => s.action.kind === 'http');
  const exec = execNames(http.map((s) => s.name));
  const scenarios: Record<string, Scenario> = {};
  let stop: K6StopRule | null = null;
  const streamEnds: K6StreamEnd[] = [];
  const stoppedByHarness: string[] = [];
  for (const stream of workload.streams) {
    const at = `streams.${stream.name}`;
    if (stream.action.kind === 'sql') {
      // The side writers start on k6's timeline (the script says when its scenarios start): a later start and
      // a duration run as with the built-in driver. What they end after must be known beside k6.
      const after = stream.endsAfter && sqlStreamEnd(byName.get(stream.endsAfter.stream)!, byName);
      if (after === undefined || after === null) continue;
      if ('issue' in after) issues.push({ path: `${at}.endsAfter.stream`, message: after.issue });
      else if (!streamEnds.some((e) => e.stream === after.stream)) streamEnds.push(after);
      continue;
    }
    if (!stream.endsAfter) {
      scenarios[stream.name] = scenarioOf(stream, exec[stream.name]!);
      continue;
    }
    const other = byName.get(stream.endsAfter.stream)!;
    const end = endOf(stream, byName);
    if (stream.executor.type === 'ramping-arrival-rate') {
      issues.push({ path: `${at}.endsAfter`, message: 'a ramping-arrival-rate stream ends with its stages in k6; give it stages that end when it should' });
    } else if (end !== null && 'atMs' in end) {
      // Worked out before the run: k6 ends the scenario by itself.
      scenarios[stream.name] = scenarioOf(stream, exec[stream.name]!, Math.max(0, end.atMs - stream.startTimeMs));
    } else if (other.executor.type === 'per-vu-iterations' && !other.endsAfter && other.action.kind === 'http') {
      const rule = { stream: other.name, iterations: other.executor.vus * other.executor.iterations, tailMs: stream.endsAfter.tailMs };
      if (stop !== null && (stop.stream !== rule.stream || stop.tailMs !== rule.tailMs)) {
        issues.push({
          path: `${at}.endsAfter`,
          message: `k6 is stopped once, when "${stop.stream}" has answered plus ${stop.tailMs} ms; this stream would end at another moment (after "${rule.stream}" plus ${rule.tailMs} ms)`,
        });
      } else {
        stop = rule;
        stoppedByHarness.push(stream.name);
        scenarios[stream.name] = scenarioOf(stream, exec[stream.name]!);
      }
    } else if (other.action.kind === 'sql') {
      // The side writers learn this SQL stream's end during the run; nothing beside k6 can move a scenario's end.
      issues.push({
        path: `${at}.endsAfter.stream`,
        message: `k6 cannot be told when the SQL stream "${other.name}" ends: it ends after "${other.endsAfter!.stream}", whose end depends on answers, not on durations alone; end this stream after a stream whose end follows from durations, or give "${other.name}" such an end`,
      });
    } else {
      issues.push({
        path: `${at}.endsAfter.stream`,
        message: `"${other.name}" ends when its iterations have answered, which k6 cannot follow from another scenario; end after a request stream of "per-vu-iterations" directly, or after a stream with a duration`,
      });
    }
  }
  if (stop !== null) {
    const rule: K6StopRule = stop;
    // Stopping k6 ends every scenario at once: any other request stream would be cut there.
    for (const stream of http) {
      if (stream.name === rule.stream || stoppedByHarness.includes(stream.name) || issues.some((i) => i.path.startsWith(`streams.${stream.name}.`))) continue;
      issues.push({
        path: `streams.${stream.name}`,
        message: `k6 is stopped when "${rule.stream}" has answered plus ${rule.tailMs} ms (for ${stoppedByHarness.map((s) => `"${s}"`).join(', ')}), which would cut this stream; give it "endsAfter": {"stream": "${rule.stream}"} too, or end the others by a duration`,
      });
    }
  }
  issues.push(...unrunnableIssues(workload));
  return { scenarios, exec, stop, streamEnds, issues };
}

/**
 * How the harness learns, beside k6, when `other` (the stream an SQL stream ends after) has ended: null for
 * an SQL stream (the side writers know its end: its own schedule's); an issue when k6 does not say.
 */
function sqlStreamEnd(other: WorkloadStream, byName: ReadonlyMap<string, WorkloadStream>): K6StreamEnd | { issue: string } | null {
  if (other.action.kind === 'sql') return null;
  // k6 ends a per-vu-iterations scenario with its iterations (or its maxDuration), whatever it ends after.
  if (other.executor.type === 'per-vu-iterations') {
    if (!other.endsAfter) return { stream: other.name, iterations: other.executor.vus * other.executor.iterations };
  } else {
    const end = endOf(other, byName);
    if (end !== null && 'atMs' in end) return { stream: other.name, atMs: end.atMs };
  }
  return {
    issue: `k6 does not tell when "${other.name}" ends (it ends after another stream); end this SQL stream after a request stream of "per-vu-iterations" without "endsAfter", a stream whose end follows from durations, or an SQL stream`,
  };
}
