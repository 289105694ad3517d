import { describe, expect, it } from 'vitest';
import type { RunResults } from '../model/results.ts';
import type { WorkloadResult } from '../model/workload.ts';
import { renderJunit } from './junit.ts';
import { renderMarkdown } from './markdown.ts';
import { renderTerminal } from './terminal.ts';
import { streamsTable, workloadCriteriaTable } from './streams.ts';
import { reportResultsOf } from './html/input.ts';
import { renderReportHtml } from './html/page.ts';
import { resourcesLine } from './format.ts';
import { recordedResults, recordedWorkloadResults } from './testing.ts';

const figures = { partial: 0, otherErrors: 0, p50Ms: 12, p99Ms: 480, acknowledged: null };

function judged(pass: boolean): WorkloadResult {
  return {
    name: 'shop',
    source: 'shop.yaml',
    busyTimeoutMs: 5000,
    lockSource: 'observed',
    streams: [
      { stream: 'orders', kind: 'http', requests: 3000, successes: 2990, lockErrors: { total: 10, fast: 7, timedOut: 3, unknown: 0 }, ...figures },
      { stream: 'report', kind: 'sql', requests: 60, successes: 60, lockErrors: { total: 0, fast: 0, timedOut: 0, unknown: 0 }, ...figures, acknowledged: 60 },
    ],
    criteria: [
      { id: 'orders-p99', type: 'latency', comparison: '<', threshold: 300, measured: 480, unit: 'ms', pass: false },
      { id: 'no-fast-lock-errors', type: 'outcomes', comparison: '==', threshold: 0, measured: pass ? 0 : 7, unit: 'count', pass },
      { id: 'report-stored', type: 'no-loss', comparison: '==', threshold: 60, measured: null, unit: 'rows', pass: false, code: 'not-counted' },
    ],
  };
}

/** The recorded run's profiles, as if run from the shop's workload (its options name the file, as a real run's do). */
function fromShop(): RunResults {
  const results = recordedResults();
  return { ...results, options: { ...results.options, workload: 'shop.yaml' }, profiles: results.profiles.map((p, i) => ({ ...p, criteria: [], workload: judged(i === 0) })) };
}

describe('a run from a workload, in its own words', () => {
  it('tables each stream with its lock errors split fast and timed out', () => {
    const { header, rows } = streamsTable(fromShop());
    // No stream had a partial answer: that column is left out.
    expect(header).toEqual(['profile', 'stream', 'requests', 'successes', 'lock errors', 'no answer', 'error answers', 'p50', 'p99', 'acknowledged']);
    expect(rows[0]).toEqual([fromShop().profiles[0]!.name, 'orders', '3,000', '2,990', '10 (fast 7, timed out 3)', '0', '0', '12.0 ms', '480 ms', '-']);
    expect(rows[1]!.slice(1, 3)).toEqual(['report (SQL)', '60']);
  });

  it('splits the other errors into requests that got no answer, by why, and error answers; an SQL stream\'s are all answers', async () => {
    const results = fromShop();
    const [orders, report] = results.profiles[0]!.workload!.streams;
    Object.assign(orders!, { otherErrors: 5, noAnswer: { total: 3, byKind: { timeout: 2, reset: 1 } }, errorAnswers: 2, partial: 4 });
    Object.assign(report!, { otherErrors: 1 });
    results.profiles[1]!.workload!.streams[0] = { ...results.profiles[1]!.workload!.streams[0]!, otherErrors: 2, noAnswer: { total: 2, byKind: { timeout: 2 } }, errorAnswers: 0 };
    // Results written before the split was kept.
    results.profiles[2]!.workload!.streams[0] = { ...results.profiles[2]!.workload!.streams[0]!, otherErrors: 4 };
    const { header, rows } = streamsTable(results);
    expect(header.slice(4, 8)).toEqual(['partial', 'lock errors', 'no answer', 'error answers']);
    expect(rows[0]!.slice(1)).toEqual(['orders', '3,000', '2,990', '4', '10 (fast 7, timed out 3)', '3 (timeout 2, reset 1)', '2', '12.0 ms', '480 ms', '-']);
    expect(rows[1]!.slice(1, 2).concat(rows[1]!.slice(6, 8))).toEqual(['report (SQL)', '-', '1']);
    expect(rows[2]!.slice(6, 8)).toEqual(['2 (timeout)', '0']);
    expect(rows[4]!.slice(6, 8)).toEqual(['-', '4 (not split)']);
    const terminal = renderTerminal(results);
    expect(terminal).toMatch(/^\S+\s+orders\s+3,000\s+2,990\s+4\s+10 \(fast 7, timed out 3\)\s+3 \(timeout 2, reset 1\)\s+2\s+12\.0 ms/m);
    expect(renderMarkdown(results)).toContain('| orders | 3,000 | 2,990 | 4 | 10 (fast 7, timed out 3) | 3 (timeout 2, reset 1) | 2 | 12.0 ms | 480 ms | - |');
    expect(await renderReportHtml({ results: reportResultsOf(results), timelines: [] })).toContain('<td>3 (timeout 2, reset 1)</td>');
  });

  it("judges the workload's criteria side by side, a no-loss check against each profile's acknowledged total", () => {
    const results = fromShop();
    const { rows } = workloadCriteriaTable(results);
    expect(rows.map((r) => r[0])).toEqual(['orders-p99', 'no-fast-lock-errors', 'report-stored']);
    expect(rows[0]!.slice(1, 3)).toEqual(['< 300 ms', '480 ms FAIL']);
    expect(rows[2]![2]).toBe('not measured: the count could not be run; 60 acknowledged FAIL');
  });

  it('renders the terminal, summary.md and junit.xml from the streams and the criteria, not the scenario', () => {
    const results = fromShop();
    const terminal = renderTerminal(results);
    expect(terminal).toContain('lockbench workload shop');
    expect(terminal).toContain('10 (fast 7, timed out 3)');
    expect(terminal).not.toMatch(/import wall|catalog/);
    expect(renderMarkdown(results)).toContain('## Streams');
    const gated = results.profiles.filter((p) => p.gated);
    expect(gated.length).toBeGreaterThan(0);
    expect(renderJunit(results)).toContain('name="orders-p99 (latency)"');
  });

  it('says an interrupted run has no verdict, and judges none of the figures of a profile cut short or not run', async () => {
    const shop = fromShop();
    const [cut, ...rest] = shop.profiles;
    const notJudged = (p: typeof cut, why: 'partial-run' | 'not-run') => ({ ...p!.workload!, criteria: p!.workload!.criteria.map((c) => ({ ...c, pass: false, notJudged: why })) });
    const results: RunResults = {
      ...shop,
      complete: false,
      incompleteReason: 'interrupted (SIGINT/SIGTERM)',
      pass: false,
      profiles: [
        { ...cut!, status: 'incomplete', pass: false, workload: notJudged(cut, 'partial-run') },
        ...rest.map((p) => ({ ...p, status: 'not-run' as const, pass: false, workload: notJudged(p, 'not-run') })),
      ],
    };
    const terminal = renderTerminal(results);
    expect(terminal.split('\n')[0]).toMatch(/^lockbench workload shop: INCOMPLETE, no verdict: interrupted \(SIGINT\/SIGTERM\); gate: /);
    expect(terminal).toMatch(/^gate \(.*\): no verdict \(INCOMPLETE: interrupted/m);
    const { rows } = workloadCriteriaTable(results);
    for (const row of rows) {
      // criterion, threshold, the cut profile, the profiles not run, the gate
      expect(row[2]).toBe('not measured (partial run)');
      for (const cell of row.slice(3, -1)) expect(cell).toBe('not run');
      expect(row.at(-1)).toBe('no verdict');
      expect(row.join(' ')).not.toMatch(/\bpass\b|FAIL/);
    }
    const markdown = renderMarkdown(results);
    expect(markdown).toMatch(/^# lockbench workload shop: INCOMPLETE/);
    expect(markdown).not.toMatch(/\*\*(PASS|FAIL)\*\*/);
    const html = await renderReportHtml({ results: reportResultsOf(results), timelines: [] });
    expect(html).not.toMatch(/<td[^>]*>(pass|FAIL)<\/td>/);
  });
});

/** The recorded default run, its profiles carrying their seed workload's result as a default run's now do. */
const MB = 1024 * 1024;

/** A default run as it is now recorded: each profile carries its seed workload, which alone judges it. */
function withSeed(): RunResults {
  const results = recordedResults();
  const seed = recordedWorkloadResults().profiles[0]!.workload!;
  // Send lag per stream name, as the built-in driver records it (the recorded k6 run has none).
  const sendLag = (stream: string) => ({ stream, code: 'within-share' as const, lag: { count: 80, p50Ms: 0.8, p99Ms: 1.9, maxMs: 2.9 }, firstSecond: null, latencyP99Ms: 70, latencyBasis: 'whole-run' as const });
  return {
    ...results,
    profiles: results.profiles.map((p) => ({
      ...p,
      criteria: [],
      workload: { ...seed, name: 'concurrent' },
      sendLag: { shareLimit: 0.05, streams: seed.streams.filter((s) => s.kind === 'http').map((s) => sendLag(s.stream)) },
      resources: { summary: { samples: 12, targetRssBytes: { start: 50 * MB, peak: 80 * MB, end: 70 * MB }, walBytes: { start: 0, peak: 4 * MB, end: MB } }, series: [] },
    })),
  };
}

describe('a default run, whose profiles carry their seed workload', () => {
  it("is reported by the workload's renderer under the scenario's headline, with the send lag, resources and cross-check lines", () => {
    const results = withSeed();
    // Recorded before the option existed: no workload file named.
    expect(results.options.workload ?? null).toBeNull();
    const terminal = renderTerminal(results);
    const lines = terminal.split('\n');
    expect(lines[0]).toMatch(/^lockbench concurrent: (PASS|FAIL) \(gate: /);
    const { rows } = workloadCriteriaTable(results);
    expect(lines[2]).toMatch(/^criterion\s+threshold\s+/);
    for (const [id] of rows) expect(lines.some((l) => l.startsWith(`${id} `))).toBe(true);
    // The streams table is the generic one: no title of its own.
    expect(terminal).not.toMatch(/per stream of the seed workload/);
    expect(lines.some((l) => /^profile\s+stream\s+requests\s+successes\s+lock errors\s+no answer\s+error answers\s+p50\s+p99/.test(l))).toBe(true);
    expect(lines.some((l) => l.startsWith('send lag (sent - scheduled)'))).toBe(true);
    const first = results.profiles[0]!.workload!.streams[0]!.stream;
    expect(lines.some((l) => l.startsWith(`${first} p50 / p99 / max (n)`) && l.includes('0.80 / 1.90 / 2.90 ms (80)'))).toBe(true);
    for (const p of results.profiles) expect(lines).toContain(resourcesLine(p));
    expect(lines).toContain('staged: target RSS 50.0 MB -> peak 80.0 MB -> 70.0 MB; WAL 0.0 MB -> peak 4.0 MB -> 1.0 MB (12 samples, 1 a second)');
    expect(terminal).toMatch(/^lock observer vs self-reported figures \(reported, not gating\): /m);
    // The scenario's seed-only sentences are gone: the generic tables show the same figures.
    expect(terminal).not.toMatch(/catalog updates waited|reliability \(requests, errors, rows\)|acknowledged rows stored/);
    expect(lines.at(-2)).toMatch(/^gate \(/);
  });

  it("judges report.html by the seed workload's criteria, side by side", async () => {
    const html = async (r: RunResults) => renderReportHtml({ results: reportResultsOf(r), timelines: [] });
    const criteriaOf = (page: string) => page.slice(page.indexOf('<section id="criteria">'), page.indexOf('</section>', page.indexOf('<section id="criteria">')));
    const seed = criteriaOf(await html(withSeed()));
    const { header, rows } = workloadCriteriaTable(withSeed());
    expect(seed).toContain(`<tr>${header.map((h) => `<th>${h}</th>`).join('')}</tr>`);
    for (const row of rows) expect(seed).toContain(`<td>${row[0]}</td><td>${row[1]!.replace('<', '&lt;')}</td>`);
    expect(seed).toContain('<h3>Streams</h3>');
  });

  it('renders summary.md and junit.xml from the seed workload, its suites named after the scenario', () => {
    const results = withSeed();
    const summary = renderMarkdown(results);
    expect(summary.split('\n')[0]).toMatch(/^# lockbench concurrent: (PASS|FAIL)$/);
    for (const heading of ['## Criteria', '## Streams', '## Send lag', '## Resources', '## Lock observer vs self-reported figures']) expect(summary).toContain(`\n${heading}\n`);
    expect(summary).not.toMatch(/Per stream of the seed workload|## Reliability|catalog updates waited/);
    const junit = renderJunit(results);
    expect(junit).toMatch(/<testsuites name="lockbench concurrent"/);
    for (const p of results.profiles.filter((p) => p.gated)) {
      expect(junit).toContain(`<testsuite name="lockbench.concurrent.${p.name}"`);
      for (const c of p.workload!.criteria) expect(junit).toContain(`name="${c.id} (${c.type})"`);
    }
  });

  it('keeps the headline of a workload file not named as its scenario', () => {
    const results = withSeed();
    const named = { ...results, profiles: results.profiles.map((p) => ({ ...p, workload: { ...p.workload!, name: 'shop' } })) };
    expect(renderTerminal(named).split('\n')[0]).toMatch(/^lockbench workload shop: /);
  });
});
