/**
 * A run against its baseline, figure by figure, in its workload's own words (a workload file's, or the
 * scenario's own): its criteria by id, its streams by name; old and new medians, the change, the rank
 * test's p and the verdict, as table cells, notes and JUnit cases (one per gated figure). terminal.ts and
 * markdown.ts lay them out.
 */
import type { BaselineVerdict, StreamBaselineFigure, WorkloadBaselineComparison, WorkloadBaselineRow } from '../model/results.ts';
import { junitCase, junitSuite } from './junit.ts';
import { formatValue } from './format.ts';

const STREAM_FIGURE_NAMES: Record<StreamBaselineFigure, string> = {
  p50Ms: 'p50',
  p99Ms: 'p99',
  lockErrors: 'lock errors',
  lockErrorsFast: 'lock errors (fast)',
  lockErrorsTimedOut: 'lock errors (timed out)',
  otherErrors: 'other errors',
};

/** A figure as the workload names it: `orders-p99`, `orders p99`, `orders lock errors (fast)`. */
export function workloadFigureName({ figure }: Pick<WorkloadBaselineRow, 'figure'>): string {
  return 'criterion' in figure ? `${figure.criterion}${figure.distance ? ' (distance from its == threshold)' : ''}` : `${figure.stream} ${STREAM_FIGURE_NAMES[figure.figure]}`;
}

const valueText = (value: number | null, row: WorkloadBaselineRow): string => formatValue(value, row.unit);

const VERDICT_WORDS: Record<BaselineVerdict, string> = {
  better: 'better',
  worse: 'WORSE',
  'no-change': 'no significant change',
  'too-few-samples': 'too few samples',
  'not-measured': 'not measured',
};

function changeText(row: WorkloadBaselineRow): string {
  if (row.changePct === null) return row.old === 0 && row.new !== null ? 'from 0' : '-';
  return `${row.changePct >= 0 ? '+' : ''}${row.changePct.toFixed(1)} %`;
}

function verdictText(row: WorkloadBaselineRow): string {
  return `${VERDICT_WORDS[row.verdict]}${row.gated && row.verdict === 'worse' ? ' (gated)' : ''}`;
}

/** The comparison as cells: one row per profile or point and figure, the figure column headed `figureHeader`. */
function comparedTable(comparison: WorkloadBaselineComparison, figureHeader: string): { header: string[]; rows: string[][] } {
  return {
    header: ['profile / point', figureHeader, 'baseline', 'this run', 'change', 'p (repeats)', 'verdict'],
    rows: comparison.rows.map((row) => [
      row.entryId,
      `${workloadFigureName(row)}${row.gated ? ' (gated)' : ''}`,
      valueText(row.old, row),
      valueText(row.new, row),
      changeText(row),
      `${row.p === null ? '-' : row.p.toFixed(3)} (${row.oldSamples} vs ${row.newSamples})`,
      verdictText(row),
    ]),
  };
}

/** What the verdicts mean and what was not compared; `effect` says what the tolerance is taken of. */
function comparedNotes(comparison: WorkloadBaselineComparison, effect: string): string[] {
  const { baseline } = comparison;
  const notes = [
    `baseline: ${baseline.source ?? baseline.scenario} (${baseline.scenario}, ${baseline.createdAt}, ${baseline.host.cpus} CPUs, node ${baseline.host.node})`,
    `verdict: Mann–Whitney U at α = ${comparison.alpha} and a change of at least ${(comparison.tolerance * 100).toFixed(0)} % ` +
      `${effect}; a significant regression of a gated criterion fails the gate`,
  ];
  const blind = comparison.rows.filter((r) => r.verdict === 'no-change' && !r.detectable);
  if (blind.length > 0) {
    const counts = [...new Set(blind.map((r) => `${r.oldSamples} vs ${r.newSamples}`))].join(', ');
    notes.push(`${counts} repeats cannot show a change at α = ${comparison.alpha} whatever happened: run 4 or more repeats on both sides to detect one`);
  }
  if (comparison.onlyInBaseline.length > 0) notes.push(`only in the baseline, not compared: ${comparison.onlyInBaseline.join(', ')}`);
  if (comparison.onlyInRun.length > 0) notes.push(`not in the baseline, not compared: ${comparison.onlyInRun.join(', ')}`);
  return notes;
}

/** One JUnit case per gated figure (none when nothing is gated): a significant regression fails it. */
function comparedJunitSuite(comparison: WorkloadBaselineComparison, suite: string): string[][] {
  const cases = comparison.rows
    .filter((r) => r.gated)
    .map((row) => {
      const name = `${row.entryId} ${workloadFigureName(row)}: no significant regression against the baseline`;
      const figures = `${valueText(row.old, row)} -> ${valueText(row.new, row)} (${changeText(row)}, p = ${row.p === null ? '-' : row.p.toFixed(3)}, ${row.oldSamples} vs ${row.newSamples} repeats)`;
      if (row.verdict === 'worse') return junitCase(suite, name, { kind: 'failure', message: `regressed: ${figures}` });
      if (row.verdict === 'too-few-samples' || row.verdict === 'not-measured') {
        return junitCase(suite, name, { kind: 'skipped', message: `${VERDICT_WORDS[row.verdict]}: ${figures}` });
      }
      // No change that these repeats could not have shown either is not a pass.
      if (!row.detectable) {
        return junitCase(suite, name, { kind: 'skipped', message: `${row.oldSamples} vs ${row.newSamples} repeats cannot show a change at α = ${comparison.alpha}: ${figures}` });
      }
      return junitCase(suite, name, { kind: 'pass' });
    });
  return cases.length === 0 ? [] : [junitSuite(suite, cases, { seconds: 0, timestamp: comparison.baseline.createdAt })];
}


/** One row per profile and figure: the criteria's figures, then each stream's. */
export function workloadBaselineTable(comparison: WorkloadBaselineComparison): { header: string[]; rows: string[][] } {
  return comparedTable(comparison, 'criterion / stream figure');
}

/** What the verdicts mean, what gates, and what was not compared. */
export function workloadBaselineNotes(comparison: WorkloadBaselineComparison): string[] {
  return [
    ...comparedNotes(comparison, "in the direction each criterion's comparison says is worse (for a rate that should stay high: of its shortfall)"),
    "the workload's criteria gate (on a gated profile or point); the streams' figures are shown beside them",
    ...(comparison.readFrom === 'scenario-metrics'
      ? [
          "the baseline was written by an earlier lockbench over the scenario's metrics: compared are the criteria those are judged by (harness/plan/criteria.json's metric, read by criterion id); " +
            'the streams and the other criteria are not kept in it: save it again with --save-baseline to compare them',
        ]
      : []),
  ];
}

/** The outcome in one line: a regression, or no verdict when no gated figure could be judged, or none. */
export function workloadBaselineVerdictLine(comparison: WorkloadBaselineComparison): string {
  if (!comparison.pass) return `against the baseline: REGRESSED: ${comparison.regressions.map((r) => `${r.entryId} ${workloadFigureName(r)}`).join(', ')}`;
  const gated = comparison.rows.filter((r) => r.gated);
  const unjudged = gated.filter((r) => r.verdict === 'too-few-samples' || r.verdict === 'not-measured');
  if (gated.length === 0) return 'against the baseline: nothing gated (no gated profile with criteria in both runs)';
  // Figures that could not be judged are not a pass: say so rather than "no regression".
  if (unjudged.length === gated.length) return `against the baseline: no verdict: none of the ${gated.length} gated figure(s) could be judged (too few repeats or not measured)`;
  return `against the baseline: no gated regression${unjudged.length > 0 ? ` (${unjudged.length} of ${gated.length} gated figure(s) not judged: too few repeats or not measured)` : ''}`;
}

/** The table (laid out by `table`), what the verdicts mean, and the outcome, as lines. */
export function workloadBaselineLines(comparison: WorkloadBaselineComparison, table: (header: string[], rows: string[][]) => string[]): string[] {
  const { header, rows } = workloadBaselineTable(comparison);
  return [...table(header, rows), '', ...workloadBaselineNotes(comparison), workloadBaselineVerdictLine(comparison)];
}

/** One JUnit case per gated criterion of the comparison. */
export function workloadBaselineJunitSuite(comparison: WorkloadBaselineComparison, scenario: string): string[][] {
  return comparedJunitSuite(comparison, `lockbench.${scenario}.baseline`);
}
