/**
 * Crash consistency with real processes: the target is killed with SIGKILL at a chosen point of an
 * import (found by watching the database from outside, never by sleeping), restarted on the same file,
 * and the file must be intact, hold exactly the batches the import's record calls committed, and
 * accept the re-posted import without duplicates.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { startTarget, type RunningTarget } from '../../harness/run/target-process/target-process.ts';
import { makeEntries, postImport, type ImportResponse } from '../testing/support.ts';
import type { ImportEntry } from '../db/tasks.ts';
import type { ImportMode } from '../options.ts';

/** Longest a kill point may take to be reached before the test fails, in ms. */
const REACH_TIMEOUT_MS = 30_000;

/** What the test can see of the import from outside the target. */
class Watcher {
  private readonly reader: Database.Database;
  private readonly prober: Database.Database;

  constructor(private readonly dbPath: string) {
    this.reader = new Database(dbPath, { readonly: true, fileMustExist: true });
    this.prober = new Database(dbPath, { fileMustExist: true, timeout: 0 });
  }

  /** Batches the import has committed so far. */
  committed(): number {
    return (this.reader.prepare("SELECT count(*) AS n FROM import_batches WHERE status = 'committed'").get() as { n: number }).n;
  }

  /** Whether a writer holds the write lock: BEGIN IMMEDIATE fails at once (and, if it succeeds, is undone at once). */
  lockHeld(): boolean {
    try {
      this.prober.exec('BEGIN IMMEDIATE');
      this.prober.exec('ROLLBACK');
      return false;
    } catch (err) {
      if ((err as { code?: string }).code?.startsWith('SQLITE_BUSY')) return true;
      throw err;
    }
  }

  walBytes(): number {
    return statSync(`${this.dbPath}-wal`, { throwIfNoEntry: false })?.size ?? 0;
  }

  close(): void {
    this.reader.close();
    this.prober.close();
  }
}

/** Polls `reached`, yielding to the event loop between polls, until it holds. */
async function until(what: string, reached: () => boolean): Promise<void> {
  const deadline = Date.now() + REACH_TIMEOUT_MS;
  while (!reached()) {
    if (Date.now() > deadline) throw new Error(`kill point never reached: ${what}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** Spins on the WAL's size until it changes: a commit is writing its frames (the cache holds them until then). */
function untilWalGrows(watcher: Watcher, from: number): void {
  const deadline = Date.now() + REACH_TIMEOUT_MS;
  while (watcher.walBytes() === from) {
    if (Date.now() > deadline) throw new Error('kill point never reached: the WAL never grew');
  }
}

interface KillPoint {
  name: string;
  /** Resolves at the moment to kill. */
  reach(w: Watcher): Promise<void>;
}

/** Batches that must have committed before the kill point's transaction (0 in monolithic mode). */
const earlier = (mode: ImportMode) => (mode === 'monolithic' ? 0 : 2);

const KILL_POINTS = (mode: ImportMode): KillPoint[] => [
  {
    name: 'before a commit (inside the transaction)',
    reach: (w) => until('lock held after the earlier batches', () => w.committed() >= earlier(mode) && w.lockHeld()),
  },
  {
    name: 'during a commit (WAL frames being written)',
    reach: async (w) => {
      await until('lock held after the earlier batches', () => w.committed() >= earlier(mode) && w.lockHeld());
      untilWalGrows(w, w.walBytes());
    },
  },
  {
    name: 'just after a commit',
    reach: (w) => until('a commit seen', () => w.committed() >= earlier(mode) + 1),
  },
];

const WORK: Record<'monolithic' | 'batched', { entries: number; flags: string[]; batchSize: number }> = {
  monolithic: { entries: 200, batchSize: 200, flags: ['--import-mode', 'monolithic', '--prepare-ms', '4', '--write-ms', '0'] },
  batched: { entries: 60, batchSize: 10, flags: ['--import-mode', 'batched', '--batch-size', '10', '--prepare-ms', '8', '--write-ms', '0'] },
};

let dir: string | undefined;
let running: RunningTarget | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const start = async (dbPath: string, flags: string[]) => startTarget({ dbPath, args: ['--pool-size', '2', '--log-level', 'warn', ...flags] });

/** Rows of `entries` stored for the source. */
function storedOf(db: Database.Database, sourceId: string, entries: readonly ImportEntry[]): number {
  const find = db.prepare('SELECT count(*) AS n FROM artifacts a JOIN collection_artifacts c ON c.artifact_id = a.id WHERE a.source_id = ? AND a.external_id = ?');
  return entries.filter((e) => (find.get(sourceId, e.externalId) as { n: number }).n === 1).length;
}

describe.each(['monolithic', 'batched'] as const)('SIGKILL in a %s import', (mode) => {
  it.each(KILL_POINTS(mode).map((p) => [p.name, p] as const))('%s: the file is intact, holds exactly the committed batches, and a re-post completes it', async (_, point) => {
    dir = mkdtempSync(join(tmpdir(), 'lockbench-crash-'));
    const dbPath = join(dir, 'target.db');
    const work = WORK[mode];
    const entries = makeEntries(work.entries, `crash-${mode}`);
    const batches = Array.from({ length: Math.ceil(entries.length / work.batchSize) }, (_, i) => entries.slice(i * work.batchSize, (i + 1) * work.batchSize));

    running = await start(dbPath, work.flags);
    const watcher = new Watcher(dbPath);
    const importing = postImport(running.url, 'src-1', entries).catch(() => undefined);
    try {
      await point.reach(watcher);
      process.kill(running.pid, 'SIGKILL');
    } finally {
      watcher.close();
    }
    expect((await running.stop()).signal).toBe('SIGKILL');
    await importing;

    running = await start(dbPath, work.flags);
    const db = new Database(dbPath, { readonly: true, fileMustExist: true });
    let committed: number[];
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(db.pragma('foreign_key_check')).toEqual([]);
      const job = db.prepare('SELECT id, imported FROM import_jobs').get() as { id: string; imported: number } | undefined;
      const record = job === undefined ? undefined : ((await (await fetch(`${running.url}/api/imports/${job.id}`)).json()) as ImportResponse);
      committed = (record?.batches ?? []).filter((b) => b.status === 'committed').map((b) => b.index);
      expect(record?.imported ?? 0).toBe(committed.reduce((n, i) => n + batches[i]!.length, 0));
      for (const [index, batch] of batches.entries()) {
        expect(storedOf(db, 'src-1', batch), `batch ${index}`).toBe(committed.includes(index) ? batch.length : 0);
      }
      expect(committed.length).toBeGreaterThanOrEqual(point.name.startsWith('just after') ? earlier(mode) + 1 : earlier(mode));
    } finally {
      db.close();
    }
    console.info(`crash ${mode} / ${point.name}: committed before the kill: [${committed.join(', ')}] of ${batches.length} batches`);

    const again = await postImport(running.url, 'src-1', entries);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ status: 'completed', imported: entries.length });
    const after = new Database(dbPath, { readonly: true, fileMustExist: true });
    try {
      expect(storedOf(after, 'src-1', entries)).toBe(entries.length);
      const count = (sql: string) => (after.prepare(sql).get() as { n: number }).n;
      expect(count("SELECT count(*) AS n FROM artifacts WHERE source_id = 'src-1'")).toBe(entries.length);
      expect(count('SELECT count(*) AS n FROM collection_artifacts')).toBe(entries.length);
      expect(count('SELECT count(*) AS n FROM composite_children')).toBe(entries.filter((e) => e.children).length * 3);
    } finally {
      after.close();
    }
  });
});
