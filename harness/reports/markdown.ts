/** summary.md: the criteria table and the figures behind it, fit for a CI job summary. */
import type { ProfileResult, RunResults } from '../results.ts';
import {
  criteriaTable,
  figuresTable,
  formatDuration,
  formatValue,
  judgesWindowLatency,
  runNotes,
  WINDOW_FIGURE_ROWS,
  type FigureRow,
} from './format.ts';

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function markdownTable(header: string[], rows: string[][]): string[] {
  return [
    `| ${header.map(escapeCell).join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.map(escapeCell).join(' | ')} |`),
  ];
}

function busyText(profile: ProfileResult): string {
  const entries = Object.entries(profile.metrics.busyErrors);
  return entries.length === 0 ? 'none' : entries.map(([code, n]) => `${code} ${n}`).join(', ');
}

/** The figures behind the criteria, one column per profile. */
function figures(results: RunResults): string[] {
  const rows: FigureRow[] = [
    ['import wall', (p) => formatValue(p.metrics.importWallMs, 'ms')],
    ['max lock hold', (p) => formatValue(p.metrics.maxLockHoldMs, 'ms')],
    ['target lock hold p99', (p) => formatValue(p.metrics.lockHoldP99Ms, 'ms')],
    ...(judgesWindowLatency(results) ? WINDOW_FIGURE_ROWS : []),
    [
      'workflow writes (failed, not issued)',
      (p) => (p.workflowWriters ? `${p.workflowWriters.writes} (${p.workflowWriters.failed}, ${p.workflowWriters.notIssued})` : 'not run'),
    ],
    ['request success', (p) => formatValue(p.metrics.requestSuccessRate, 'ratio')],
    ['busy errors', busyText],
    ['artifacts stored / acknowledged', (p) => `${p.metrics.artifactsFound ?? '-'} / ${p.metrics.artifactsExpected ?? '-'}`],
    ['integrity', (p) => formatValue(p.metrics.integrityOk, 'boolean')],
  ];
  const table = figuresTable(results, rows);
  return markdownTable(table.header, table.rows);
}

export function renderMarkdown(results: RunResults): string {
  const { header, rows } = criteriaTable(results);
  const gated = results.profiles.filter((p) => p.gated).map((p) => p.name);
  const verdict = results.pass ? 'PASS' : 'FAIL';
  const notes = runNotes(results);
  const options = Object.entries(results.options)
    .map(([key, value]) => `${key}=${Array.isArray(value) ? value.join(',') : String(value)}`)
    .join(' ');
  const lines = [
    `# lockbench ${results.scenario}: ${verdict}`,
    '',
    `Gate (${gated.length > 0 ? gated.join(', ') : 'no gated profile'}): **${verdict}**. ` +
      `Started ${results.startedAt}, took ${formatDuration(results.durationMs)}; k6 ${results.k6.version ?? 'unknown'}; ` +
      `${results.host.cpus} CPUs (${results.host.cpuModel}), Node ${results.host.node}.`,
    '',
    '## Criteria',
    '',
    ...markdownTable(header, rows),
    '',
    '## Figures',
    '',
    ...figures(results),
    '',
  ];
  if (notes.length > 0) lines.push('## Notes', '', ...notes.map((n) => `- ${n}`), '');
  lines.push('## Options', '', `\`${options}\``, '');
  return lines.join('\n');
}
