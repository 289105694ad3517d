/**
 * A run against its baseline, figure by figure: old and new medians, the change, the rank test's p and
 * the verdict, as table cells, notes and JUnit cases (one per gated figure); terminal.ts and markdown.ts
 * lay them out, harness/reports/workload-baseline.ts names the figures as the workload does. And the
 * baseline file itself, written atomically.
 */
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Baseline } from '../model/baseline.ts';
import type { BaselineVerdict, WorkloadBaselineComparison, WorkloadBaselineRow } from '../model/results.ts';
import { writeFileAtomic } from '../shared/atomic.ts';
import { junitCase, junitSuite } from './junit.ts';

export const VERDICT_WORDS: Record<BaselineVerdict, string> = {
  better: 'better',
  worse: 'WORSE',
  'no-change': 'no significant change',
  'too-few-samples': 'too few samples',
  'not-measured': 'not measured',
};

type ComparedRow = WorkloadBaselineRow;
type AnyComparison = WorkloadBaselineComparison;

/** How the rows are named and their values written. */
export interface RowWords {
  /** The figure's name, e.g. `orders-p99` or `orders p99`. */
  name: (row: ComparedRow) => string;
  value: (value: number | null, row: ComparedRow) => string;
}

function changeText(row: ComparedRow): string {
  if (row.changePct === null) return row.old === 0 && row.new !== null ? 'from 0' : '-';
  return `${row.changePct >= 0 ? '+' : ''}${row.changePct.toFixed(1)} %`;
}

function verdictText(row: ComparedRow): string {
  return `${VERDICT_WORDS[row.verdict]}${row.gated && row.verdict === 'worse' ? ' (gated)' : ''}`;
}

/** The comparison as cells: one row per profile or point and figure, the figure column headed `figureHeader`. */
export function comparedTable(comparison: AnyComparison, words: RowWords, figureHeader: string): { header: string[]; rows: string[][] } {
  return {
    header: ['profile / point', figureHeader, 'baseline', 'this run', 'change', 'p (repeats)', 'verdict'],
    rows: comparison.rows.map((row) => [
      row.entryId,
      `${words.name(row)}${row.gated ? ' (gated)' : ''}`,
      words.value(row.old, row),
      words.value(row.new, row),
      changeText(row),
      `${row.p === null ? '-' : row.p.toFixed(3)} (${row.oldSamples} vs ${row.newSamples})`,
      verdictText(row),
    ]),
  };
}

/** What the verdicts mean and what was not compared; `effect` says what the tolerance is taken of. */
export function comparedNotes(comparison: AnyComparison, effect: string): string[] {
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
export function comparedJunitSuite(comparison: AnyComparison, words: RowWords, suite: string): string[][] {
  const cases = comparison.rows
    .filter((r) => r.gated)
    .map((row) => {
      const name = `${row.entryId} ${words.name(row)}: no significant regression against the baseline`;
      const figures = `${words.value(row.old, row)} -> ${words.value(row.new, row)} (${changeText(row)}, p = ${row.p === null ? '-' : row.p.toFixed(3)}, ${row.oldSamples} vs ${row.newSamples} repeats)`;
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

/** The baseline file's text: small, and readable in a diff. */
export function renderBaselineJson(baseline: Baseline): string {
  return `${JSON.stringify(baseline, null, 2)}\n`;
}

/** Writes the baseline atomically (harness/shared/atomic.ts), making its folder first. */
export async function saveBaseline(file: string, baseline: Baseline): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFileAtomic(file, renderBaselineJson(baseline));
}
