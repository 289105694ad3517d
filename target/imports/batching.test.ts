import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TargetLockSpan } from '../locks/recorder.ts';
import { countRows, makeEntries, postImport, startTarget, type ImportResponse, type TestTarget } from '../testing/support.ts';

let t: TestTarget;
beforeEach(async () => {
  t = await startTarget({ importMode: 'batched', batchSize: 10, prepareMs: 1, writeMs: 0 });
});
afterEach(() => t.close());

const artifactsOf = (sourceId: string) => countRows(t.dbPath, 'SELECT count(*) AS n FROM artifacts WHERE source_id = ?', sourceId);

describe('batched import', () => {
  it('writes 100 entries as 10 transactions of 10, each holding the lock for a fraction of the import', async () => {
    const { status, body } = await postImport(t.url, 'src-1', makeEntries(100));
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 'completed', requested: 100, imported: 100, failed: 0 });
    expect(body.batches.map((b) => [b.index, b.size, b.status])).toEqual(Array.from({ length: 10 }, (_, i) => [i, 10, 'committed']));
    // Each batch is a transaction of its own: the lock is let go between one batch and the next.
    const { spans } = (await (await fetch(`${t.url}/api/health/locks`)).json()) as { spans: TargetLockSpan[] };
    const holds = spans.filter((s) => s.kind === 'import-batch' && s.requestId === body.importId).sort((a, b) => a.startMs - b.startMs);
    expect(holds).toHaveLength(10);
    for (const [i, hold] of holds.entries()) if (i > 0) expect(hold.startMs).toBeGreaterThan(holds[i - 1]!.endMs);
    expect(artifactsOf('src-1')).toBe(100);
    expect(countRows(t.dbPath, 'SELECT count(*) AS n FROM collection_artifacts')).toBe(100);
    expect(countRows(t.dbPath, 'SELECT count(*) AS n FROM composite_children')).toBe(30);
    const stored = (await (await fetch(`${t.url}/api/imports/${body.importId}`)).json()) as ImportResponse;
    expect(stored).toMatchObject({ importId: body.importId, status: 'completed', imported: 100, failed: 0 });
    expect(stored.batches).toHaveLength(10);
  });

  it('keeps the batches before a failed one: the failure rolls back only its own batch', async () => {
    const entries = makeEntries(100);
    const { status, body } = await postImport(t.url, 'src-2', entries, '?failBatches=3');
    expect(status).toBe(207);
    expect(body).toMatchObject({ status: 'partial', imported: 90, failed: 10 });
    expect(body.batches[3]).toMatchObject({ status: 'failed', error: { code: 'INJECTED_FAULT' } });
    expect(body.batches.filter((b) => b.status === 'committed')).toHaveLength(9);
    expect(artifactsOf('src-2')).toBe(90);
    // The failed batch had written 5 rows before the fault; none of them survived.
    const failedIds = entries.slice(30, 40).map((e) => e.externalId);
    expect(countRows(t.dbPath, `SELECT count(*) AS n FROM artifacts WHERE external_id IN (${failedIds.map(() => '?').join(',')})`, ...failedIds)).toBe(0);
  });

  it('reports a partial import batch by batch, and re-posting completes it without duplicates', async () => {
    const entries = makeEntries(100);
    const first = await postImport(t.url, 'src-3', entries, '?failBatches=2,7');
    expect(first.status).toBe(207);
    expect(first.body.batches.filter((b) => b.status === 'failed').map((b) => b.index)).toEqual([2, 7]);
    const stored = (await (await fetch(`${t.url}/api/imports/${first.body.importId}`)).json()) as ImportResponse;
    expect(stored).toMatchObject({ status: 'partial', imported: 80, failed: 20 });
    expect(stored.batches.filter((b) => b.status === 'failed').map((b) => b.index)).toEqual([2, 7]);

    const again = await postImport(t.url, 'src-3', entries);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ status: 'completed', imported: 100 });
    expect(artifactsOf('src-3')).toBe(100);
    expect(countRows(t.dbPath, 'SELECT count(*) AS n FROM collection_artifacts')).toBe(100);
    expect(countRows(t.dbPath, 'SELECT count(*) AS n FROM composite_children')).toBe(30);
  });

  it('fails an import whose only transaction fails, and answers 500 when it was not a lock timeout', async () => {
    const { status, body } = await postImport(t.url, 'src-4', makeEntries(20), '?mode=monolithic&failBatches=0');
    expect(status).toBe(500);
    expect(body).toMatchObject({ status: 'failed', imported: 0, failed: 20 });
    expect(artifactsOf('src-4')).toBe(0);
  });
});
