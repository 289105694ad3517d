/** The terminal report: the workload's criteria side by side per profile, its streams, then the verdict. Plain text, no colour. */
import type { RunResults } from '../model/results.ts';
import { crossCheckLine, formatDriver, resourcesLine, formatDuration, gateVerdict, profilesRan, runVerdict } from './format.ts';
import { workloadBaselineNotes, workloadBaselineTable, workloadBaselineVerdictLine } from './workload-baseline.ts';
import { runNotes } from './notes.ts';
import { lockSourceLines, runSubject, streamsTable, workloadCriteriaTable } from './streams.ts';
import { sendLagTable } from './send-lag.ts';
import { judgesWindowedLatency, windowedLatencyTable } from './windowed-latency.ts';
import { HOLD_ATTRIBUTION_LEGEND, holdAttributionTable, lockHoldersTable } from './lock-holders.ts';

/** Columns padded to their widest cell, with a rule under the header. */
export function padTable(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
}

/** A workload run against its baseline: the table, what the verdicts mean, the outcome. */
function renderWorkloadBaselineTerminal(comparison: NonNullable<RunResults['workloadBaseline']>): string[] {
  const { header, rows } = workloadBaselineTable(comparison);
  return [...padTable(header, rows), '', ...workloadBaselineNotes(comparison), workloadBaselineVerdictLine(comparison), ''];
}

/**
 * A run from its workload (a workload file's, a scenario's own, or one derived from a target's description):
 * its criteria and its streams in its own words, what the driver and the target's resources add, then the verdict.
 */
export function renderTerminal(results: RunResults): string {
  const gated = results.profiles.filter((p) => p.gated).map((p) => p.name);
  const criteria = workloadCriteriaTable(results);
  const windowed = windowedLatencyTable(results);
  const streams = streamsTable(results);
  const holders = lockHoldersTable(results);
  const attribution = holdAttributionTable(results);
  const sendLag = sendLagTable(results);
  const resources = results.profiles.flatMap((p) => resourcesLine(p) ?? []);
  const crossCheck = crossCheckLine(results);
  const subject = runSubject(results);
  const gate = `gate: ${gated.length > 0 ? gated.join(', ') : 'no gated profile'}`;
  const about = `${profilesRan(results)} in ${formatDuration(results.durationMs)}, measured by the ${formatDriver(results.driver)}, ${results.host.cpus} CPUs`;
  const lines = [
    // An incomplete run has no verdict, whatever its profiles' figures: as the scenario's headline says.
    runVerdict(results) === 'INCOMPLETE'
      ? `lockbench ${subject}: INCOMPLETE, no verdict: ${results.incompleteReason ?? 'the run stopped early'}; ${gate}; ${about}`
      : `lockbench ${subject}: ${runVerdict(results)} (${gate}); ${about}`,
    '',
    ...padTable(criteria.header, criteria.rows),
    '',
    // The judged latency beside the whole run's, so a diluted figure cannot pass unseen.
    ...(judgesWindowedLatency(results) ? [...padTable(windowed.header, windowed.rows), ''] : []),
    ...padTable(streams.header, streams.rows),
    '',
    // How late the driver sent each stream: a late send is latency the target did not cause.
    ...(sendLag === null ? [] : [...padTable(sendLag.header, sendLag.rows), ...(sendLag.legend === null ? [] : [sendLag.legend]), '']),
    ...(resources.length === 0 ? [] : [...resources, '']),
    // The instrument's own agreement in one line; its figures are in summary.md's details.
    ...(crossCheck === null ? [] : [crossCheck, '']),
    // Who held the write lock, and for which stream: the observer's holders, then the target's holds by stream.
    ...(holders.rows.length === 0 ? [] : [...padTable(holders.header, holders.rows), '']),
    ...(attribution.rows.length === 0 ? [] : [...padTable(attribution.header, attribution.rows), HOLD_ATTRIBUTION_LEGEND, '']),
    ...(results.workloadBaseline ? renderWorkloadBaselineTerminal(results.workloadBaseline) : []),
    ...lockSourceLines(results),
    ...runNotes(results),
    `gate (${gated.length > 0 ? gated.join(', ') : 'no gated profile'}): ${gateVerdict(results)}`,
  ];
  return `${lines.join('\n')}\n`;
}
