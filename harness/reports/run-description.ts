/**
 * What a run from a workload did, in its own words, for the Run part of summary.md and report.html: the
 * workload and its file, each stream (kind, executor, start and end, what it sends), the target and the
 * settings each profile ran it with. The scenario's options (imports, catalog rate, workflow
 * writers, ...) did nothing in such a run, so they are not shown.
 */
import type { ProfileResult, RunResults } from '../model/results.ts';
import type { ResolvedExecutor } from '../model/workload-plan.ts';
import type { StreamAction, StreamDefinition, WorkloadResult } from '../model/workload.ts';

/** The runs a description reads: a run's profiles, or a sweep's trials (whose `name` is the trial's id). */
export type DescribedRun = Pick<ProfileResult, 'name' | 'gated' | 'config' | 'workload'>;

/** The part of a run's results its description reads. */
export interface RunDescriptionInput {
  options: RunResults['options'];
  targetDescription?: RunResults['targetDescription'];
  runs: readonly DescribedRun[];
  /** A sweep's base profile, whose summary its trials share. */
  baseProfile?: string;
}

type Table = { header: string[]; rows: string[][] };

/** A run's results as the Run part reads them: a run's profiles, or a sweep's trials (each with its id) and its plan's base profile. */
export interface DescribedResults extends Pick<RunResults, 'options' | 'targetDescription' | 'profiles'> {
  trials?: readonly (DescribedRun & { id?: string })[];
  plan?: { base: string };
}

/** What the Run part describes: the profiles of a run; a sweep's trials, by their ids, from its base profile. */
export function describedRun(results: DescribedResults): RunDescriptionInput {
  const sweep = (results.trials?.length ?? 0) > 0 && results.profiles.length === 0;
  return {
    options: results.options,
    ...(results.targetDescription ? { targetDescription: results.targetDescription } : {}),
    runs: sweep ? results.trials!.map((t) => ({ ...t, name: t.id ?? t.name })) : results.profiles,
    ...(sweep && results.plan ? { baseProfile: results.plan.base } : {}),
  };
}

/** Between a figure and its unit, so that a narrow column never breaks `2 s` in two. */
const NBSP = '\u00a0';
const count = (n: number) => n.toLocaleString('en-US');
const plural = (n: number, one: string, many = `${one}s`) => `${count(n)}${NBSP}${n === 1 ? one : many}`;

/** A duration as a workload file would write it: `300 ms`, `1.5 s`, `2 min`, `2 min 30 s`. */
function durationText(ms: number): string {
  if (ms < 1000) return `${count(Math.round(ms))}${NBSP}ms`;
  if (ms < 60_000) return `${Math.round(ms / 100) / 10}${NBSP}s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  return seconds === 0 ? `${minutes}${NBSP}min` : `${minutes}${NBSP}min ${seconds}${NBSP}s`;
}

/** `20/s`, `3 per 10 s`. */
function rateText(rate: number, timeUnitMs: number): string {
  return timeUnitMs === 1000 ? `${count(rate)}/s` : `${count(rate)} per ${durationText(timeUnitMs)}`;
}

/** `(20 to 100 VUs)`: the VUs an arrival-rate executor may use; an SQL stream's writes go through its threads instead. */
function vusText(e: { preAllocatedVUs: number; maxVUs: number }, kind: StreamAction['kind']): string {
  if (kind === 'sql') return '';
  return e.preAllocatedVUs === e.maxVUs ? ` (${plural(e.maxVUs, 'VU')})` : ` (${count(e.preAllocatedVUs)} to ${plural(e.maxVUs, 'VU')})`;
}

/** How much load an executor makes: its rate or its VUs. */
function loadText(e: ResolvedExecutor, kind: StreamAction['kind']): string {
  switch (e.type) {
    case 'constant-arrival-rate':
      return `${rateText(e.rate, e.timeUnitMs)}${vusText(e, kind)}`;
    case 'ramping-arrival-rate':
      return `${[`from ${rateText(e.startRate, e.timeUnitMs)}`, ...e.stages.map((s) => `to ${rateText(s.target, e.timeUnitMs)} over ${durationText(s.durationMs)}`)].join(', ')}${vusText(e, kind)}`;
    case 'per-vu-iterations':
      return `${plural(e.vus, 'VU')} x ${plural(e.iterations, 'iteration')}`;
    case 'constant-vus':
      return plural(e.vus, 'VU');
  }
}

/** The longest an executor may run: its duration, its stages', or (per-vu-iterations) its max duration. */
function longest(e: ResolvedExecutor): number {
  switch (e.type) {
    case 'constant-arrival-rate':
    case 'constant-vus':
      return e.durationMs;
    case 'ramping-arrival-rate':
      return e.stages.reduce((sum, s) => sum + s.durationMs, 0);
    case 'per-vu-iterations':
      return e.maxDurationMs;
  }
}

/** How long an executor runs by itself: per-vu-iterations until its iterations are done, the others for their duration. */
function executorEnd(e: ResolvedExecutor): string {
  return e.type === 'per-vu-iterations' ? `until done (${durationText(longest(e))} at most)` : `for ${durationText(longest(e))}`;
}

function runsText(s: StreamDefinition): string {
  if (s.endsAfter === null) return executorEnd(s.executor);
  return `until ${durationText(s.endsAfter.tailMs)} after ${s.endsAfter.stream} ends (${durationText(longest(s.executor))} at most)`;
}

/** `PATCH /orders/{order}`; `deferred transactions of 2 statements, held 300 ms, 1 thread`. */
function actionText(a: StreamAction): string {
  if (a.kind === 'http') return `${a.method} ${a.path}`;
  const what = a.procedure !== null ? `${a.procedure} writes in ${a.transaction} transactions` : a.statements === 0 ? `${a.transaction} transactions with no statement (a lock holder)` : `${a.transaction} transactions of ${plural(a.statements, 'statement')}`;
  return `${what}${a.holdMs > 0 ? `, held open ${durationText(a.holdMs)}` : ''}, ${plural(a.threads, 'thread')}`;
}

/** The first workload a run's profiles or trials ran. */
function workloadOf(input: RunDescriptionInput): WorkloadResult | undefined {
  return input.runs.find((r) => r.workload)?.workload;
}

/** Per stream: name, kind, executor, load, when it starts, how long it runs, what it sends. */
function definitionRow(s: StreamDefinition): string[] {
  return [s.name, s.action.kind, s.executor.type, loadText(s.executor, s.action.kind), s.startTimeMs === 0 ? 'at once' : `after ${durationText(s.startTimeMs)}`, runsText(s), actionText(s.action)];
}

/** Each stream's rows as the runs ran it, in the workload's order: one per run, or several for a sweep that varied its figures. */
function definitionRowsByStream(input: RunDescriptionInput): Map<string, string[][]> {
  const byStream = new Map<string, string[][]>();
  for (const run of input.runs) {
    for (const s of run.workload?.definition?.streams ?? []) byStream.set(s.name, [...(byStream.get(s.name) ?? []), definitionRow(s)]);
  }
  return byStream;
}

/** Whether a sweep's trials ran some stream with different figures (a sweep over `streams.<name>.rate`, ...). */
function streamsVary(input: RunDescriptionInput): boolean {
  return [...definitionRowsByStream(input).values()].some((rows) => new Set(rows.map((r) => r.join('\n'))).size > 1);
}

/**
 * Per stream: name, kind, executor, load, when it starts, how long it runs, what it sends; a cell a sweep
 * varied lists its values in run order (`1 VU x 1 iteration; 1 VU x 3 iterations`). From the figures alone
 * (names and kinds) in results written before the streams were kept.
 */
export function streamDefinitionsTable(input: RunDescriptionInput): Table {
  const header = ['stream', 'kind', 'executor', 'load', 'starts', 'runs', 'sends'];
  const byStream = definitionRowsByStream(input);
  if (byStream.size === 0) {
    const rows = (workloadOf(input)?.streams ?? []).map((s) => [s.stream, s.kind, 'not recorded', '-', '-', '-', '-']);
    return { header, rows };
  }
  const rows = [...byStream.values()].map((runs) => header.map((_, column) => [...new Set(runs.map((r) => r[column]!))].join('; ')));
  return { header, rows };
}

function settingsCell(flags: Readonly<Record<string, string>>): string {
  const entries = Object.entries(flags);
  return entries.length === 0 ? 'none: the target as it is' : entries.map(([k, v]) => `${k}=${v}`).join(' ');
}

/** Per profile (a sweep: per trial, all from its base profile): gated, the profile's summary, the settings it ran the target with. */
export function profileSettingsTable(input: RunDescriptionInput): Table {
  if (input.baseProfile !== undefined) {
    return { header: ['trial', 'gated', 'settings'], rows: input.runs.map((r) => [r.name, r.gated ? 'yes' : 'no', settingsCell(r.config.flags)]) };
  }
  const summaries = new Map((input.targetDescription?.profiles ?? []).map((p) => [p.name, p.summary]));
  const rows = input.runs.map((r) => [r.name, r.gated ? 'yes' : 'no', summaries.get(r.name) ?? '-', settingsCell(r.config.flags)]);
  return { header: ['profile', 'gated', 'summary', 'settings'], rows };
}

/** The target's settings the runs set, with what each does (when the description says). */
export function settingMeaningsTable(input: RunDescriptionInput): Table {
  const used = new Set(input.runs.flatMap((r) => Object.keys(r.config.flags)));
  const rows = (input.targetDescription?.settings ?? []).filter((s) => used.has(s.name) && s.description !== null).map((s) => [s.name, s.description!]);
  return { header: ['setting', 'what it does'], rows };
}

/** Label and value: the workload, its file and description, its streams, lock errors' busy timeout, the target and how it was started. */
export function runFacts(input: RunDescriptionInput): [string, string][] {
  const workload = workloadOf(input);
  const target = input.targetDescription;
  const optionText = (key: string) => (typeof input.options[key] === 'string' ? (input.options[key] as string) : null);
  const facts: [string, string][] = [
    ['workload', workload?.name ?? 'not recorded'],
    ['workload file', workload?.source ?? optionText('workload') ?? 'not recorded'],
  ];
  const description = workload?.definition?.description;
  if (description) facts.push(['description', description]);
  const streams = workload?.definition?.streams.map((s) => s.name) ?? workload?.streams.map((s) => s.stream) ?? [];
  facts.push(['streams', `${streams.join(', ') || 'none'}${streamsVary(input) ? ' (some figures varied by the sweep)' : ''}`]);
  if (workload && workload.busyTimeoutMs !== null) facts.push(['busy timeout', `${durationText(workload.busyTimeoutMs)} (lock errors split fast / timed out by it)`]);
  if (target) {
    facts.push(['target', target.kind === 'builtin' ? `${target.name} (lockbench's own)` : target.name]);
    facts.push(['target description', target.source]);
    facts.push('url' in target.start ? ['target running at', target.start.url] : ['target started with', [target.start.command, ...target.start.args].join(' ')]);
    if (input.baseProfile !== undefined) {
      const summary = target.profiles.find((p) => p.name === input.baseProfile)?.summary;
      facts.push(['base profile', summary ? `${input.baseProfile}: ${summary}` : input.baseProfile]);
    }
  } else {
    facts.push(['target description', optionText('target') ?? "lockbench's own target"]);
  }
  return facts;
}
