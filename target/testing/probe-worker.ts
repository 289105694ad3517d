// Probes a database from an independent connection: BEGIN IMMEDIATE with no busy timeout, then ROLLBACK.
// Records every interval during which the write lock was unavailable, in epoch ms.
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
parentPort!.postMessage({ ready: true });
while (Atomics.load(flag, 0) === 0) {
  const at = now();
  probes++;
  try {
    db.exec('BEGIN IMMEDIATE');
    db.exec('ROLLBACK');
    if (unavailableSince !== undefined) intervals.push({ startMs: unavailableSince, endMs: at });
    unavailableSince = undefined;
  } catch (err) {
    if ((err as { code?: string }).code !== 'SQLITE_BUSY') throw err;
    unavailableSince ??= at;
  }
  Atomics.wait(pause, 0, 0, 0.2);
}
db.close();
parentPort!.postMessage({ intervals, probes });
