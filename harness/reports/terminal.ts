/** The terminal report: the criteria side by side per profile, then the verdict. Plain text, no colour. */
import type { RunResults } from '../results.ts';
import {
  criteriaTable,
  crossCheckLine,
  findingSentence,
  formatDriver,
  reliabilityLine,
  resourcesLine,
  figuresTable,
  formatDuration,
  judgesWindowLatency,
  WINDOW_FIGURE_ROWS,
  WINDOW_FIGURES_TITLE,
} from './format.ts';
import { renderBaselineTerminal } from './baseline.ts';
import { runNotes } from './notes.ts';
import { sendLagTable } from './send-lag.ts';

/** Columns padded to their widest cell, with a rule under the header. */
export function padTable(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
}

export function renderTerminal(results: RunResults): string {
  const { header, rows } = criteriaTable(results);
  const latency = figuresTable(results, WINDOW_FIGURE_ROWS, WINDOW_FIGURES_TITLE);
  const gated = results.profiles.filter((p) => p.gated).map((p) => p.name);
  const crossCheck = crossCheckLine(results);
  const sendLag = sendLagTable(results);
  const lines = [
    `lockbench ${results.scenario}: ${results.pass ? 'PASS' : 'FAIL'} (gate: ${gated.length > 0 ? gated.join(', ') : 'no gated profile'}); ` +
      `${results.profiles.length} profile(s) in ${formatDuration(results.durationMs)}, measured by the ${formatDriver(results.driver)}, ${results.host.cpus} CPUs`,
    '',
    ...padTable(header, rows),
    '',
    ...results.profiles.map(findingSentence),
    '',
    // The judged latency beside the whole run's, so a diluted figure cannot pass unseen.
    ...(judgesWindowLatency(results) ? [...padTable(latency.header, latency.rows), ''] : []),
    ...(sendLag === null ? [] : [...padTable(sendLag.header, sendLag.rows), ...(sendLag.legend === null ? [] : [sendLag.legend]), '']),
    'reliability (requests, errors, rows):',
    ...results.profiles.map((p) => `  ${reliabilityLine(p)}`),
    ...results.profiles.flatMap((p) => resourcesLine(p) ?? []).map((line) => `  ${line}`),
    '',
    // The instrument's own agreement in one line; its figures are in summary.md's details.
    ...(crossCheck === null ? [] : [crossCheck, '']),
    ...(results.baseline ? [...renderBaselineTerminal(results.baseline), ''] : []),
    ...runNotes(results),
    `gate (${gated.length > 0 ? gated.join(', ') : 'no gated profile'}): ${results.pass ? 'PASS' : 'FAIL'}`,
  ];
  return `${lines.join('\n')}\n`;
}
