/**
 * A run from a workload file in its own words: per profile and stream the requests, what they came to
 * (lock errors split fast / timed out) and their latency; the workload's own criteria side by side per
 * profile. Generic over the workload's streams and criteria: none is known here by name.
 */
import { settingsLabel, type CriterionResult, type ProfileResult, type RunProfiles, type RunResults } from '../model/results.ts';
import type { PointResult } from '../model/sweep.ts';
import type { CriterionCode, CriterionUnit, StreamFigures, WorkloadCriterionResult, WorkloadResult } from '../model/workload.ts';
import { formatMeasured, formatMs, formatThreshold, formatValue, gateCell, NOT_JUDGED, profileHeading, verdict } from './format.ts';

/**
 * What a workload run's headline names: the scenario, when the workload is the scenario's own (the default
 * run's seed, named as its scenario), so `lockbench concurrent: PASS` reads as it always has; else `workload <name>`.
 */
export function runSubject(results: Pick<RunResults, 'scenario' | 'profiles'>): string {
  const name = workloadName(results.profiles) ?? '';
  return name === results.scenario ? results.scenario : `workload ${name}`;
}

const count = (n: number) => n.toLocaleString('en-US');

/** The name of the workload the profiles (or a sweep's trials) ran; null when none ran one. */
export function workloadName(runs: readonly Pick<ProfileResult, 'workload'>[]): string | null {
  return runs.find((p) => p.workload)?.workload?.name ?? null;
}

/** Lock errors with their split: `12 (fast 12, timed out 0)`; the split is unknown without a busy timeout. */
function lockErrorsCell(s: StreamFigures): string {
  const { total, fast, timedOut, unknown } = s.lockErrors;
  if (total === 0) return '0';
  return unknown === total ? `${count(total)} (split unknown)` : `${count(total)} (fast ${count(fast)}, timed out ${count(timedOut)})`;
}

/** Kinds by count, most first: `timeout 2, reset 1`; one kind alone is named without its count. */
function kindsText(byKind: Record<string, number>): string {
  const kinds = Object.entries(byKind).sort((a, b) => b[1] - a[1]);
  return kinds.length === 1 ? kinds[0]![0] : kinds.map(([kind, n]) => `${kind} ${count(n)}`).join(', ');
}

/**
 * The other errors split: requests that got no answer (by why: `2 (timeout)`), and error answers. An SQL
 * stream's writes always end with SQLite's word: its errors are all answers. Results written before the
 * split was kept show the errors unsplit.
 */
function otherErrorsCells(s: Pick<StreamFigures, 'kind' | 'otherErrors' | 'noAnswer' | 'errorAnswers'>): [string, string] {
  if (s.kind === 'sql') return ['-', count(s.otherErrors)];
  if (s.noAnswer === undefined || s.errorAnswers === undefined) return s.otherErrors === 0 ? ['0', '0'] : ['-', `${count(s.otherErrors)} (not split)`];
  const { total, byKind } = s.noAnswer;
  return [total === 0 ? '0' : `${count(total)} (${kindsText(byKind)})`, count(s.errorAnswers)];
}

/**
 * Per profile and stream: requests (SQL writes), successes, partial, lock errors, no answer, error
 * answers, p50, p99, acknowledged. Partial and acknowledged are left out when no stream has any, to keep
 * the table within a terminal's width.
 */
export function streamsTable(results: RunProfiles): { header: string[]; rows: string[][] } {
  const streams = results.profiles.flatMap((p) => (p.workload?.streams ?? []).map((s) => ({ profile: p.name, s })));
  const partial = streams.some(({ s }) => s.partial > 0);
  const acknowledged = streams.some(({ s }) => s.acknowledged !== null);
  const header = ['profile', 'stream', 'requests', 'successes', ...(partial ? ['partial'] : []), 'lock errors', 'no answer', 'error answers', 'p50', 'p99', ...(acknowledged ? ['acknowledged'] : [])];
  const rows = streams.map(({ profile, s }) => [
    profile,
    s.kind === 'sql' ? `${s.stream} (SQL)` : s.stream,
    count(s.requests),
    count(s.successes),
    ...(partial ? [count(s.partial)] : []),
    lockErrorsCell(s),
    ...otherErrorsCells(s),
    formatMs(s.p50Ms),
    formatMs(s.p99Ms),
    ...(acknowledged ? [s.acknowledged === null ? '-' : count(s.acknowledged)] : []),
  ]);
  return { header, rows };
}

const unitText = (unit: CriterionUnit, v: number): string => formatValue(v, unit);

/** Why a figure is missing or failed beside its comparison. */
export const CRITERION_CODE_TEXT: Record<CriterionCode, string> = {
  'no-samples': 'not measured: no samples',
  'window-unknown': 'not measured: its window stream has no samples',
  'window-empty': 'not measured: nothing started in its window',
  'not-counted': 'not measured: the count could not be run',
  'not-acknowledged': 'not measured: what the answers acknowledged was not counted',
  'integrity-failed': 'integrity check failed',
  'integrity-unknown': 'integrity not checked',
};

/** `< 1,000 ms`; a no-loss check's threshold is what was acknowledged: `== 500 rows (acknowledged)`. */
export function workloadThreshold(c: WorkloadCriterionResult): string {
  if (c.threshold === null) return '-';
  return `${c.comparison} ${unitText(c.unit, c.threshold)}${c.type === 'no-loss' ? ' acknowledged' : ''}`;
}

export function workloadMeasured(c: WorkloadCriterionResult): string {
  // A figure over part of a run is not judged, and reads as the scenario's do: no figure, no verdict.
  if (c.notJudged !== undefined) return NOT_JUDGED[c.notJudged];
  if (c.measured === null) return c.code === undefined ? 'not measured' : CRITERION_CODE_TEXT[c.code];
  return `${unitText(c.unit, c.measured)}${c.code === undefined ? '' : ` (${CRITERION_CODE_TEXT[c.code]})`}`;
}

function criterionOf(profile: ProfileResult, id: string): WorkloadCriterionResult | undefined {
  return profile.workload?.criteria.find((c) => c.id === id);
}

/** The workload's criteria side by side: criterion, threshold (first profile's), one column per profile, gate. */
export function workloadCriteriaTable(results: RunProfiles): { header: string[]; rows: string[][] } {
  const ids = [...new Set(results.profiles.flatMap((p) => p.workload?.criteria.map((c) => c.id) ?? []))];
  const gated = results.profiles.filter((p) => p.gated);
  const header = ['criterion', 'threshold', ...results.profiles.map(profileHeading), 'gate'];
  const rows = ids.map((id) => {
    // A no-loss threshold is each profile's own acknowledged total: shown in its cell.
    const first = results.profiles.map((p) => criterionOf(p, id)).find((c) => c !== undefined)!;
    const threshold = first.type === 'no-loss' ? '== acknowledged' : workloadThreshold(first);
    const cells = results.profiles.map((p) => {
      const c = criterionOf(p, id);
      if (!c) return p.status === 'not-run' ? NOT_JUDGED['not-run'] : '-';
      if (c.notJudged !== undefined) return workloadMeasured(c);
      if (c.type !== 'no-loss' || c.threshold === null) return `${workloadMeasured(c)} ${verdict(c.pass)}`;
      const of = c.measured === null ? `; ${count(c.threshold)} acknowledged` : ` of ${count(c.threshold)} acknowledged`;
      return `${workloadMeasured(c)}${of} ${verdict(c.pass)}`;
    });
    return [id, threshold, ...cells, gateCell(results, id, criterionOf)];
  });
  return { header, rows };
}

const LOCK_SOURCE_TEXT: Record<WorkloadResult['lockSource'], string> = {
  observed: 'from the external observer (every holder)',
  'self-reported': "self-reported by the holders (the observer did not watch): the target's own and the side writers' holds",
  none: 'not measured (the observer did not watch)',
};

/** Where each profile's lock figures come from, when a criterion judges the lock. */
export function lockSourceLines(results: RunProfiles): string[] {
  return results.profiles.flatMap((p) =>
    p.workload && p.workload.criteria.some((c) => c.type === 'max-lock-hold' || c.type === 'lock-duty-cycle')
      ? [`${p.name}: lock figures ${LOCK_SOURCE_TEXT[p.workload.lockSource]}`]
      : [],
  );
}

const LOCK_CRITERIA: ReadonlySet<WorkloadCriterionResult['type']> = new Set(['max-lock-hold', 'lock-duty-cycle']);

/**
 * The junit case of one workload criterion: name and, when it failed, the message; a lock criterion's says
 * where its figure came from (`lockSource`), as a fallback must never pass for the real thing.
 */
export function workloadCase(c: WorkloadCriterionResult, lockSource?: WorkloadResult['lockSource']): { name: string; failure: string | null } {
  const basis = lockSource !== undefined && lockSource !== 'none' && LOCK_CRITERIA.has(c.type) && c.measured !== null ? ` (${lockSource})` : '';
  return { name: `${c.id} (${c.type})`, failure: c.pass ? null : `measured ${workloadMeasured(c)}${basis}, expected ${workloadThreshold(c)}` };
}

/** One trial of a sweep, as the workload's table of a sweep reads it (a trial without a status completed). */
export interface SweepTrialStreams {
  pointId: string;
  result: Pick<ProfileResult, 'workload'> & Partial<Pick<ProfileResult, 'status'>>;
}

/** The middle value (the mean of the two middle ones for an even count); null for none. */
function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The workload's criteria that failed in some repeat of each point; null for a point with no judged repeat. */
function failingByPoint(points: readonly { id: string }[], trials: readonly SweepTrialStreams[]): Map<string, string[] | null> {
  return new Map(
    points.map((point) => {
      const judged = trials.filter((t) => t.pointId === point.id && t.result.workload).map((t) => t.result.workload!);
      return [point.id, judged.length === 0 ? null : [...new Set(judged.flatMap((w) => w.criteria.filter((c) => !c.pass).map((c) => c.id)))]];
    }),
  );
}

/**
 * A sweep from a workload, per point and stream: the repeats, requests, lock errors, requests with no
 * answer and error answers summed over them, the median p50 and p99, and the workload's criteria that
 * failed in some repeat.
 */
export function sweepStreamsTable(points: readonly { id: string }[], trials: readonly SweepTrialStreams[], planned: readonly string[] = []): { header: string[]; rows: string[][] } {
  const header = ['point', 'stream', 'repeats', 'requests', 'lock errors', 'no answer', 'error answers', 'p50 (median)', 'p99 (median)', 'criteria'];
  const failingAt = failingByPoint(points, trials);
  const rows = points.flatMap((point) => {
    const judged = trials.filter((t) => t.pointId === point.id && t.result.workload).map((t) => t.result.workload!);
    const failing = failingAt.get(point.id);
    const verdictCell = !failing ? 'not measured' : failing.length === 0 ? 'pass' : `FAIL ${failing.join(', ')}`;
    const names = [...new Set(judged.flatMap((w) => w.streams.map((s) => s.stream)))];
    // A point none of whose trials reached analysis still lists the streams it was to send, none measured.
    if (names.length === 0) return planned.map((name, i) => [i === 0 ? point.id : '', name, '0', '-', '-', '-', '-', '-', '-', i === 0 ? verdictCell : '']);
    return names.map((name, i) => {
      const figures = judged.flatMap((w) => w.streams.filter((s) => s.stream === name));
      const sum = (f: (s: StreamFigures) => number) => count(figures.reduce((n, s) => n + f(s), 0));
      const fast = figures.reduce((n, s) => n + s.lockErrors.fast, 0);
      const timedOut = figures.reduce((n, s) => n + s.lockErrors.timedOut, 0);
      const total = figures.reduce((n, s) => n + s.lockErrors.total, 0);
      const lock = total === 0 ? '0' : fast + timedOut === total ? `${count(total)} (fast ${count(fast)}, timed out ${count(timedOut)})` : count(total);
      const ms = (f: (s: StreamFigures) => number | null) => formatMs(median(figures.map(f).filter((v): v is number => v !== null)));
      return [
        i === 0 ? point.id : '',
        figures[0]?.kind === 'sql' ? `${name} (SQL)` : name,
        String(figures.length),
        sum((s) => s.requests),
        lock,
        ...otherErrorsCells(summedErrors(figures)),
        ms((s) => s.p50Ms),
        ms((s) => s.p99Ms),
        i === 0 ? verdictCell : '',
      ];
    });
  });
  return { header, rows };
}

/** Several repeats' other errors of one stream as one: summed, split only when every repeat kept the split. */
function summedErrors(figures: readonly StreamFigures[]): Pick<StreamFigures, 'kind' | 'otherErrors' | 'noAnswer' | 'errorAnswers'> {
  const otherErrors = figures.reduce((n, s) => n + s.otherErrors, 0);
  const kind = figures[0]?.kind ?? 'http';
  if (!figures.every((s) => s.noAnswer !== undefined && s.errorAnswers !== undefined)) return { kind, otherErrors };
  const byKind: Record<string, number> = {};
  for (const [why, n] of figures.flatMap((s) => Object.entries(s.noAnswer!.byKind))) byKind[why] = (byKind[why] ?? 0) + n;
  return {
    kind,
    otherErrors,
    noAnswer: { total: figures.reduce((n, s) => n + s.noAnswer!.total, 0), byKind },
    errorAnswers: figures.reduce((n, s) => n + s.errorAnswers!, 0),
  };
}

/** Per stream (in the workload's order), the p99 of each repeat of a point that measured one, in ms. */
export function streamP99sAt(pointId: string, trials: readonly SweepTrialStreams[]): Map<string, number[]> {
  const p99s = new Map<string, number[]>();
  for (const t of trials) {
    if (t.pointId !== pointId || (t.result.status ?? 'completed') !== 'completed') continue;
    for (const s of t.result.workload?.streams ?? []) {
      if (s.p99Ms !== null) p99s.set(s.stream, [...(p99s.get(s.stream) ?? []), s.p99Ms]);
    }
  }
  return p99s;
}

/** One profile's workload criteria: criterion, threshold, measured, verdict. */
export function workloadCriteriaRows(profile: Pick<ProfileResult, 'workload'>): [string[], string[][]] {
  const rows = (profile.workload?.criteria ?? []).map((c) => [
    c.id,
    c.type === 'no-loss' ? '== acknowledged' : workloadThreshold(c),
    workloadMeasured(c),
    c.notJudged === undefined ? verdict(c.pass) : 'not judged',
  ]);
  return [['criterion', 'threshold', 'measured', 'verdict'], rows];
}

/** A sweep's point as the workload's criteria table reads it. */
type CriteriaPoint = Pick<PointResult, 'id' | 'settings' | 'repeats' | 'trialIds' | 'criteria'>;

/** In how many of the point's completed repeats a criterion failed (or was not judged), of how many. */
function repeatsFailing(point: CriteriaPoint, id: string, trials: readonly SweepTrialStreams[]): { failed: number; of: number } {
  const completed = trials.filter((t) => t.pointId === point.id && (t.result.status ?? 'completed') === 'completed');
  return { failed: completed.filter((t) => t.result.workload?.criteria.find((c) => c.id === id)?.pass !== true).length, of: completed.length };
}

function sweepCriterionCell(point: CriteriaPoint, c: CriterionResult | undefined, trials: readonly SweepTrialStreams[]): string {
  if (point.trialIds.length === 0) return 'not run';
  if (point.repeats === 0) return 'no repeat completed';
  if (!c) return '-';
  const { failed, of } = repeatsFailing(point, c.id, trials);
  return `${formatMeasured(c)} ${verdict(c.pass)}${!c.pass && of > 1 ? ` (failed in ${failed} of ${of} repeats)` : ''}`;
}

/**
 * A sweep from a workload, its criteria side by side: criterion, threshold, and per point the median over
 * its completed repeats with the verdict (a pass in every repeat), and in how many repeats a failed one failed.
 */
export function workloadSweepCriteriaTable(
  points: readonly CriteriaPoint[],
  trials: readonly SweepTrialStreams[],
  planned: readonly WorkloadCriterionResult[] = [],
): { header: string[]; rows: string[][] } {
  // The workload's criteria judge no point none of whose repeats completed: `planned` names them all the same.
  const ids = [...new Set([...points.flatMap((p) => p.criteria.map((c) => c.id)), ...planned.map((c) => c.id)])];
  const header = ['criterion', 'threshold', ...points.map((p) => `${settingsLabel(p)} (median of ${p.repeats})`)];
  const rows = ids.map((id) => {
    const first = points.flatMap((p) => p.criteria).find((c) => c.id === id);
    const plannedOne = planned.find((c) => c.id === id)!;
    const threshold = first ? formatThreshold(first) : plannedOne.type === 'no-loss' ? '== acknowledged' : workloadThreshold(plannedOne);
    return [id, threshold, ...points.map((p) => sweepCriterionCell(p, p.criteria.find((c) => c.id === id), trials))];
  });
  return { header, rows };
}
