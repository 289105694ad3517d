import { spanMs } from './summary.ts';
import type { LockSpan } from '../locks/span.ts';
import { formatMs, type MsFormat } from '../reports/format.ts';
import { formatJournalModes } from '../reports/journal-mode.ts';
import { holderName } from '../reports/holder-name.ts';
import { inProcessTree, isWorkerOfParent, processesByPid } from './processes.ts';
import { committingWithin } from './summary.ts';
import type { ObservedLockSpan, ObserveProgress, ObserveResult } from './types.ts';

export { formatJournalModes };

/** Every span is listed when there are at most this many; otherwise the longest {@link LONGEST_LISTED}. */
export const LIST_ALL_SPANS_UP_TO = 100;
export const LONGEST_LISTED = 20;
/** Upper bounds of the hold histogram buckets, in ms (the last bucket is open). */
export const HOLD_BUCKETS_MS = [1, 5, 10, 50, 100, 500, 1000];

/**
 * The observer's figures keep their decimals at every size, without thousands separators, as its output
 * always has: what reads it (scripts, scripts/observe.test.ts) takes plain numbers.
 */
const OBSERVER_MS: MsFormat = { wholeFromMs: Infinity, missing: '-' };
const ms = (value: number | null, digits = 1) => formatMs(value, { ...OBSERVER_MS, digits });
const clock = (epochMs: number) => `${new Date(epochMs).toISOString().slice(11, 23)}Z`;
const pct = (ratio: number) => `${(ratio * 100).toFixed(2)} %`;

/** A write hold and, where it differs (rollback journal), its commit: "2.1 s, of which committing 3.0 ms". */
export function formatHoldWithCommit(holdMs: number, committingMs: number, digits = 2): string {
  return committingMs > 0 ? `${ms(holdMs, digits)}, of which committing ${ms(committingMs, digits)}` : ms(holdMs, digits);
}

/** One status line: who holds the write lock and for how long, at `progress.atMs`. */
export function formatLiveLine(progress: ObserveProgress, elapsedMs: number): string {
  const rollback = progress.journalMode === 'rollback';
  const held = (since: number) => ms(progress.atMs - since);
  const write = !progress.connected
    ? 'no connection open (no -shm)'
    : rollback
      ? progress.write
        ? `write transaction: pid ${progress.write.pid} open ${held(progress.write.sinceMs)}` +
          (progress.committing ? `, committing ${held(progress.committing.sinceMs)}` : '')
        : 'write transaction: none'
      : progress.write
        ? `write lock: pid ${progress.write.pid} holding ${held(progress.write.sinceMs)}`
        : 'write lock: free';
  if (rollback) return `[${(elapsedMs / 1000).toFixed(1)} s] rollback journal | ${write} | holds ${progress.spanCount}, max ${ms(progress.holdMaxMs)}`;
  const checkpoint = progress.checkpoint
    ? `checkpoint: pid ${progress.checkpoint.pid} ${ms(progress.atMs - progress.checkpoint.sinceMs)}`
    : 'checkpoint: -';
  const oldestRead = progress.readers.reduce<ObserveProgress['readers'][number] | undefined>(
    (oldest, r) => (!oldest || r.sinceMs < oldest.sinceMs ? r : oldest),
    undefined,
  );
  const readers = oldestRead
    ? `readers: ${progress.readers.length} (oldest slot ${oldestRead.slot} pid ${oldestRead.pid} ${ms(progress.atMs - oldestRead.sinceMs, 0)})`
    : 'readers: 0';
  return `[${(elapsedMs / 1000).toFixed(1)} s] ${write} | ${checkpoint} | ${readers} | holds ${progress.spanCount}, max ${ms(progress.holdMaxMs)}`;
}

function holdHistogram(spans: readonly LockSpan[]): string[] {
  const counts = new Array<number>(HOLD_BUCKETS_MS.length + 1).fill(0);
  for (const span of spans) {
    const bucket = HOLD_BUCKETS_MS.findIndex((bound) => spanMs(span) < bound);
    counts[bucket === -1 ? HOLD_BUCKETS_MS.length : bucket]! += 1;
  }
  return counts.map((count, i) => {
    const label = i === HOLD_BUCKETS_MS.length ? `>= ${HOLD_BUCKETS_MS[i - 1]} ms` : `< ${HOLD_BUCKETS_MS[i]} ms`;
    return `    ${label.padEnd(12)} ${String(count).padStart(7)}`;
  });
}

function spanLines(spans: readonly ObservedLockSpan[], commitSpans: readonly ObservedLockSpan[]): string[] {
  const listed =
    spans.length <= LIST_ALL_SPANS_UP_TO ? spans : [...spans].sort((a, b) => spanMs(b) - spanMs(a)).slice(0, LONGEST_LISTED);
  const heading =
    spans.length <= LIST_ALL_SPANS_UP_TO
      ? `  write-lock holds (${spans.length}):`
      : `  longest ${listed.length} of ${spans.length} write-lock holds (all of them in observe.json, --out):`;
  const rows = listed.map(
    (s) =>
      `    ${clock(s.startMs)}  ${clock(s.endMs)}  ${formatMs(spanMs(s), { ...OBSERVER_MS, digits: 2, unit: false }).padStart(10)} ms  pid ${String(s.pid).padEnd(8)}` +
      `${s.startedBy === 'acquire' ? '' : ` (${s.startedBy})`}${s.endedBy === 'release' ? '' : ` (${s.endedBy})`}` +
      (commitSpans.length > 0 ? `  committing ${ms(committingWithin(s, commitSpans), 2)}` : ''),
  );
  return [heading, '    start (UTC)    end (UTC)          hold         holder', ...rows];
}

/** What the summary is told besides the result. */
export interface SummaryOptions {
  /** The application's pid (`--pid`): it and its descendants are "app", every other holder "other". */
  appPid?: number;
}

/** Holder lines: each holder by command and pid, and with `appPid` whether it is the app and the app's total. */
function holderLines(result: ObserveResult, { appPid }: SummaryOptions): string[] {
  const processes = processesByPid(result.processes);
  const commitSpans = result.commitSpans ?? [];
  const lines = result.summary.holders.map((h) => {
    const process = processes.get(h.pid);
    const name = holderName({ pid: h.pid, ...(process ? { command: process.command, worker: isWorkerOfParent(process, appPid) } : {}) });
    const role = appPid === undefined ? '' : inProcessTree(h.pid, appPid, processes) ? ' (app)' : ' (other)';
    const committing = (h.committingMs ?? 0) > 0 ? ` (of which committing ${ms(h.committingMs, 1)})` : '';
    return `  ${`${name}${role}`.padEnd(28)} ${h.spanCount} holds, ${ms(h.heldMs, 0)} held${committing}, max ${ms(h.holdMaxMs, 2)}`;
  });
  if (appPid === undefined) return lines;
  const app = result.writeSpans.filter((w) => inProcessTree(w.pid, appPid, processes));
  const appPids = new Set(app.map((w) => w.pid));
  const committing = app.reduce((sum, w) => sum + committingWithin(w, commitSpans), 0);
  return [
    `  app (pid ${appPid} and its descendants): ${app.length} holds by ${appPids.size} process(es), ` +
      `${ms(app.reduce((sum, w) => sum + spanMs(w), 0), 0)} held${committing > 0 ? ` (of which committing ${ms(committing, 1)})` : ''}`,
    ...lines,
  ];
}

/** The end-of-run summary printed by `npm run observe`. */
export function formatSummary(result: ObserveResult, options: SummaryOptions = {}): string {
  const s = result.summary;
  const gaps = result.sampleGaps;
  const lines = [
    `SQLite locks of ${result.dbPath}`,
    `  observed ${(result.durationMs / 1000).toFixed(1)} s with ${result.command} every ${result.intervalUs} us: ` +
      `${result.samples} samples, gap p50/p99/max ${gaps.p50Us}/${gaps.p99Us}/${gaps.maxUs} us`,
    `  observer CPU ${result.cpu.percentOfOneCore.toFixed(1)} % of one core (user ${ms(result.cpu.userMs, 0)}, system ${ms(result.cpu.systemMs, 0)})`,
    `  journal mode ${formatJournalModes(result.journalModes ?? [], s.journalMode ?? 'wal')}`,
    '',
    s.journalMode === 'rollback' ? 'write lock (RESERVED: a write transaction open; committing: PENDING or EXCLUSIVE)' : 'write lock',
    `  holds           ${s.spanCount}`,
    `  hold p50/p99/max ${ms(s.holdP50Ms, 2)} / ${ms(s.holdP99Ms, 2)} / ${ms(s.holdMaxMs, 2)}`,
    `  duty cycle      ${pct(s.dutyCycle)} (held ${ms(s.heldMs, 0)})`,
    `  longest hold    ${s.longestHold ? `${formatHoldWithCommit(spanMs(s.longestHold), s.longestHoldCommittingMs ?? 0)} by pid ${s.longestHold.pid} at ${clock(s.longestHold.startMs)}` : '-'}`,
    ...((s.committingMs ?? 0) > 0 ? [`  committing      ${ms(s.committingMs, 1)} in all`] : []),
    ...holderLines(result, options),
    '  hold histogram',
    ...holdHistogram(result.writeSpans),
    '',
    `checkpoint lock   ${s.checkpointCount} checkpoints${s.checkpointMaxMs === null ? '' : `, longest ${ms(s.checkpointMaxMs, 2)}`}` +
      (result.checkpointSpans.length > 0 ? ` (pids ${[...new Set(result.checkpointSpans.map((c) => c.pid))].join(', ')})` : ''),
    `longest read lock ${s.longestRead ? `${ms(s.longestReadMs, 1)}, slot ${s.longestRead.slot} (${s.longestRead.mode}), pid ${s.longestRead.pid}` : '-'}`,
    ...(result.recoverSpans.length > 0 ? [`recovery          ${result.recoverSpans.length} time(s)`] : []),
    ...(result.shmReopens > 0 ? [`-shm replaced     ${result.shmReopens} time(s) (all connections closed, then reopened)`] : []),
    ...(result.noConnectionSpans?.length
      ? [
          `no connection    ${ms(result.noConnectionMs ?? 0, 0)} in ${result.noConnectionSpans.length} stretch(es), ` +
            `${pct((result.noConnectionMs ?? 0) / Math.max(1, result.durationMs))} of the time (no -shm; every lock free)`,
        ]
      : []),
    '',
    ...spanLines(result.writeSpans, result.commitSpans ?? []),
  ];
  return `${lines.join('\n')}\n`;
}
