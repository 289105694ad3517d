/**
 * A run against its baseline, metric by metric: old and new medians, the change, the rank test's p and
 * the verdict, as table cells, notes and JUnit cases (one per gated metric); terminal.ts and markdown.ts
 * lay them out.
 */
import type { BaselineComparison, BaselineRow, BaselineVerdict } from '../model/results.ts';
import { METRIC_NAMES, metricText } from './format.ts';
import { junitCase, junitSuite } from './junit.ts';

export const VERDICT_WORDS: Record<BaselineVerdict, string> = {
  better: 'better',
  worse: 'WORSE',
  'no-change': 'no significant change',
  'too-few-samples': 'too few samples',
  'not-measured': 'not measured',
};

function changeText(row: BaselineRow): string {
  if (row.changePct === null) return row.old === 0 && row.new !== null ? 'from 0' : '-';
  return `${row.changePct >= 0 ? '+' : ''}${row.changePct.toFixed(1)} %`;
}

function verdictText(row: BaselineRow): string {
  return `${VERDICT_WORDS[row.verdict]}${row.gated && row.verdict === 'worse' ? ' (gated)' : ''}`;
}

/** The comparison as cells: one row per profile or point and metric. */
export function baselineTable(comparison: BaselineComparison): { header: string[]; rows: string[][] } {
  return {
    header: ['profile / point', 'metric', 'baseline', 'this run', 'change', 'p (repeats)', 'verdict'],
    rows: comparison.rows.map((row) => [
      row.entryId,
      `${METRIC_NAMES[row.metric]}${row.gated ? ' (gated)' : ''}`,
      metricText(row.old, row.metric),
      metricText(row.new, row.metric),
      changeText(row),
      `${row.p === null ? '-' : row.p.toFixed(3)} (${row.oldSamples} vs ${row.newSamples})`,
      verdictText(row),
    ]),
  };
}

/** What the verdicts mean and what was not compared. */
export function baselineNotes(comparison: BaselineComparison): string[] {
  const { baseline } = comparison;
  const notes = [
    `baseline: ${baseline.source ?? baseline.scenario} (${baseline.scenario}, ${baseline.createdAt}, ${baseline.host.cpus} CPUs, node ${baseline.host.node})`,
    `verdict: Mann–Whitney U at α = ${comparison.alpha} and a change of at least ${(comparison.tolerance * 100).toFixed(0)} % ` +
      '(for success: of the failures); a significant regression of a gated metric fails the gate',
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

/** The comparison's outcome in one line; terminal.ts and markdown.ts lay out the table, notes and this line. */
export function baselineVerdictLine(comparison: BaselineComparison): string {
  const regressions = comparison.regressions.map((r) => `${r.entryId} ${METRIC_NAMES[r.metric]}`);
  return `against the baseline: ${comparison.pass ? 'no gated regression' : `REGRESSED: ${regressions.join(', ')}`}`;
}

/** One JUnit case per gated metric (none when nothing is gated): a significant regression fails it. */
export function baselineJunitSuite(comparison: BaselineComparison, scenario: string): string[][] {
  const suite = `lockbench.${scenario}.baseline`;
  const cases = comparison.rows
    .filter((r) => r.gated)
    .map((row) => {
      const name = `${row.entryId} ${METRIC_NAMES[row.metric]}: no significant regression against the baseline`;
      const figures = `${metricText(row.old, row.metric)} -> ${metricText(row.new, row.metric)} (${changeText(row)}, p = ${row.p === null ? '-' : row.p.toFixed(3)}, ${row.oldSamples} vs ${row.newSamples} repeats)`;
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
