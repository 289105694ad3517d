/** The driver benchmark's table and verdicts, for the terminal and as Markdown, from its result data. */
import type { BenchCase, BenchResult, DriverMeasurement, Verdict } from '../model/bench.ts';
import type { LatencySummary } from '../shared/latency-histogram.ts';
import { formatMs, verdict, type MsFormat } from './format.ts';

const COLUMNS = ['route', 'asked /s', 'driver', 'achieved /s', 'dropped', 'failed', 'lag p50 / p99 / max', 'latency p50 / p99', 'in flight', 'driver CPU', 'route CPU', 'mode'];

/**
 * Two decimals below 10 ms: the figures compared here are often a fraction of a millisecond, where the
 * reports' one decimal would make a 15 % difference vanish.
 */
const FINE_MS: MsFormat = { digitsBelow10: 2 };
/** {@link FINE_MS} in a cell of figures that names the unit once. */
const FINE_CELL_MS: MsFormat = { ...FINE_MS, unit: false, missing: '-' };
/** CPU time: whole milliseconds. */
const CPU_MS: MsFormat = { digits: 0 };

function percentiles(summary: LatencySummary | null, withMax: boolean): string {
  if (summary === null || summary.count === 0) return '-';
  return [summary.p50Ms, summary.p99Ms, ...(withMax ? [summary.maxMs] : [])].map((v) => formatMs(v, FINE_CELL_MS)).join(' / ') + ' ms';
}

function cpu(m: Extract<DriverMeasurement, { status: 'measured' }>): string {
  if (m.cpuMs === null) return 'not measured';
  return `${formatMs(m.cpuMs, CPU_MS)} (${((m.cpuMs / m.loadMs) * 100).toFixed(1)} %)`;
}

function asked(c: BenchCase): string {
  return c.rate === null ? 'back to back' : c.rate.toLocaleString('en-US');
}

function row(c: BenchCase, m: DriverMeasurement): string[] {
  const head = [c.route, asked(c), m.driver];
  if (m.status === 'not-run') return [...head, ...COLUMNS.slice(head.length, -1).map(() => '-'), m.reason];
  return [
    ...head,
    m.achievedRate === null ? '-' : m.achievedRate.toLocaleString('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 }),
    m.dropped === null ? '-' : String(m.dropped),
    String(m.failed),
    m.lag === null ? 'not reported' : percentiles(m.lag, true),
    percentiles(m.latency, false),
    m.meanInFlight === null ? '-' : m.meanInFlight.toFixed(2),
    cpu(m),
    formatMs(m.routeCpuMs, { ...CPU_MS, missing: '-' }),
    m.mode,
  ];
}

export function benchRows(result: BenchResult): string[][] {
  return result.cases.flatMap((c) => c.drivers.map((m) => row(c, m)));
}

/** Each target's line, from its verdict and the rate it was judged at (the rate the target applies at). */
const TARGET_TEXT: Record<Verdict['target'], (v: Verdict, rate: number | null) => string> = {
  'achieved-rate': (v, rate) =>
    `built-in achieved rate within ${v.limit * 100} % of asked at ${rate?.toLocaleString('en-US')}/s: ${v.measured === null ? 'not measured' : `off by ${(v.measured * 100).toFixed(2)} %`}` +
    (v.reference === null || v.reference === undefined ? '' : ` (autocannon off by ${(v.reference * 100).toFixed(2)} %)`),
  'scheduling-lag': (v, rate) => `built-in scheduling lag p99 <= ${v.limit} ms at ${rate}/s: ${formatMs(v.measured, FINE_MS)}`,
  'p50-vs-autocannon': (v) => `built-in p50 latency within ${v.limit * 100} % of autocannon's, both back to back on one connection: ${v.measured === null ? 'not measured' : `off by ${(v.measured * 100).toFixed(1)} %`}`,
};

/** One line per target judged: `pass  bare 2,000/s  built-in achieved rate ...`. */
export function verdictLines(result: BenchResult): string[] {
  return result.cases.flatMap((c) => c.verdicts.map((v) => `${verdict(v.pass).padEnd(4)}  ${c.route} ${c.rate === null ? 'back to back' : `${c.rate.toLocaleString('en-US')}/s`}  ${TARGET_TEXT[v.target](v, c.rate)}`));
}

function header(result: BenchResult): string[] {
  const m = result.machine;
  return [
    `driver accuracy benchmark, ${result.startedAt}: ${m.cpus} x ${m.cpuModel}, Node ${m.node}, load average ${m.loadAverageBefore.map((l) => l.toFixed(2)).join(' ')} before, ${m.loadAverageAfter.map((l) => l.toFixed(2)).join(' ')} after`,
    `${result.durationMs / 1000} s per run; builtin driver (undici ${result.versions.undici}), autocannon ${result.versions.autocannon}, ${result.versions.k6.startsWith('k6:') ? result.versions.k6 : `k6 ${result.versions.k6}`}`,
    ...(result.builtinFixedCpuMs === null
      ? []
      : [`builtin fixed cost: a run sending one request took ${formatMs(result.builtinFixedCpuMs, CPU_MS)} of CPU (warm-up, files, teardown; the thread itself is started ahead of each run), included in each builtin CPU figure`]),
  ];
}

const NOTES = [
  "achieved: requests sent per second over the span from the first send to the last (autocannon: answers over the run's duration, as it starts each second's quota at once).",
  "lag: send time minus scheduled time (the first byte written to the socket vs t0 + i / rate); only the built-in driver has a schedule to report.",
  'latency: service time, first byte sent to last byte read. autocannon: its per-response hrtime (its summary rounds to whole ms).',
  "p50 vs autocannon is judged back to back on one connection, each request sent as soon as the answer before it was read, by both. At a rate the two load differently: the built-in driver sends each request alone on its schedule into an idle route (each one wakes the route and the driver from sleep), autocannon's --overallRate sends each second's quota back to back into a busy one; their p50s there are shown, not judged.",
  "in flight: mean requests in flight (sum of service times / send span); autocannon's connections = the built-in driver's, rounded, at least 1.",
  'driver CPU: ms of CPU and % of one core over the load duration. builtin: this process over the run() call, every thread (process.cpuUsage): the worker thread incl. its warm-up and writing its samples file (the thread is started ahead of each run, outside this figure). autocannon and k6: their child process start to exit (/proc cutime+cstime).',
  "route CPU: the route's own process over the same run (/proc utime+stime).",
];

function table(rows: string[][], markdown: boolean): string[] {
  if (markdown) {
    const line = (cells: string[]) => `| ${cells.map((c) => c.replaceAll('|', '\\|')).join(' | ')} |`;
    return [line(COLUMNS), line(COLUMNS.map(() => '---')), ...rows.map(line)];
  }
  const widths = COLUMNS.map((c, i) => Math.max(c.length, ...rows.map((r) => (i === COLUMNS.length - 1 ? 0 : (r[i] ?? '').length))));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(COLUMNS), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}

export function renderBenchTerminal(result: BenchResult): string {
  return [...header(result), '', ...table(benchRows(result), false), '', ...verdictLines(result), '', ...NOTES.map((n) => `  ${n}`)].join('\n') + '\n';
}

export function renderBenchMarkdown(result: BenchResult): string {
  return [
    '# Driver accuracy',
    '',
    ...header(result).map((l) => `${l}  `),
    '',
    ...Object.entries(result.routes).map(([name, summary]) => `- **${name}**: ${summary}`),
    '',
    ...table(benchRows(result), true),
    '',
    ...verdictLines(result).map((l) => `    ${l}`),
    '',
    ...NOTES.map((n) => `- ${n}`),
  ].join('\n') + '\n';
}
