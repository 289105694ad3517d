/** summary.md: the criteria table and the figures behind it, fit for a CI job summary. */
import type { HoldAttribution, ProfileResult, RunResults } from '../model/results.ts';
import {
  criteriaTable,
  findingSentence,
  formatDriver,
  reliabilityLine,
  resourcesLine,
  figuresTable,
  crossCheckWord,
  formatDuration,
  formatMs,
  formatOptionValue,
  gateVerdict,
  profilesRan,
  runVerdict,
  formatValue,
  judgesWindowLatency,
  WINDOW_FIGURE_ROWS,
  type FigureRow,
  type MsFormat,
} from './format.ts';
import { workloadBaselineNotes, workloadBaselineTable, workloadBaselineVerdictLine } from './workload-baseline.ts';
import { holderName } from './holder-name.ts';
import { attributionSummary, runNotes } from './notes.ts';
import { sendLagTable } from './send-lag.ts';
import { HOLD_ATTRIBUTION_LEGEND, holdAttributionTable, lockHoldersTable } from './lock-holders.ts';
import { comparedCell, hasLockFigures, LOCK_FIGURE_ROWS, LOCK_FIGURES_TITLE } from './lock-figures.ts';
import { crossCheckDetail, crossCheckWarnings, FIGURE_NAMES, figureRule, HOLD_MS, observedLockNotes } from './lock-comparison.ts';
import { fromWorkload, lockSourceLines, runSubject, streamsTable, workloadCriteriaTable } from './streams.ts';
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

function busyText(profile: ProfileResult): string {
  const entries = Object.entries(profile.metrics.busyErrors);
  return entries.length === 0 ? 'none' : entries.map(([code, n]) => `${code} ${n}`).join(', ');
}

/** The figures behind the criteria, one column per profile. */
function figures(results: RunResults): string[] {
  const rows: FigureRow[] = [
    ['import wall', (p) => formatMs(p.metrics.importWallMs)],
    [
      'max lock hold, judged',
      (p) => `${formatMs(p.metrics.maxLockHoldMs)}${p.metrics.maxLockHoldSource ? ` (${p.metrics.maxLockHoldSource})` : ''}`,
    ],
    ['target lock hold p99', (p) => formatMs(p.metrics.lockHoldP99Ms)],
    ...(judgesWindowLatency(results) ? WINDOW_FIGURE_ROWS : []),
    [
      'workflow writes (failed, not issued)',
      (p) => (p.workflowWriters ? `${p.workflowWriters.writes} (${p.workflowWriters.failed}, ${p.workflowWriters.notIssued})` : 'not run'),
    ],
    ['request success', (p) => formatValue(p.metrics.requestSuccessRate, 'ratio')],
    ['busy errors', busyText],
    [
      'artifacts stored / acknowledged',
      (p) =>
        p.status === 'not-run'
          ? 'not run'
          : `${p.metrics.artifactsFound ?? '-'} / ${p.metrics.artifactsExpected ?? '-'}${p.status === 'completed' ? '' : ' (cut short: not compared)'}`,
    ],
    // Cut short, only the file's own check means anything: the row counts are not compared.
    [
      'integrity',
      (p) =>
        p.status === 'not-run'
          ? 'not run'
          : p.status === 'completed'
            ? formatValue(p.metrics.integrityOk, 'boolean')
            : `integrity_check ${formatValue(p.reliability?.integrityCheckOk ?? null, 'boolean')}`,
    ],
  ];
  const table = figuresTable(results, rows);
  return markdownTable(table.header, table.rows);
}

/** A holder's figures, to the hundredth at every size; the column heading names the unit. */
const HOLDER_CELL_MS: MsFormat = { ...HOLD_MS, unit: false, missing: '-' };

const ROLE_NAMES = { target: 'target', 'workflow-writers': 'workflow writers', other: 'other process' } as const;

/** Per profile: the comparison in full (rules, unmatched holds, notes) and the holds by holder. */
function lockSections(results: RunResults): string[] {
  const lines: string[] = [];
  const clock = (epochMs: number) => `${new Date(epochMs).toISOString().slice(11, 23)}Z`;
  for (const profile of results.profiles) {
    const o = profile.observed;
    if (!o) continue;
    lines.push(`### ${profile.name}`, '');
    if (o.status !== 'observed') {
      lines.push(`Not observed (${o.status}): ${o.reason}. lock-hold was judged on the SELF-REPORTED figure; nothing was cross-checked.`, '');
      continue;
    }
    const c = o.comparison;
    lines.push(
      `${o.crossCheck.outcome === 'not-checked' ? `Cross-check ${crossCheckDetail(o)}` : `Cross-check: **${crossCheckWord(o.crossCheck)}**: ${crossCheckDetail(o)}`}. Observer pid ${o.observerPid}, ${o.command} every ${o.intervalUs} us, ` +
        `${o.samples.toLocaleString('en-US')} samples, gap p50/p99/max ${o.sampleGaps.p50Us}/${o.sampleGaps.p99Us}/${o.sampleGaps.maxUs} us, ` +
        `${o.cpu.percentOfOneCore.toFixed(1)} % of one core.`,
      '',
      ...markdownTable(
        ['figure', 'observed / self-reported (difference)', 'allowed', 'rule'],
        c.figures.map((f) => [
          FIGURE_NAMES[f.id],
          comparedCell(f),
          f.unit === 'ratio' ? `${(f.allowed * 100).toFixed(3)} pp` : f.unit === 'ms' ? formatMs(f.allowed, { digits: 2 }) : 'every one matched',
          figureRule(f, c),
        ]),
      ),
      '',
      ...crossCheckWarnings(o).map((w) => `- warning: ${w}`),
      ...c.selfNotObserved.map((s) => `- self-reported hold not observed: ${clock(s.startMs)} ${formatMs(s.endMs - s.startMs, HOLD_MS)} (pid ${s.pid}${s.kind ? `, ${s.kind}` : ''})`),
      ...(c.selfNotObservedCount > c.selfNotObserved.length ? [`- ... ${c.selfNotObservedCount - c.selfNotObserved.length} more self-reported holds not observed`] : []),
      ...c.observedNotReported.map((s) => `- observed hold not self-reported: ${clock(s.startMs)} ${formatMs(s.endMs - s.startMs, HOLD_MS)} (pid ${s.pid})`),
      ...(c.observedNotReportedCount > c.observedNotReported.length ? [`- ... ${c.observedNotReportedCount - c.observedNotReported.length} more observed holds not self-reported`] : []),
      ...observedLockNotes(o).map((n) => `- ${n}`),
      '',
    );
    lines.push(
      ...markdownTable(
        ['holder', 'process', 'holds: write lock observed / self-reported', 'held ms: observed / self-reported', 'max hold ms: observed / self-reported'],
        o.holders.map((h) => [
          ROLE_NAMES[h.role],
          holderName(h),
          `${h.observed.spanCount} / ${h.selfReported?.spanCount ?? '-'}`,
          `${formatMs(h.observed.heldMs, HOLDER_CELL_MS)} / ${formatMs(h.selfReported?.heldMs, HOLDER_CELL_MS)}`,
          `${formatMs(h.observed.holdMaxMs, HOLDER_CELL_MS)} / ${formatMs(h.selfReported?.holdMaxMs, HOLDER_CELL_MS)}`,
        ]),
      ),
      '',
      ...attributionSection(o.attribution),
    );
  }
  return lines;
}

/**
 * The instrument's details: the write lock observed from outside beside the holders' own figures, and the
 * cross-check between them; none when no profile was observed.
 */
function instrumentMarkdown(results: RunResults): string[] {
  if (!hasLockFigures(results)) return [];
  const locks = figuresTable(results, LOCK_FIGURE_ROWS, LOCK_FIGURES_TITLE);
  return [
    '<details><summary>The instrument: write lock observed from outside vs self-reported</summary>',
    '',
    'The lock criteria judge the write-lock holds the observer saw, over every holder. The holders\' own figures ' +
      '(the target\'s and the side writers\') are the cross-check: a hold on which they differ by more than ' +
      'the tolerance beyond what that hold\'s own sample gaps allow is an instrumentation fault, reported here and as a failing JUnit case, ' +
      'but not a criterion. Observed holds are compared as the holders time them: write lock, then the checkpoint their COMMIT runs.',
    '',
    ...markdownTable(locks.header, locks.rows),
    '',
    ...lockSections(results),
    '</details>',
    '',
  ];
}

/**
 * The instrument's agreement with itself per observed profile, in words that name no holder by the
 * scenario's roles: a workload's holders are its own table.
 */
function crossCheckMarkdown(results: RunResults): string[] {
  const observed = results.profiles.filter((p) => p.observed);
  if (observed.length === 0) return [];
  return [
    '## Lock observer vs self-reported figures',
    '',
    'Reported, not gating: an instrumentation fault is a failing JUnit case, not a criterion.',
    '',
    ...observed.map(({ name, observed: o }) => {
      const detail = o!.status === 'observed' ? `${crossCheckDetail(o!)}; observer ${o!.command} every ${o!.intervalUs} us, ${o!.samples.toLocaleString('en-US')} samples` : crossCheckDetail(o!);
      return `- ${name}: ${crossCheckWord(o!.crossCheck)}: ${detail}`;
    }),
    ...observed.flatMap(({ name, observed: o }) => crossCheckWarnings(o!).map((w) => `- ${name}: warning: ${w}`)),
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
 * A run from a workload (a workload file's, or a default run's seed workload): its criteria and streams in
 * its own words, what the driver and the target's resources add, the instrument's details.
 */
function renderWorkloadMarkdown(results: RunResults): string {
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

/** The target's holds by stream of the requests in flight, with how many could be attributed. */
function attributionSection(attribution: HoldAttribution | null | undefined): string[] {
  if (!attribution || attribution.holds === 0) return [];
  return [
    `${attributionSummary(attribution)}.`,
    '',
    ...markdownTable(
      ['stream', 'holds (exact)', 'held ms', 'longest hold ms'],
      attribution.byStream.map((s) => [s.stream, `${s.holds} (${s.exact})`, formatMs(s.heldMs, HOLDER_CELL_MS), formatMs(s.holdMaxMs, HOLDER_CELL_MS)]),
    ),
    '',
  ];
}

export function renderMarkdown(results: RunResults): string {
  if (fromWorkload(results)) return renderWorkloadMarkdown(results);
  const { header, rows } = criteriaTable(results);
  const gated = results.profiles.filter((p) => p.gated).map((p) => p.name);
  const verdict = runVerdict(results);
  const notes = runNotes(results);
  const sendLag = sendLagTable(results);
  const options = Object.entries(results.options)
    .map(([key, value]) => `${key}=${formatOptionValue(value)}`)
    .join(' ');
  const lines = [
    `# lockbench ${results.scenario}: ${verdict}`,
    '',
    `Gate (${gated.length > 0 ? gated.join(', ') : 'no gated profile'}): **${gateVerdict(results)}**. ` +
      `${profilesRan(results)}, measured by the ${formatDriver(results.driver)}; started ${results.startedAt}, took ${formatDuration(results.durationMs)}; ` +
      `${results.host.cpus} CPUs (${results.host.cpuModel}), Node ${results.host.node}.`,
    '',
    '## Criteria',
    '',
    ...markdownTable(header, rows),
    '',
    ...results.profiles.map((p) => `- ${findingSentence(p)}`),
    '',
    '## Figures',
    '',
    ...figures(results),
    '',
    ...(sendLag === null ? [] : ['## Send lag', '', ...markdownTable(sendLag.header, sendLag.rows), '', ...(sendLag.legend === null ? [] : [sendLag.legend, ''])]),
    '## Reliability',
    '',
    ...results.profiles.map((p) => `- ${reliabilityLine(p)}`),
    ...results.profiles.flatMap((p) => resourcesLine(p) ?? []).map((line) => `- ${line}`),
    '',
  ];
  lines.push(...instrumentMarkdown(results));
  if (notes.length > 0) lines.push('## Notes', '', ...notes.map((n) => `- ${n}`), '');
  lines.push('## Options', '', `\`${options}\``, '');
  return lines.join('\n');
}
