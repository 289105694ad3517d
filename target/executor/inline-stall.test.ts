import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { makeEntries, postImport, spawnTarget, type SpawnedTarget } from '../testing/support.ts';

let t: SpawnedTarget | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

/** Whether another connection holds the write lock: BEGIN IMMEDIATE with no busy wait fails with SQLITE_BUSY then. */
function writeLockHeld(db: Database.Database): boolean {
  try {
    db.exec('BEGIN IMMEDIATE');
  } catch (err) {
    if ((err as { code?: string }).code === 'SQLITE_BUSY') return true;
    throw err;
  }
  db.exec('ROLLBACK');
  return false;
}

/** How often the lock is probed while a health request waits for its answer, in ms (a pace, not a bound). */
const PROBE_EVERY_MS = 2;

/**
 * Asks GET /api/health over and over while one monolithic import (one transaction for all 100 entries)
 * runs, probing the write lock from this process before each request, while it waits and when its answer
 * arrives. The order of events is what is checked, never how long anything took, so a busy machine
 * cannot fail it: `waitedOnHolder` counts requests during whose wait the lock was held, `answeredWhileHeld`
 * those whose answer arrived while the lock they were sent under was still held.
 */
async function healthDuringImport(executor: 'inline' | 'pool') {
  t = await spawnTarget(['--executor', executor, '--import-mode', 'monolithic', '--prepare-ms', '3', '--write-ms', '0']);
  const url = t.url;
  const probe = new Database(t.dbPath);
  probe.pragma('busy_timeout = 0');
  try {
    const importing = postImport(url, 'src-1', makeEntries(100));
    let done = false;
    void importing.finally(() => (done = true));
    let waitedOnHolder = 0;
    let answeredWhileHeld = 0;
    while (!done) {
      const heldBefore = writeLockHeld(probe);
      let heldDuring = heldBefore;
      const sampling = setInterval(() => (heldDuring ||= writeLockHeld(probe)), PROBE_EVERY_MS);
      const res = await fetch(`${url}/api/health`).finally(() => clearInterval(sampling));
      const heldAfter = writeLockHeld(probe);
      expect(res.status).toBe(200);
      await res.body?.cancel();
      if (heldDuring) waitedOnHolder++;
      if (heldBefore && heldAfter) answeredWhileHeld++;
    }
    const { body } = await importing;
    expect(body.status).toBe('completed');
    return { waitedOnHolder, answeredWhileHeld };
  } finally {
    probe.close();
  }
}

describe('executor', () => {
  it('inline: the event loop is stuck inside the transaction, so /api/health waits for the lock holder', async () => {
    const { waitedOnHolder, answeredWhileHeld } = await healthDuringImport('inline');
    expect(waitedOnHolder).toBeGreaterThan(0);
    expect(answeredWhileHeld).toBe(0);
  });

  it('pool: the transaction runs on a DB worker, so /api/health answers while it is still open', async () => {
    const { answeredWhileHeld } = await healthDuringImport('pool');
    expect(answeredWhileHeld).toBeGreaterThan(0);
  });
});
