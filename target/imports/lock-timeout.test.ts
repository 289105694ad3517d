import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { countRows, footprint, makeEntries, postImport, startTarget, type ImportResponse, type TestTarget } from '../testing/support.ts';

/** The target's busy timeout in these tests, in ms: short, so a foreign lock turns into answers quickly. */
const BUSY_TIMEOUT_MS = 200;
/** Longest any answer may take while the lock is held elsewhere; far above the busy timeout, far below a hang. */
const ANSWER_WITHIN_MS = 15_000;

let t: TestTarget | undefined;
afterEach(() => t?.close());

const patchCatalog = (url: string, id: number) =>
  fetch(`${url}/api/marketplace/catalog/${id}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: '{"status":"draft"}', signal: AbortSignal.timeout(ANSWER_WITHIN_MS) });

/** Holds the write lock from another connection until released. */
function holdWriteLock(dbPath: string) {
  const blocker = new Database(dbPath, { timeout: ANSWER_WITHIN_MS });
  blocker.exec('BEGIN IMMEDIATE');
  return () => {
    blocker.exec('ROLLBACK');
    blocker.close();
  };
}

describe('another connection holds the write lock', () => {
  it('answers 503 with Retry-After when the write lock cannot be had within the busy timeout, writing nothing', async () => {
    t = await startTarget({ busyTimeoutMs: BUSY_TIMEOUT_MS, prepareMs: 0 });
    const release = holdWriteLock(t.dbPath);
    const before = footprint(t.dbPath);
    try {
      const res = await fetch(`${t.url}/api/marketplace/sources/src-1/import`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ entries: makeEntries(5) }),
        signal: AbortSignal.timeout(ANSWER_WITHIN_MS),
      });
      expect(res.status).toBe(503);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      const body = (await res.json()) as ImportResponse;
      expect(body).toMatchObject({ status: 'failed', imported: 0 });
      expect(body.batches[0]?.error?.code).toBe('SQLITE_BUSY');

      const catalog = await patchCatalog(t.url, 1);
      expect(catalog.status).toBe(503);
      expect(catalog.headers.get('retry-after')).toBe('1');
      expect(await catalog.json()).toMatchObject({ error: { code: 'SQLITE_BUSY', message: expect.stringMatching(/write lock could not be acquired in time/) } });

      const execution = await fetch(`${t.url}/api/workflows/wf-1/executions`, { method: 'POST', signal: AbortSignal.timeout(ANSWER_WITHIN_MS) });
      expect(execution.status).toBe(503);
      expect(await execution.json()).toMatchObject({ error: { code: 'SQLITE_BUSY' } });

      const locks = (await (await fetch(`${t.url}/api/health/locks`)).json()) as { busyErrors: Record<string, number> };
      expect(locks.busyErrors.SQLITE_BUSY).toBeGreaterThanOrEqual(3);
      const metrics = await (await fetch(`${t.url}/metrics`)).text();
      expect(metrics).toMatch(/lockbench_busy_errors_total\{code="SQLITE_BUSY"\} [1-9]/);
      // Reads take no write lock in WAL mode: they are served throughout.
      expect((await fetch(`${t.url}/api/marketplace/catalog?limit=1`)).status).toBe(200);
    } finally {
      release();
    }
    expect(footprint(t.dbPath)).toEqual(before);
    expect((await patchCatalog(t.url, 1)).status).toBe(200);
  });

  it('answers 207 with Retry-After and the truth per batch when the lock is taken after the first batch committed; a re-post completes it', async () => {
    // Staged mode prepares outside the lock, so another connection can take it between batches.
    t = await startTarget({ busyTimeoutMs: BUSY_TIMEOUT_MS, importMode: 'staged', batchSize: 5, prepareMs: 20, writeMs: 0 });
    const entries = makeEntries(20, 'held');
    const importing = postImport(t.url, 'src-1', entries);
    const reader = new Database(t.dbPath, { readonly: true });
    let release: (() => void) | undefined;
    try {
      const committed = () => (reader.prepare("SELECT count(*) AS n FROM import_batches WHERE status = 'committed'").get() as { n: number }).n;
      while (committed() === 0) await new Promise((resolve) => setImmediate(resolve));
      release = holdWriteLock(t.dbPath);
      const res = await fetch(`${t.url}/api/health`);
      expect(res.status).toBe(200);
      const { status, body } = await importing;
      expect(status).toBe(207);
      expect(body).toMatchObject({ status: 'partial', imported: 5, failed: 15 });
      expect(body.batches.map((b) => [b.index, b.status, b.error?.code])).toEqual([
        [0, 'committed', undefined],
        [1, 'failed', 'SQLITE_BUSY'],
        [2, 'failed', 'SQLITE_BUSY'],
        [3, 'failed', 'SQLITE_BUSY'],
      ]);
    } finally {
      release?.();
      reader.close();
    }
    expect(countRows(t.dbPath, "SELECT count(*) AS n FROM artifacts WHERE source_id = 'src-1'")).toBe(5);
    // The committed batch is on record; the failed ones could not be recorded while the lock was held elsewhere.
    const stored = (await (await fetch(`${t.url}/api/imports/${(await importing).body.importId}`)).json()) as ImportResponse;
    expect(stored.batches.filter((b) => b.status === 'committed').map((b) => b.index)).toEqual([0]);
    expect(stored.imported).toBe(5);
    const again = await postImport(t.url, 'src-1', entries);
    expect(again.status).toBe(200);
    expect(countRows(t.dbPath, "SELECT count(*) AS n FROM artifacts WHERE source_id = 'src-1'")).toBe(20);
  });
});
