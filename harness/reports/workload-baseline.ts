/**
 * A run against its baseline in its workload's own words (a workload file's, or the scenario's own): its
 * criteria by id, its streams by name. The table, notes and JUnit cases come from
 * harness/reports/baseline.ts; the names and what the comparison means are here.
 */
import type { StreamBaselineFigure, WorkloadBaselineComparison, WorkloadBaselineRow } from '../model/results.ts';
import { comparedJunitSuite, comparedNotes, comparedTable, type RowWords } from './baseline.ts';
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

const WORDS: RowWords = { name: workloadFigureName, value: (value, row) => formatValue(value, row.unit) };

/** One row per profile and figure: the criteria's figures, then each stream's. */
export function workloadBaselineTable(comparison: WorkloadBaselineComparison): { header: string[]; rows: string[][] } {
  return comparedTable(comparison, WORDS, 'criterion / stream figure');
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
  if (!comparison.pass) return `against the baseline: REGRESSED: ${comparison.regressions.map((r) => `${r.entryId} ${WORDS.name(r)}`).join(', ')}`;
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
  return comparedJunitSuite(comparison, WORDS, `lockbench.${scenario}.baseline`);
}
