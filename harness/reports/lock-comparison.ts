/**
 * The lock observer's comparison and the cross-check in words: how each figure's allowance was decided,
 * what a reader should know about the holds compared, and the verdict. The comparison and the verdict
 * are data (harness/analyze/lock-comparison.ts, harness/analyze/observed-locks.ts); only this turns them into
 * sentences. Imports nothing at runtime but format.ts, so the standalone observer can word its
 * comparison with it too.
 */
import type { FigureComparison, FigureId, LockComparison } from '../model/lock-observation.ts';
import type { CrossCheckSkipped, LocksObserved, ObservedLockComparison, ObservedLocks } from '../model/results.ts';
import { formatMs, type MsFormat } from './format.ts';

/** What each compared figure is called in prose and tables. */
const FIGURE_NAMES: Readonly<Record<FigureId, string>> = {
  holdMaxMs: 'max hold',
  holdP99Ms: 'p99 hold',
  dutyCycle: 'duty cycle',
  spanCount: 'holds',
};

/** A single hold, to the hundredth of a millisecond at every size, as the observer's own comparison lists it. */
const HOLD_MS: MsFormat = { digits: 2, wholeFromMs: Infinity };
/** The duty cycle's allowances, to the tenth of a millisecond at every size. */
const SUMMED_MS: MsFormat = { digits: 1, wholeFromMs: Infinity };

const figureMs = (value: number | null) => formatMs(value, { ...HOLD_MS, unit: false });
const signed = (value: number, digits: number): string => `${value >= 0 ? '+' : ''}${value.toFixed(digits)}`;

/**
 * A lock figure in a cell that names its unit once: `3,061` from 100 ms up, else two decimals, since
 * holds are compared to fractions of a millisecond.
 */
const LOCK_CELL_MS: MsFormat = { digits: 2, unit: false, missing: '-' };

/** Percentage points, precise enough for the small allowances of long windows. */
function signedPp(ratio: number): string {
  const pp = ratio * 100;
  return `${pp >= 0 ? '+' : ''}${pp.toFixed(Math.abs(pp) < 0.1 ? 3 : 2)} pp`;
}

/**
 * `13.92 / 13.49 ms (+0.43)`, `4.12 / 4.10 % (+0.020 pp)`, `52 / 52 (+0)`. A difference beyond its
 * allowance is marked FAULT, except the duty cycle's, which is a warning (see LockCrossCheck.warnings).
 */
export function comparedCell(figure: FigureComparison): string {
  let text: string;
  if (figure.unit === 'ratio') {
    const pct = (v: number | null) => (v === null ? '-' : (v * 100).toFixed(2));
    text = `${pct(figure.observed)} / ${pct(figure.selfReported)} %${figure.difference === null ? '' : ` (${signedPp(figure.difference)})`}`;
  } else if (figure.unit === 'ms') {
    text = `${formatMs(figure.observed, LOCK_CELL_MS)} / ${formatMs(figure.selfReported, LOCK_CELL_MS)} ms${figure.difference === null ? '' : ` (${formatMs(figure.difference, { ...LOCK_CELL_MS, signed: true })})`}`;
  } else {
    text = `${figure.observed ?? '-'} / ${figure.selfReported ?? '-'}${figure.difference === null ? '' : ` (${figure.difference >= 0 ? '+' : ''}${figure.difference})`}`;
  }
  if (!figure.fault) return text;
  return figure.id === 'dutyCycle' ? `${text} beyond sampling allowance` : `${text} FAULT`;
}

/** A figure's allowance in its unit: `5.49 ms`, `0.120 pp`; a count allows no unmatched hold. */
function allowedCell(figure: FigureComparison): string {
  if (figure.unit === 'ratio') return `${(figure.allowed * 100).toFixed(3)} pp`;
  return figure.unit === 'ms' ? formatMs(figure.allowed, { digits: 2 }) : 'every one matched';
}

/** Each compared figure: its name, observed / self-reported (difference), what was allowed and by which rule. */
export function lockFigureTable(comparison: ObservedLockComparison): { header: string[]; rows: string[][] } {
  return {
    header: ['figure', 'observed / self-reported (difference)', 'allowed', 'rule'],
    rows: comparison.figures.map((f) => [FIGURE_NAMES[f.id], comparedCell(f), allowedCell(f), figureRule(f, comparison)]),
  };
}

/** The holds one side has and the other does not, listed up to the comparison's limit, then counted. */
export function unmatchedHoldLines(comparison: ObservedLockComparison): string[] {
  const clock = (epochMs: number) => `${new Date(epochMs).toISOString().slice(11, 23)}Z`;
  const hold = (s: { startMs: number; endMs: number; pid: number }) => `${clock(s.startMs)} ${formatMs(s.endMs - s.startMs, HOLD_MS)} (pid ${s.pid})`;
  const more = (count: number, listed: number, what: string) => (count > listed ? [`... ${count - listed} more ${what}`] : []);
  return [
    ...comparison.selfNotObserved.map((s) => `self-reported hold not observed: ${hold(s)}`),
    ...more(comparison.selfNotObservedCount, comparison.selfNotObserved.length, 'self-reported holds not observed'),
    ...comparison.observedNotReported.map((s) => `observed hold not self-reported: ${hold(s)}`),
    ...more(comparison.observedNotReportedCount, comparison.observedNotReported.length, 'observed holds not self-reported'),
  ];
}

/** How `allowed` and `fault` were decided for one figure: the rule column of summary.md. */
export function figureRule(figure: FigureComparison, comparison: Pick<LockComparison, 'toleranceMs' | 'detectableHoldMs' | 'selfTimingOverheadMs'>): string {
  const { rule } = figure;
  const longHolds = `holds >= ${formatMs(comparison.detectableHoldMs, HOLD_MS)}`;
  switch (rule.kind) {
    case 'hold-bounds': {
      const over = figure.id === 'holdMaxMs' ? 'longest hold' : `p99 over ${longHolds} on each side`;
      if (rule.lowMs === null || rule.highMs === null) return `${over}; nothing observed to compare`;
      return (
        `${over}; the observed holds' own sample gaps put it in ${figureMs(rule.lowMs)}..${formatMs(rule.highMs, HOLD_MS)}; ` +
        `self-reported within that +- ${comparison.toleranceMs} ms`
      );
    }
    case 'summed-holds':
      return (
        `summed holds may differ by ${comparison.toleranceMs} ms + one gap + 4 x ${formatMs(rule.samplingSdMs, SUMMED_MS)} of sampling error ` +
        `(half a gap for each of ${rule.sampledHolds} holds, each observed hold end's own gap / sqrt 12) = ${formatMs(rule.samplingHeldMs, SUMMED_MS)}, ` +
        `self-reported longer by ${comparison.selfTimingOverheadMs * 1000} us x ${rule.selfReportedHolds} holds = ${formatMs(rule.timingHeldMs, SUMMED_MS)} more, ` +
        `over ${formatMs(rule.windowMs, { digits: 0, wholeFromMs: Infinity })}`
      );
    case 'one-to-one':
      return `${longHolds}; fault when one on either side has no counterpart of the same pid (paired one to one, largest overlap first)`;
  }
}

/** What a reader of a comparison should know: the holds on each side, holders not compared, holds that ran into a checkpoint. */
export function comparisonNotes(comparison: LockComparison): string[] {
  const { holdsCompared, otherHolders } = comparison;
  const notes = [
    `all holds in the window: ${holdsCompared.observed} observed, ${holdsCompared.selfReported} self-reported (polling misses many holds shorter than a sample gap)`,
  ];
  if (otherHolders.length > 0) {
    notes.push(`write-lock holds of ${otherHolders.map((o) => `pid ${o.pid} (${o.spanCount})`).join(', ')} are not compared: those processes do not self-report`);
  }
  if (comparison.holdsIntoCheckpoint > 0) {
    notes.push(
      `${comparison.holdsIntoCheckpoint} self-reported hold(s) run on past the write lock's release into a checkpoint by the same process: ` +
        'an auto-checkpoint runs inside COMMIT after the write lock is released, so a hold timed to COMMIT returning includes it',
    );
  }
  if (comparison.pids.length === 0) notes.push('nothing to compare: no self-reported holds in the window and no pids given');
  return notes;
}

/** How turning the observed write-lock spans into holds as the holders time them changed them; null when it did not. */
function commitCheckpointsNote({ extended, standalone, addedMs }: LocksObserved['commitCheckpoints']): string | null {
  if (extended + standalone === 0) return null;
  return (
    `observed holds compared as the holders time them (to COMMIT returned): ${extended} extended through the auto-checkpoint ` +
    `their COMMIT ran after releasing the write lock, ${standalone} checkpoint(s) after a write lock too short to sample; ${formatMs(addedMs, SUMMED_MS)} added`
  );
}

/** The comparison's notes in a profile's result, its commit checkpoints last. */
export function observedLockNotes(observed: LocksObserved): string[] {
  const commit = commitCheckpointsNote(observed.commitCheckpoints);
  return commit === null ? comparisonNotes(observed.comparison) : [...comparisonNotes(observed.comparison), commit];
}

const percent = (ratio: number | null) => `${((ratio ?? 0) * 100).toFixed(3)} %`;

function describedFault(id: FigureId, comparison: ObservedLockComparison): string {
  const name = FIGURE_NAMES[id];
  if (id === 'spanCount') {
    return (
      `${name} >= ${formatMs(comparison.detectableHoldMs, HOLD_MS)}: ${comparison.selfNotObservedCount} self-reported not observed, ` +
      `${comparison.observedNotReportedCount} observed not self-reported`
    );
  }
  const f = comparison.figures.find((figure) => figure.id === id)!;
  return (
    `${name} ${formatMs(f.difference ?? 0, { ...HOLD_MS, signed: true })} ` +
    `(observed ${figureMs(f.observed)}, self-reported ${figureMs(f.selfReported)}, allowed ${figureMs(f.allowed)})`
  );
}

const CROSS_CHECK_SKIPPED: Record<CrossCheckSkipped, string> = {
  'not-observed': 'not checked: the lock observer did not watch',
  'target-reports-none': 'not available: the target reports no lock figures of its own',
  'target-spans-missing': "not checked: the target's own lock spans could not be collected",
  'partial-run': 'not checked: the profile did not run to the end, and a hold still open when it stopped was never self-reported',
};

/** The cross-check's verdict in one line: which figures disagree and by how much, or why nothing was checked. */
export function crossCheckDetail(observed: ObservedLocks): string {
  const check = observed.crossCheck;
  if (observed.status !== 'observed') return `not checked: ${observed.reason}`;
  if (check.outcome === 'not-checked') return CROSS_CHECK_SKIPPED[check.because];
  const c = observed.comparison;
  const allowance = `${c.toleranceMs} ms of what each hold's own sample gaps allow (sample gap p99 ${formatMs(c.resolutionMs, HOLD_MS)})`;
  if (check.outcome === 'agree') return `observed and self-reported holds agree within ${allowance}`;
  return `instrumentation fault: observed and self-reported holds differ beyond ${allowance}: ${check.faults.map((id) => describedFault(id, c)).join('; ')}`;
}

/** Differences worth a look that are not faults (the duty cycle beyond its allowance), one line each. */
export function crossCheckWarnings(observed: ObservedLocks): string[] {
  if (observed.status !== 'observed') return [];
  const c = observed.comparison;
  return observed.crossCheck.warnings.map((id) => {
    const f = c.figures.find((figure) => figure.id === id)!;
    return (
      `${FIGURE_NAMES[id]} observed ${percent(f.observed)} vs self-reported ${percent(f.selfReported)}: ` +
      `${signed((f.difference ?? 0) * 100, 3)} pp, beyond its allowance of ${(f.allowed * 100).toFixed(3)} pp ` +
      `for sampling and the holders' own timing (${c.selfTimingOverheadMs * 1000} us per self-reported hold): ` +
      'not an instrumentation fault by itself'
    );
  });
}
