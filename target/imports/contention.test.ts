/**
 * The investigation's integration tests, against the real server: what an import does to other writers
 * under each mode. Figures are compared as ratios so a busy machine does not decide the outcome.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { TargetOptionsInput } from '../options.ts';
import { makeEntries, postImport, startTarget, timed, type TestTarget } from '../testing/support.ts';

let t: TestTarget | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

/** Per-artifact preparation small enough for a quick test, large enough to dominate the write. */
const PREPARE_MS = 4;
const SOURCES = ['src-1', 'src-2', 'src-3', 'src-4', 'src-5'];

async function importAll(url: string, count: number) {
  return Promise.all(SOURCES.slice(0, count).map((s) => postImport(url, s, makeEntries(100, s))));
}

/** Issues `send` every `everyMs` until `until` settles; returns each call's latency. */
async function during(until: Promise<unknown>, everyMs: number, send: () => Promise<Response>): Promise<number[]> {
  const latencies: Promise<number>[] = [];
  let done = false;
  void until.finally(() => (done = true));
  while (!done) {
    latencies.push(
      timed(send).then(async ({ value, ms }) => {
        expect(value.ok, `${value.status} ${await value.text()}`).toBe(true);
        return ms;
      }),
    );
    await new Promise((r) => setTimeout(r, everyMs));
  }
  return Promise.all(latencies);
}

const patchCatalog = (url: string, id: number) => () =>
  fetch(`${url}/api/marketplace/catalog/${id}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: '{"status":"draft"}' });

async function catalogDuringImports(options: TargetOptionsInput) {
  t = await startTarget({ prepareMs: PREPARE_MS, writeMs: 0, ...options });
  const imports = timed(() => importAll(t!.url, 5));
  const latencies = await during(imports, 20, patchCatalog(t.url, 7));
  const { value: results, ms: wallMs } = await imports;
  for (const r of results) expect(r.body.status).toBe('completed');
  return { latencies, wallMs, maxHoldMs: Math.max(...results.map((r) => r.body.maxLockHoldMs)) };
}

describe('an import does not block catalog updates', () => {
  it('staged: a catalog update waits for at most a few short batches', async () => {
    const { latencies, wallMs } = await catalogDuringImports({ importMode: 'staged', scheduler: 'fifo' });
    expect(latencies.length).toBeGreaterThan(5);
    expect(Math.max(...latencies)).toBeLessThan(wallMs / 4);
  });

  it('batched with the fifo scheduler: a catalog update waits behind at most one batch per importer', async () => {
    const { latencies, wallMs, maxHoldMs } = await catalogDuringImports({ importMode: 'batched', scheduler: 'fifo' });
    expect(Math.max(...latencies)).toBeLessThan(wallMs / 3);
    // Five importers each hold one batch ahead of the update at most (plus slack for a busy machine).
    expect(Math.max(...latencies)).toBeLessThan(5 * maxHoldMs * 1.5 + 100);
  });

  it('monolithic: a catalog update waits for whole imports (the problem being reproduced)', async () => {
    const { latencies, maxHoldMs } = await catalogDuringImports({ importMode: 'monolithic' });
    expect(Math.max(...latencies)).toBeGreaterThan(maxHoldMs * 0.8);
  });
});

describe('5 concurrent imports of 100', () => {
  it('staged: complete in about the time of one, not five', async () => {
    t = await startTarget({ importMode: 'staged', scheduler: 'fifo', prepareMs: PREPARE_MS, writeMs: 0 });
    const one = await timed(() => importAll(t!.url, 1));
    const five = await timed(() => importAll(t!.url, 5));
    expect(five.value.every((r) => r.body.status === 'completed')).toBe(true);
    expect(five.ms / one.ms).toBeLessThan(2);
  });

  it('monolithic: take about five times one import, because each holds the lock throughout', async () => {
    t = await startTarget({ importMode: 'monolithic', prepareMs: PREPARE_MS, writeMs: 0 });
    const one = await timed(() => importAll(t!.url, 1));
    const five = await timed(() => importAll(t!.url, 5));
    expect(five.value.every((r) => r.body.status === 'completed')).toBe(true);
    const ratio = five.ms / one.ms;
    expect(ratio).toBeGreaterThan(3.5);
    expect(ratio).toBeLessThan(7);
    // Each import's hold is about the whole of one import.
    expect(Math.min(...five.value.map((r) => r.body.maxLockHoldMs))).toBeGreaterThan(one.ms * 0.6);
  });
});

describe('a workflow execution is not blocked by an import', () => {
  it('staged: executions are created and advanced while five imports run', async () => {
    t = await startTarget({ importMode: 'staged', scheduler: 'fifo', prepareMs: PREPARE_MS, writeMs: 0 });
    const imports = timed(() => importAll(t!.url, 5));
    const url = t.url;
    let step = 0;
    const latencies = await during(imports, 25, async () => {
      const created = await fetch(`${url}/api/workflows/wf-1/executions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      if (!created.ok) return created;
      const { id } = (await created.json()) as { id: string };
      return fetch(`${url}/api/workflow-executions/${id}/steps/${step++ % 3}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: '{"status":"succeeded"}' });
    });
    const { ms: wallMs } = await imports;
    expect(latencies.length).toBeGreaterThan(5);
    expect(Math.max(...latencies)).toBeLessThan(wallMs / 4);
  });
});
