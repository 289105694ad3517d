/** The send-lag table in every report: figures per stream and profile, the mark, and what is not measured. */
import { describe, expect, it } from 'vitest';
import type { RunResults, SendLagFigures, StreamSendLag } from '../model/results.ts';
import { renderReportHtml } from './html/page.ts';
import { renderMarkdown } from './markdown.ts';
import { sendLagTable } from './send-lag.ts';
import { renderTerminal } from './terminal.ts';
import { recordedResults } from './testing.ts';

const summary = (p50Ms: number, p99Ms: number, maxMs: number, count: number) => ({ count, p50Ms, p99Ms, maxMs });

function lag(stream: string, code: StreamSendLag['code'], p99Ms: number, latencyP99Ms: number): StreamSendLag {
  return { stream, code, lag: summary(0.8, p99Ms, p99Ms + 1, 80), firstSecond: summary(1.1, p99Ms, p99Ms, 20), latencyP99Ms, latencyBasis: stream === 'catalog' ? 'judged' : 'whole-run' };
}

/** The recorded run (k6, so no schedule) with built-in driver figures for the staged profile. */
function withSendLag(staged: SendLagFigures | null): RunResults {
  const results = recordedResults();
  for (const p of results.profiles) {
    p.sendLag = p.name === 'staged' ? staged : { shareLimit: 0.05, streams: [{ stream: 'catalog', code: 'no-schedule', lag: null, firstSecond: null, latencyP99Ms: 900, latencyBasis: 'judged' }] };
  }
  return results;
}

const STAGED: SendLagFigures = { shareLimit: 0.05, streams: [lag('catalog', 'exceeds-share', 7.43, 66), lag('reads', 'within-share', 1.92, 70)] };

describe('the send-lag table', () => {
  it('shows p50 / p99 / max (n) per stream and profile, the first second apart, and marks a stream over its share', () => {
    const table = sendLagTable(withSendLag(STAGED))!;
    const staged = table.header.indexOf('staged');
    const row = (label: string) => table.rows.find((r) => r[0] === label)!;
    expect(row('catalog p50 / p99 / max (n)')[staged]).toBe('0.80 / 7.43 / 8.43 ms (80) *');
    expect(row('catalog first second')[staged]).toBe('1.10 / 7.43 / 7.43 ms (20)');
    expect(row('reads p50 / p99 / max (n)')[staged]).toBe('0.80 / 1.92 / 2.92 ms (80)');
    expect(table.legend).toContain('over 5 % of their latency p99');
    expect(table.legend).toContain('staged catalog (lag p99 7.43 ms vs judged p99 66.0 ms)');
    expect(table.legend).not.toContain('reads');
  });

  it('says "not measured" where the driver reports no schedule, and has no legend when nothing is marked', () => {
    const table = sendLagTable(withSendLag({ shareLimit: 0.05, streams: [lag('catalog', 'within-share', 1, 66)] }))!;
    const before = table.header.indexOf('before');
    expect(table.rows[0]![before]).toBe('not measured (the driver reports no schedule)');
    expect(table.legend).toBeNull();
  });

  it('is left out for results written before send lag was kept', () => {
    expect(sendLagTable(recordedResults())).toBeNull();
    expect(renderTerminal(recordedResults())).not.toContain('send lag');
  });

  it('is in the terminal output, summary.md and report.html', async () => {
    const results = withSendLag(STAGED);
    expect(renderTerminal(results)).toMatch(/send lag \(sent - scheduled\).*\n.*\n.*0\.80 \/ 7\.43 \/ 8\.43 ms \(80\) \*/);
    expect(renderMarkdown(results)).toContain('## Send lag');
    expect(renderMarkdown(results)).toContain('0.80 / 7.43 / 8.43 ms (80) *');
    const html = await renderReportHtml({ results, timelines: [] } as unknown as Parameters<typeof renderReportHtml>[0]);
    expect(html).toContain('<section id="send-lag">');
    expect(html).toContain('0.80 / 7.43 / 8.43 ms (80) *');
  });
});
