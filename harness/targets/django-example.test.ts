/**
 * End to end: the Django example under gunicorn, started from its description with several workers. A
 * read-then-write request that meets an import's open write transaction fails at once with "database is
 * locked" under Django 3.2's deferred transactions and waits its turn under BEGIN IMMEDIATE; the lock is
 * watched from outside and attributed to the gunicorn worker that holds it, a child of the started process.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { buildImportEntries } from '../../scenarios/lib/payload.ts';
import { startObserver } from '../observe/observer.ts';
import { progressFeed } from '../observe/testing/progress-feed.ts';
import { observedLocks } from '../run/observed-locks.ts';
import { isAlive } from '../testing/process.ts';
import { freePort, planLaunch, profileSettings, startDescribedTarget, type StartPlan } from './launch.ts';
import { loadTargetDescription } from './load.ts';
import { classifyStatus, mapRequest, type ScenarioRequest } from './mapping.ts';

const DJANGO = loadTargetDescription(fileURLToPath(new URL('../../examples/django-gunicorn/target.json', import.meta.url)));
const { description } = DJANGO;
/** Entries of the import and the work on each inside its transaction: a write transaction open for about 2 s. */
const ENTRIES = 20;
const WORK_MS = 100;
/** Far longer than the import holds the lock: a request that fails well before it did not wait for the lock. */
const BUSY_TIMEOUT_MS = 30_000;

const workDirs: string[] = [];
afterAll(() => workDirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

async function send(baseUrl: string, request: ScenarioRequest): Promise<{ status: number; body: unknown; ms: number }> {
  const mapped = mapRequest(description, request);
  const started = performance.now();
  const res = await fetch(`${baseUrl}${mapped.path}`, { method: mapped.method, headers: mapped.headers, body: mapped.body ?? null });
  const body = await res.json();
  return { status: res.status, body, ms: performance.now() - started };
}

describe('the Django example under gunicorn through its target description', () => {
  it.each([
    ['deferred', 500],
    ['immediate', 200],
  ] as const)(
    'transactions %s: a read-then-write update during an import answers %i; the holder is a gunicorn worker of the started process',
    async (profile, updateStatus) => {
      const workDir = mkdtempSync(join(tmpdir(), 'lockbench-django-'));
      workDirs.push(workDir);
      const settings = { ...profileSettings(description, profile), busyTimeoutMs: BUSY_TIMEOUT_MS, artifactWorkMs: WORK_MS, workers: 2, threads: 2 };
      const plan = planLaunch(DJANGO, { workDir, port: await freePort(), settings }) as StartPlan;
      const target = await startDescribedTarget(plan, { logFile: join(workDir, 'target.log') });
      const feed = progressFeed();
      const observer = await startObserver({ dbPath: plan.database, waitForConnection: true, progressEveryMs: 5, onProgress: feed.onProgress });
      try {
        const entries = buildImportEntries({ prefix: 'src-1', artifacts: ENTRIES, compositeEvery: 5, children: 1 });
        const importing = send(target.url, { kind: 'import', sourceId: 'src-1', entries });
        // The import's write transaction is open (RESERVED held): now the update reads, then writes.
        const holding = await feed.until((p) => p.write !== null);
        const update = await send(target.url, { kind: 'catalogUpdate', entryId: 3, status: 'updating', title: 'Catalog entry 3 (update 1)' });
        const imported = await importing;
        const result = await observer.stop();

        expect(classifyStatus(description, 'import', imported.status)).toBe('success');
        expect(imported.body).toMatchObject({ imported: ENTRIES });
        expect(update.status).toBe(updateStatus);
        if (profile === 'deferred') {
          // Django 3.2's BEGIN: the read took a shared lock, the write cannot wait for the writer that waits
          // for it, so SQLite refuses at once, busy timeout or not. Django answers 500.
          expect(update.body).toMatchObject({ error: { code: 'OperationalError', message: 'database is locked' } });
          expect(update.ms).toBeLessThan(BUSY_TIMEOUT_MS / 2);
          expect(classifyStatus(description, 'catalogUpdate', update.status)).toBe('error');
        } else {
          expect(update.body).toMatchObject({ id: 3, status: 'updating' });
        }

        expect(result.summary.journalMode).toBe('rollback');
        const observed = observedLocks({
          outcome: { status: 'observed', result, observerPid: observer.pid },
          intervalUs: result.intervalUs,
          pids: { target: target.pid, workflowWriters: process.pid },
          targetSpans: null,
          targetReportsLocks: false,
          writerSpans: null,
        });
        if (observed?.status !== 'observed') throw new Error('the observer watched');
        const importer = observed.holders.find((h) => h.pid === holding.write!.pid);
        expect(importer).toMatchObject({ role: 'target', command: 'gunicorn', parentPid: target.pid, worker: true });
        expect(observed.holders.filter((h) => h.role === 'other' && h.observed.spanCount > 0)).toEqual([]);
      } finally {
        await observer.stop().catch(() => undefined);
        await target.stop();
      }
      expect(isAlive(target.pid)).toBe(false);
    },
  );
});
