/** report.html's send-lag section: the table the terminal and summary.md show, and what its mark means. */
import type { RunProfiles } from '../../model/results.ts';
import { sendLagTable } from '../send-lag.ts';

/** Renders a table of plain-text cells (escaping them) as the page's other tables are. */
export type CellTable = (header: readonly string[], rows: readonly (readonly string[])[]) => string;

/** The section, or null for results without send-lag figures. */
export function sendLagSection(results: RunProfiles, table: CellTable, escapeHtml: (text: string) => string): string | null {
  const lag = sendLagTable(results);
  if (lag === null) return null;
  return [
    '<section id="send-lag">',
    '<h2>Send lag</h2>',
    "<p>How late the driver sent each stream's requests: sent - scheduled, in ms, p50 / p99 / max (requests); the trial's first second apart.</p>",
    table(lag.header, lag.rows),
    ...(lag.legend === null ? [] : [`<p class="notes">${escapeHtml(lag.legend)}</p>`]),
    '</section>',
  ].join('\n');
}
