import { spanMs } from '../shared/lock-span.ts';
import { formatMs, type MsFormat } from './format.ts';
import { formatJournalModes } from './journal-mode.ts';
import { holderName } from './holder-name.ts';
import { inProcessTree, isWorkerOfParent, processesByPid } from '../model/process-tree.ts';
import type { HoldBucket, ObserveProgress, ObserveReport } from '../model/lock-observation.ts';

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

function holdHistogram(buckets: readonly HoldBucket[]): string[] {
  return buckets.map(({ belowMs, count }, i) => {
    const label = belowMs === null ? `>= ${buckets[i - 1]?.belowMs} ms` : `< ${belowMs} ms`;
    return `    ${label.padEnd(12)} ${String(count).padStart(7)}`;
  });
}

function spanLines({ result, listedHolds, allHoldsListed }: ObserveReport): string[] {
  const count = result.writeSpans.length;
  const heading = allHoldsListed
    ? `  write-lock holds (${count}):`
    : `  longest ${listedHolds.length} of ${count} write-lock holds (all of them in observe.json, --out):`;
  const committing = (result.commitSpans ?? []).length > 0;
  const rows = listedHolds.map(
    ({ span: s, holdMs, committingMs }) =>
      `    ${clock(s.startMs)}  ${clock(s.endMs)}  ${formatMs(holdMs, { ...OBSERVER_MS, digits: 2, unit: false }).padStart(10)} ms  pid ${String(s.pid).padEnd(8)}` +
      `${s.startedBy === 'acquire' ? '' : ` (${s.startedBy})`}${s.endedBy === 'release' ? '' : ` (${s.endedBy})`}` +
      (committing ? `  committing ${ms(committingMs, 2)}` : ''),
  );
  return [heading, '    start (UTC)    end (UTC)          hold         holder', ...rows];
}

/** Holder lines: each holder by command and pid, and with the app's pid whether it is the app and the app's total. */
function holderLines({ result, app: appHolds }: ObserveReport): string[] {
  const appPid = appHolds?.pid;
  const processes = processesByPid(result.processes);
  const lines = result.summary.holders.map((h) => {
    const process = processes.get(h.pid);
    const name = holderName({ pid: h.pid, ...(process ? { command: process.command, worker: isWorkerOfParent(process, appPid) } : {}) });
    const role = appPid === undefined ? '' : inProcessTree(h.pid, appPid, processes) ? ' (app)' : ' (other)';
    const committing = (h.committingMs ?? 0) > 0 ? ` (of which committing ${ms(h.committingMs, 1)})` : '';
    return `  ${`${name}${role}`.padEnd(28)} ${h.spanCount} holds, ${ms(h.heldMs, 0)} held${committing}, max ${ms(h.holdMaxMs, 2)}`;
  });
  if (appHolds === null) return lines;
  const { holdCount, processCount, heldMs, committingMs } = appHolds;
  return [
    `  app (pid ${appPid} and its descendants): ${holdCount} holds by ${processCount} process(es), ` +
      `${ms(heldMs, 0)} held${committingMs > 0 ? ` (of which committing ${ms(committingMs, 1)})` : ''}`,
    ...lines,
  ];
}

/** The end-of-run summary printed by `npm run observe`. */
export function formatSummary(report: ObserveReport): string {
  const { result } = report;
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
    ...holderLines(report),
    '  hold histogram',
    ...holdHistogram(report.holdHistogram),
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
    ...spanLines(report),
  ];
  return `${lines.join('\n')}\n`;
}
