/**
 * What a reader should know about where a trial's figures came from and what they leave out, said in
 * words from the result's data.
 */
import type { DriverInfo, HoldAttribution, ObservedLocks, ProfileNote, ProfileResult, RunResults } from '../model/results.ts';
import { ABORTED, formatMs, tally } from './format.ts';
import { crossCheckDetail, crossCheckWarnings } from './lock-comparison.ts';
import { formatJournalModes, JOURNAL_MODE_WORDS } from './journal-mode.ts';
import { holderName } from './holder-name.ts';
import { windowedLatencyNotes } from './windowed-latency.ts';

/**
 * What a reader should know about where the figures came from and what they leave out. A trial's criteria,
 * windows, holders, side writers and lock source are said by its workload's own tables and notes: only what
 * those leave out is said here (the imports' two clocks where the target keeps import_jobs, the driver's
 * losses, the integrity checks, the journal mode, the instrument's findings).
 */
export function measurementNotes(m: ProfileResult, driver: DriverInfo): string[] {
  const notes: string[] = [];
  const lockbench = m.load;
  if (lockbench) {
    // A workload file's load sent no imports of the scenario's: its result has none to speak of.
    const imports = lockbench.imports;
    if (imports) {
      if (m.importJobsWallMs !== null && m.importJobsWallMs !== undefined) {
        notes.push(
          `import wall from the ${driver.name} driver's clock (first import request sent to last answer): ${formatMs(imports.wallMs, { digits: 0 })}; ` +
            `import_jobs (server clock) says ${formatMs(m.importJobsWallMs, { digits: 0 })}`,
        );
      }
      if (imports.wallMs === null && imports.expected > 0) {
        // A client error (aborted, reset, timed out) is no answer.
        notes.push(`only ${imports.completed + imports.partial + imports.failed} of ${imports.expected} imports answered`);
      }
      if (imports.partial + imports.failed + imports.errored > 0) {
        notes.push(`imports: ${imports.completed} completed, ${imports.partial} partial, ${imports.failed} failed, ${imports.errored} errored`);
      }
    }
    const crossed = lockbench.thresholds.filter((t) => !t.ok);
    if (crossed.length > 0) {
      notes.push(
        `k6 thresholds crossed (k6 judges its whole run; reported only, the criteria are the gate): ${crossed.map((t) => `${t.metric} ${t.expression}`).join(', ')}`,
      );
    }
    for (const [name, latency] of Object.entries(lockbench.streams)) {
      if (latency.droppedIterations > 0) {
        notes.push(`${name}: ${latency.droppedIterations} requests were never sent (dropped iterations: no free VU): latency is understated`);
      }
    }
  }
  const partial = m.status !== 'completed';
  if (partial && m.integrity) {
    // Imports still running when it stopped may have committed rows they never acknowledged.
    const fileCheck = m.reliability?.integrityCheckOk;
    notes.push(`integrity: rows not compared with what was acknowledged (the run was cut short); PRAGMA integrity_check ${fileCheck === undefined || fileCheck === null ? 'not run' : fileCheck ? 'ok' : 'NOT OK'}`);
  } else {
    for (const problem of m.integrity?.problems ?? []) notes.push(`integrity: ${problem}`);
  }
  for (const check of m.integrity?.notRun ?? []) notes.push(`integrity: ${check} (not run, so not passed)`);
  notes.push(...lockFigureNotes(m.observed, partial));
  return notes;
}

/**
 * What the instrument found beyond the workload's lock source and holders by stream (its own lines and
 * tables): the journal mode, the commit's share of the longest hold, other holders, the cross-check.
 */
function lockFigureNotes(observed: ObservedLocks | null, partial: boolean): string[] {
  if (observed === null) return [];
  if (partial) return observed.crossCheck.outcome === 'not-checked' ? [`lock cross-check ${crossCheckDetail(observed)}`] : [];
  if (observed.status !== 'observed') return [];
  const notes: string[] = [];
  if (observed.journalMode !== undefined) {
    notes.push(`database observed in journal mode ${formatJournalModes(observed.journalModes ?? [], observed.journalMode)}`);
  }
  const committingMs = observed.summary.longestHoldCommittingMs ?? 0;
  if (committingMs > 0) {
    notes.push(
      `longest write transaction open ${formatMs(observed.summary.holdMaxMs)}, of which committing ${formatMs(committingMs)} ` +
        `(all holds: ${formatMs(observed.summary.heldMs)} open, ${formatMs(observed.summary.committingMs ?? 0)} committing)`,
    );
  }
  const others = observed.holders.filter((h) => h.role === 'other' && h.observed.spanCount > 0);
  if (others.length > 0) {
    notes.push(
      'write lock also held by processes that are neither the target nor the side writers: ' +
        others.map((h) => `${h.command === undefined ? 'pid ' : ''}${holderName(h)} (${h.observed.spanCount} holds, max ${formatMs(h.observed.holdMaxMs)})`).join(', '),
    );
  }
  if (observed.crossCheck.outcome === 'fault') notes.push(`${crossCheckDetail(observed)} (reported, not gating)`);
  if (observed.crossCheck.outcome === 'not-checked') notes.push(`lock cross-check ${crossCheckDetail(observed)}`);
  notes.push(...crossCheckWarnings(observed).map((w) => `lock cross-check: ${w}`));
  return notes;
}

/**
 * How many of the target's holds were attributed: "3 of 4 target holds attributed to a stream (1 exact, 2
 * as one of several requests of one stream; 1 across streams, 0 with no request in flight), 82 % of the
 * held time; requests counted in flight at the target, not per process".
 */
export function attributionSummary(a: HoldAttribution): string {
  const pct = (share: number | null) => (share === null ? 'not measured' : `${(share * 100).toFixed(0)} %`);
  return (
    `${a.exact + a.oneOf} of ${a.holds} target holds attributed to a stream (${a.exact} exact, ${a.oneOf} as one of several requests of one stream; ` +
    `${a.ambiguous} across streams, ${a.none} with no request in flight), ${pct(a.attributedTimeShare)} of the held time; ` +
    'requests are counted in flight at the target, not per process'
  );
}

/** One of a profile's own notes (what its target could not give, what went wrong on the way) in words. */
export function profileNoteText(note: ProfileNote): string {
  switch (note.code) {
    case 'target-reports-no-locks':
      return `${note.target} reports no lock figures of its own (its description has no "locks"): lock-hold rests on the lock observer alone, and the lock cross-check is not available`;
    case 'no-workflow-write':
      return 'workflow writers not run: the target description has no sql.workflowWrite, so workflow-p99 is not measured';
    case 'no-artifacts-per-source':
      return 'no-loss not run: the target description has no sql.artifactsPerSource, so the stored rows were not counted';
    case 'target-exit-on-stop':
      return `the target exited with code ${note.exitCode} when stopped`;
    case 'journal-mode-changed':
      return (
        `the database's journal mode changed during the trial, from ${JOURNAL_MODE_WORDS[note.before]} to ${JOURNAL_MODE_WORDS[note.after]}: ` +
        'nothing lockbench runs beside the target changes it, so the target (or another process) did'
      );
    case 'error':
      return note.message;
  }
}

/** What a reader should know of requests the target never answered, after where and why. */
const NOTHING_BACK = 'the target sent nothing back before the client gave up or the connection ended';
const UNANSWERED_WHY = `${NOTHING_BACK}; a timed-out one has its timeout as latency`;
/** The same, for results whose streams table counts them among other errors, unsplit. */
const UNANSWERED_UNSPLIT = `${NOTHING_BACK}; counted as other errors, a timed-out one with its timeout as latency`;

/**
 * The requests that got no answer at all, per stream (named) and by why the client stopped waiting: the
 * streams table counts them, and this says what they are. Results written before streams kept it give the
 * profile's count alone. Null when every request got an answer.
 */
function unansweredNote(profile: ProfileResult): string | null {
  // Cut short, the requests the stop itself aborted were not left unanswered by the target.
  const targets = (byKind: Record<string, number>) => Object.fromEntries(Object.entries(byKind).filter(([error]) => !(profile.status !== 'completed' && error === ABORTED)));
  const sum = (byKind: Record<string, number>) => Object.values(byKind).reduce((n, k) => n + k, 0);
  const split = profile.workload?.streams.filter((s) => s.noAnswer !== undefined) ?? [];
  if (split.length === 0) {
    const byError = targets(profile.reliability?.requests.byError ?? {});
    const total = sum(byError);
    return total === 0 ? null : `${total.toLocaleString('en-US')} request(s) got no answer (${tally(byError)}): ${UNANSWERED_UNSPLIT}`;
  }
  const streams = split.map((s) => ({ stream: s.stream, byKind: targets(s.noAnswer!.byKind) })).filter((s) => sum(s.byKind) > 0);
  if (streams.length === 0) return null;
  const total = streams.reduce((n, s) => n + sum(s.byKind), 0);
  const where = streams.map((s) => `${s.stream} ${sum(s.byKind).toLocaleString('en-US')} (${tally(s.byKind)})`).join(', ');
  return `${total.toLocaleString('en-US')} request(s) got no answer: ${where}; ${UNANSWERED_WHY}`;
}

const PROFILE_STATUS_WORDS: Record<ProfileResult['status'], string> = { completed: 'completed', incomplete: 'incomplete', errored: 'errored', 'not-run': 'not run' };

/** Lines that say why the run or a profile is not a full, clean result. */
export function runNotes(results: Pick<RunResults, 'complete' | 'incompleteReason' | 'profiles' | 'driver' | 'options'>): string[] {
  const notes: string[] = [];
  if (!results.complete) notes.push(`INCOMPLETE: ${results.incompleteReason ?? 'the run stopped early'}; figures are what was measured.`);
  for (const profile of results.profiles) {
    if (profile.status !== 'completed') {
      // A reason the whole run already gave is not repeated per profile.
      const error = profile.error && profile.error !== results.incompleteReason ? ` (${profile.error})` : '';
      notes.push(`${profile.name}: ${PROFILE_STATUS_WORDS[profile.status]}${error}`);
    }
    const measured = measurementNotes(profile, results.driver);
    // The client errors, per stream.
    const unanswered = unansweredNote(profile);
    // What each criterion judged inside a window, beside the whole run.
    const windowed = windowedLatencyNotes(profile);
    for (const note of [...profile.notes.map(profileNoteText), ...measured, ...windowed, ...(unanswered === null ? [] : [unanswered])]) notes.push(`${profile.name}: ${note}`);
  }
  return notes;
}
