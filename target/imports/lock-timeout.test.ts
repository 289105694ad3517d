import { afterEach, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { countRows, makeEntries, startTarget, type ImportResponse, type TestTarget } from '../testing/support.ts';

let t: TestTarget | undefined;
afterEach(() => t?.close());

it('answers 503 with Retry-After when the write lock cannot be had within the busy timeout, writing nothing', async () => {
  t = await startTarget({ busyTimeoutMs: 200, prepareMs: 0 });
  const blocker = new Database(t.dbPath);
  blocker.exec('BEGIN IMMEDIATE');
  try {
    const res = await fetch(`${t.url}/api/marketplace/sources/src-1/import`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ entries: makeEntries(5) }),
    });
    expect(res.status).toBe(503);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    const body = (await res.json()) as ImportResponse;
    expect(body).toMatchObject({ status: 'failed', imported: 0 });
    expect(body.batches[0]?.error?.code).toBe('SQLITE_BUSY');

    const catalog = await fetch(`${t.url}/api/marketplace/catalog/1`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: '{"status":"draft"}' });
    expect(catalog.status).toBe(503);
    expect(await catalog.json()).toMatchObject({ error: { code: 'SQLITE_BUSY' } });

    const locks = (await (await fetch(`${t.url}/api/health/locks`)).json()) as { busyErrors: Record<string, number> };
    expect(locks.busyErrors.SQLITE_BUSY).toBeGreaterThanOrEqual(2);
    const metrics = await (await fetch(`${t.url}/metrics`)).text();
    expect(metrics).toMatch(/lockbench_busy_errors_total\{code="SQLITE_BUSY"\} [1-9]/);
  } finally {
    blocker.exec('ROLLBACK');
    blocker.close();
  }
  expect(countRows(t.dbPath, 'SELECT count(*) AS n FROM artifacts')).toBe(0);
});
