/**
 * The write lock seen from outside beside what its holders reported, as table cells every report shares:
 * max hold, p99 hold, duty cycle and span count with their difference, holds by holder, and the
 * cross-check verdict. Reads only the profile's `observed` block. The observed holds are taken as the
 * holders time them (write lock, then the checkpoint their COMMIT runs), so like is compared with like.
 */
import { defaultToleranceMs } from '../model/lock-tolerance.ts';
import type { FigureComparison } from '../model/lock-observation.ts';
import type { LockHolderRole, LocksObserved, ProfileResult, RunResults } from '../model/results.ts';
import { formatMs, type FigureRow, type MsFormat } from './format.ts';
import type { RunProfiles } from '../model/results.ts';

/** The cross-check's row id in the criteria table and its JUnit test case. */
export const CROSS_CHECK_ID = 'lock-cross-check';

export const CROSS_CHECK_DESCRIPTION = 'Write-lock figures observed from outside and self-reported by the holders agree';


/** `within 5 ms of what each hold's own sample gaps allow`: the bound the cross-check applies. */
export function crossCheckBound(results: RunProfiles): string {
  const observed = results.profiles.map((p) => p.observed).find((o): o is LocksObserved => o?.status === 'observed');
  return `within ${observed?.comparison.toleranceMs ?? defaultToleranceMs} ms of what each hold's own sample gaps allow`;
}

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
export function comparedCell(figure: FigureComparison | undefined): string {
  if (!figure) return '-';
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

/** What a profile's lock-figure cells say when the observer did not watch. */
function notObserved(profile: ProfileResult): string | null {
  const o = profile.observed;
  if (!o) return 'not observed';
  if (o.status === 'observed') return null;
  return o.status === 'off' ? 'not observed (off)' : `not observed (${o.status})`;
}

function figureCell(id: FigureComparison['id']) {
  return (profile: ProfileResult): string => {
    const missing = notObserved(profile);
    if (missing !== null || profile.observed?.status !== 'observed') return missing ?? '-';
    const cell = comparedCell(profile.observed.comparison.figures.find((f) => f.id === id));
    // A target that reports no holds of its own is not compared: the figures are the writers' alone.
    const target = profile.observed.holders.find((h) => h.role === 'target');
    return target && target.selfReported === null ? `${cell} (workflow writers only)` : cell;
  };
}

function holderMax(observed: LocksObserved, role: LockHolderRole): string {
  const holders = observed.holders.filter((h) => h.role === role && h.observed.spanCount > 0);
  if (holders.length === 0) return '-';
  return formatMs(Math.max(...holders.map((h) => h.observed.holdMaxMs ?? 0)), LOCK_CELL_MS);
}

function observedOnly(cell: (observed: LocksObserved) => string) {
  return (profile: ProfileResult): string => {
    const missing = notObserved(profile);
    return missing ?? (profile.observed?.status === 'observed' ? cell(profile.observed) : '-');
  };
}

/** The heading of the lock-figures table. */
export const LOCK_FIGURES_TITLE = 'write lock during the load: observed / self-reported (difference)';

/** A profile's cross-check cell: `agree`, `FAULT`, `not checked (off)`; warnings counted. */
export function crossCheckCell(profile: ProfileResult): string {
  const o = profile.observed;
  if (!o) return '-';
  const warnings = o.crossCheck.warnings.length > 0 ? `, ${o.crossCheck.warnings.length} warning(s)` : '';
  if (o.crossCheck.outcome === 'agree') return `agree${warnings}`;
  if (o.crossCheck.outcome === 'fault') return `FAULT${warnings}`;
  return `not checked (${o.status})`;
}

/**
 * Observed beside self-reported for the processes that report their own holds (the target and the
 * workflow writers); p99 and counts over holds long enough that polling cannot miss them.
 */
export const LOCK_FIGURE_ROWS: readonly FigureRow[] = [
  ['max hold', figureCell('holdMaxMs')],
  ['p99 hold (holds >= 5 ms + one gap)', figureCell('holdP99Ms')],
  ['duty cycle', figureCell('dutyCycle')],
  ['holds >= 5 ms + one gap', figureCell('spanCount')],
  [
    'max hold observed: target / workflow writers / other',
    observedOnly((o) => `${holderMax(o, 'target')} / ${holderMax(o, 'workflow-writers')} / ${holderMax(o, 'other')} ms`),
  ],
  ['cross-check (reported, not gating)', crossCheckCell],
  [
    'observer: interval, sample gap p99, CPU',
    observedOnly((o) => `${o.intervalUs} us, ${formatMs(o.sampleGaps.p99Us / 1000, { digits: 2 })}, ${o.cpu.percentOfOneCore.toFixed(1)} % of a core`),
  ],
];

/** Whether any profile has an `observed` block worth a table (the observer ran or was meant to). */
export function hasLockFigures(results: RunProfiles): boolean {
  return results.profiles.some((p) => p.observed !== null && p.observed !== undefined);
}
