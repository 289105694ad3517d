/** summary.md: the workload's criteria side by side, its streams and the figures behind them, fit for a CI job summary. */
import type { LocksObserved, RunResults } from '../model/results.ts';
import { formatDriver, resourcesLine, crossCheckWord, formatDuration, gateVerdict, runVerdict } from './format.ts';
import { workloadBaselineNotes, workloadBaselineTable, workloadBaselineVerdictLine } from './workload-baseline.ts';
import { runNotes } from './notes.ts';
import { sendLagTable } from './send-lag.ts';
import { HOLD_ATTRIBUTION_LEGEND, holdAttributionTable, lockHoldersTable } from './lock-holders.ts';
import { crossCheckDetail, crossCheckWarnings, lockFigureTable, observedLockNotes, unmatchedHoldLines } from './lock-comparison.ts';
import { lockSourceLines, runSubject, streamsTable, workloadCriteriaTable } from './streams.ts';
import { judgesWindowedLatency, WINDOWED_LATENCY_LEGEND, windowedLatencyTable } from './windowed-latency.ts';
import { describedRun, profileSettingsTable, runFacts, settingMeaningsTable, streamDefinitionsTable, type DescribedResults } from './run-description.ts';

export function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export function markdownTable(header: string[], rows: string[][]): string[] {
  return [
    `| ${header.map(escapeCell).join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.map(escapeCell).join(' | ')} |`),
  ];
}

/** A workload run against its baseline, as a section of summary.md. */
export function renderWorkloadBaselineMarkdown(comparison: NonNullable<RunResults['workloadBaseline']>): string[] {
  const { header, rows } = workloadBaselineTable(comparison);
  return ['## Against the baseline', '', ...markdownTable(header, rows), '', ...workloadBaselineNotes(comparison).map((n) => `- ${n}`), '', `**${workloadBaselineVerdictLine(comparison)}**`, ''];
}

/**
 * The instrument's agreement with itself per observed profile, in words that name no holder by the
 * scenario's roles: a workload's holders are its own table.
 */
function crossCheckMarkdown(results: RunResults): string[] {
  const observed = results.profiles.filter((p) => p.observed);
  if (observed.length === 0) return [];
  const compared = observed.flatMap(({ name, observed: o }) => (o?.status === 'observed' ? [{ name, observed: o }] : []));
  return [
    '## Lock observer vs self-reported figures',
    '',
    'Reported, not gating: an instrumentation fault is a failing JUnit case, not a criterion.',
    '',
    ...observed.map(({ name, observed: o }) => {
      const detail = o!.status === 'observed' ? `${crossCheckDetail(o!)}; observer ${o!.command} every ${o!.intervalUs} us, ${o!.samples.toLocaleString('en-US')} samples` : crossCheckDetail(o!);
      // A check not made says so in its own words: no outcome word before them.
      return o!.crossCheck.outcome === 'not-checked' ? `- ${name}: ${detail}` : `- ${name}: ${crossCheckWord(o!.crossCheck)}: ${detail}`;
    }),
    ...observed.flatMap(({ name, observed: o }) => crossCheckWarnings(o!).map((w) => `- ${name}: warning: ${w}`)),
    '',
    ...(compared.length === 0
      ? []
      : ["Figure by figure, the holds of the processes that time their own (the target and the side writers) beside what the observer saw of them:", '', ...compared.flatMap(({ name, observed: o }) => lockFigureDetails(name, o))]),
  ];
}

/**
 * One observed profile's comparison figure by figure: what each side measured, what was allowed and by
 * which rule, the holds one side has and the other not, and what a reader should know about them.
 */
function lockFigureDetails(profile: string, observed: LocksObserved): string[] {
  const { header, rows } = lockFigureTable(observed.comparison);
  return [
    `<details><summary>${profile}: each figure observed beside self-reported</summary>`,
    '',
    ...markdownTable(header, rows),
    '',
    ...[...unmatchedHoldLines(observed.comparison), ...observedLockNotes(observed)].map((n) => `- ${n}`),
    '',
    '</details>',
    '',
  ];
}

/** The latency judged inside a window beside the whole run's, so a diluted figure cannot pass unseen. */
function windowedLatencyMarkdown(results: RunResults): string[] {
  const { header, rows } = windowedLatencyTable(results);
  return [
    '## Latency judged inside a window',
    '',
    WINDOWED_LATENCY_LEGEND,
    '',
    ...markdownTable(header, rows),
    '',
  ];
}

/**
 * summary.md of a run from its workload (a workload file's, a scenario's own, or one derived from a target's
 * description): its criteria and streams in its own words, what the driver and the target's resources add,
 * the instrument's details.
 */
export function renderMarkdown(results: RunResults): string {
  const gated = results.profiles.filter((p) => p.gated).map((p) => p.name);
  const verdict = runVerdict(results);
  const workload = results.profiles.find((p) => p.workload)?.workload;
  const criteria = workloadCriteriaTable(results);
  const streams = streamsTable(results);
  const holders = lockHoldersTable(results);
  const attribution = holdAttributionTable(results);
  const sendLag = sendLagTable(results);
  const resources = results.profiles.flatMap((p) => resourcesLine(p) ?? []);
  const notes = [...lockSourceLines(results), ...runNotes(results)];
  return [
    `# lockbench ${runSubject(results)}: ${verdict}`,
    '',
    `Workload \`${workload?.source ?? ''}\`. Gate (${gated.length > 0 ? gated.join(', ') : 'no gated profile'}): **${gateVerdict(results)}**. ` +
      `Measured by the ${formatDriver(results.driver)}; started ${results.startedAt}, took ${formatDuration(results.durationMs)}; ` +
      `${results.host.cpus} CPUs (${results.host.cpuModel}), Node ${results.host.node}.`,
    '',
    '## Criteria',
    '',
    ...markdownTable(criteria.header, criteria.rows),
    '',
    ...(judgesWindowedLatency(results) ? windowedLatencyMarkdown(results) : []),
    '## Streams',
    '',
    'Lock errors are answers the workload says mean "database is locked"; fast ones came back in under half the busy timeout ' +
      '(SQLite refused a deferred read-to-write upgrade at once), timed-out ones waited it out. p50 and p99: first byte sent to last byte read.',
    '',
    ...markdownTable(streams.header, streams.rows),
    '',
    ...(sendLag === null ? [] : ['## Send lag', '', ...markdownTable(sendLag.header, sendLag.rows), '', ...(sendLag.legend === null ? [] : [sendLag.legend, ''])]),
    ...(resources.length === 0 ? [] : ['## Resources', '', ...resources.map((line) => `- ${line}`), '']),
    ...crossCheckMarkdown(results),
    ...(holders.rows.length === 0
      ? []
      : [
          '## Who held the write lock',
          '',
          'Every process the lock observer saw holding the write lock; the workload\'s SQL stream by its name.',
          '',
          ...markdownTable(holders.header, holders.rows),
          '',
          ...(attribution.rows.length === 0 ? [] : [...markdownTable(attribution.header, attribution.rows), '', `${HOLD_ATTRIBUTION_LEGEND}.`, '']),
        ]),
    ...(results.workloadBaseline ? renderWorkloadBaselineMarkdown(results.workloadBaseline) : []),
    ...(notes.length > 0 ? ['## Notes', '', ...notes.map((n) => `- ${n}`), ''] : []),
    ...workloadRunMarkdown(results),
  ].join('\n');
}

/**
 * What a run (or a sweep) from a workload did: the workload and the target, its streams as they ran, each
 * profile's (or trial's) settings, in place of the scenario's options.
 */
export function workloadRunMarkdown(results: DescribedResults): string[] {
  const input = describedRun(results);
  const streams = streamDefinitionsTable(input);
  const profiles = profileSettingsTable(input);
  const meanings = settingMeaningsTable(input);
  return [
    '## Run',
    '',
    ...runFacts(input).map(([label, value]) => `- ${label}: ${value}`),
    '',
    ...markdownTable(streams.header, streams.rows),
    '',
    `The settings each ${input.baseProfile === undefined ? 'profile' : 'trial'} ran the target with:`,
    '',
    ...markdownTable(profiles.header, profiles.rows),
    '',
    ...(meanings.rows.length > 0 ? [...markdownTable(meanings.header, meanings.rows), ''] : []),
  ];
}
