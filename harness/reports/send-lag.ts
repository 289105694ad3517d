/**
 * The driver's send lag in words: per stream p50 / p99 / max over the trial and over its first second,
 * one column per profile, and a mark on a stream whose lag p99 is above its share of the latency.
 */
import type { ProfileResult, RunProfiles, StreamSendLag } from '../model/results.ts';
import type { LatencySummary } from '../shared/latency-histogram.ts';
import { figuresTable, formatMs, type FigureRow } from './format.ts';

const SEND_LAG_TITLE = 'send lag (sent - scheduled)';

/** What marks a stream whose lag p99 exceeds its share of the latency p99. */
export const SEND_LAG_MARK = '*';

/** `0.76 / 1.90 / 3.20 ms`. */
function percentiles(summary: LatencySummary): string {
  const fine = { digitsBelow10: 2, unit: false } as const;
  return `${formatMs(summary.p50Ms, fine)} / ${formatMs(summary.p99Ms, fine)} / ${formatMs(summary.maxMs, { digitsBelow10: 2 })}`;
}

const NOT_MEASURED: Readonly<Record<Exclude<StreamSendLag['code'], 'within-share' | 'exceeds-share' | 'no-latency'>, string>> = {
  'no-schedule': 'not measured (the driver reports no schedule)',
  'none-sent': 'not measured (none sent)',
};

function cell(profile: ProfileResult, stream: string, figure: (lag: StreamSendLag) => LatencySummary | null): string {
  if (profile.sendLag === undefined) return 'not recorded';
  const lag = profile.sendLag?.streams.find((s) => s.stream === stream);
  if (lag === undefined) return profile.sendLag === null ? 'not measured' : '-';
  if (lag.code === 'no-schedule' || lag.code === 'none-sent') return NOT_MEASURED[lag.code];
  const summary = figure(lag);
  if (summary === null || summary.count === 0) return 'none';
  return `${percentiles(summary)} (${summary.count.toLocaleString('en-US')})`;
}

/** The streams any profile reports, in the order first seen. */
function streamsOf(results: RunProfiles): string[] {
  return [...new Set(results.profiles.flatMap((p) => p.sendLag?.streams.map((s) => s.stream) ?? []))];
}

/** Whether any profile has send-lag figures to show (results written before they were kept have none). */
function hasSendLag(results: RunProfiles): boolean {
  return results.profiles.some((p) => p.sendLag !== undefined && p.sendLag !== null);
}

/** Two rows per stream: the whole trial (marked where it exceeds its share) and its first second. */
function sendLagRows(results: RunProfiles): FigureRow[] {
  return streamsOf(results).flatMap((stream): FigureRow[] => [
    [
      `${stream} p50 / p99 / max (n)`,
      (p) => {
        const text = cell(p, stream, (l) => l.lag);
        return p.sendLag?.streams.find((s) => s.stream === stream)?.code === 'exceeds-share' ? `${text} ${SEND_LAG_MARK}` : text;
      },
    ],
    [`${stream} first second`, (p) => cell(p, stream, (l) => l.firstSecond)],
  ]);
}

/** What the mark means, when any stream carries it; null otherwise. */
function sendLagLegend(results: RunProfiles): string | null {
  const marked = results.profiles.flatMap((p) => (p.sendLag?.streams ?? []).filter((s) => s.code === 'exceeds-share').map((s) => ({ profile: p, lag: s })));
  if (marked.length === 0) return null;
  const share = `${Math.round(marked[0]!.profile.sendLag!.shareLimit * 100)} %`;
  const which = marked.map(({ profile, lag }) => `${profile.name} ${lag.stream} (lag p99 ${formatMs(lag.lag!.p99Ms, { digitsBelow10: 2 })} vs ${lag.latencyBasis === 'judged' ? 'judged' : 'whole-run'} p99 ${formatMs(lag.latencyP99Ms)})`);
  return `${SEND_LAG_MARK} the driver sent these late by over ${share} of their latency p99: timed from the schedule, their latency includes the driver's own lateness: ${which.join('; ')}`;
}

/**
 * The send-lag table (one column per profile) and, when a stream is marked, the line that says what the
 * mark means; null for results without send-lag figures.
 */
export function sendLagTable(results: RunProfiles): { header: string[]; rows: string[][]; legend: string | null } | null {
  if (!hasSendLag(results)) return null;
  return { ...figuresTable(results, sendLagRows(results), SEND_LAG_TITLE), legend: sendLagLegend(results) };
}
