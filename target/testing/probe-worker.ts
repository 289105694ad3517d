// Probes a database from an independent connection: BEGIN IMMEDIATE with no busy timeout, then ROLLBACK.
// Records every interval during which the write lock was unavailable, in epoch ms: from the first probe that
// found it taken to the first that found it free again, each timed when its answer was known.
import { parentPort, workerData } from 'node:worker_threads';
import { nowMs } from '../locks/clock.ts';
import Database from 'better-sqlite3';

const { dbPath, stop } = workerData as { dbPath: string; stop: SharedArrayBuffer };
const flag = new Int32Array(stop);
const pause = new Int32Array(new SharedArrayBuffer(4));
const db = new Database(dbPath, { timeout: 0 });
db.pragma('busy_timeout = 0');
const now = nowMs;
const intervals: Array<{ startMs: number; endMs: number }> = [];
let unavailableSince: number | undefined;
let probes = 0;
let lastAt: number | undefined;
/** The longest time between two probes: how late the probe can have seen a change. */
let maxGapMs = 0;
parentPort!.postMessage({ ready: true });
while (Atomics.load(flag, 0) === 0) {
  probes++;
  let free: boolean;
  try {
    db.exec('BEGIN IMMEDIATE');
    db.exec('ROLLBACK');
    free = true;
  } catch (err) {
    if ((err as { code?: string }).code !== 'SQLITE_BUSY') throw err;
    free = false;
  }
  // Read after the attempt: by then what it found (busy, or free) is known to have been so, however
  // long the thread was held up before or during it.
  const at = now();
  if (lastAt !== undefined) maxGapMs = Math.max(maxGapMs, at - lastAt);
  lastAt = at;
  if (free && unavailableSince !== undefined) intervals.push({ startMs: unavailableSince, endMs: at });
  if (free) unavailableSince = undefined;
  else unavailableSince ??= at;
  Atomics.wait(pause, 0, 0, 0.2);
}
db.close();
parentPort!.postMessage({ intervals, probes, maxGapMs });
