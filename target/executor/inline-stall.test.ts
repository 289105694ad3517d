import { afterEach, describe, expect, it } from 'vitest';
import { makeEntries, postImport, spawnTarget, timed, type SpawnedTarget } from '../testing/support.ts';

let t: SpawnedTarget | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

/** Polls GET /api/health every 20 ms while one monolithic import runs; returns the slowest answer and the hold. */
async function healthDuringImport(executor: 'inline' | 'pool') {
  t = await spawnTarget(['--executor', executor, '--import-mode', 'monolithic', '--prepare-ms', '3', '--write-ms', '0']);
  const url = t.url;
  const importing = postImport(url, 'src-1', makeEntries(100));
  const latencies: number[] = [];
  let done = false;
  void importing.finally(() => (done = true));
  while (!done) {
    const { value, ms } = await timed(() => fetch(`${url}/api/health`));
    expect(value.status).toBe(200);
    await value.body?.cancel();
    latencies.push(ms);
    await new Promise((r) => setTimeout(r, 20));
  }
  const { body } = await importing;
  expect(body.status).toBe('completed');
  return { slowestMs: Math.max(...latencies), holdMs: body.maxLockHoldMs };
}

describe('executor', () => {
  it('inline: the event loop is stuck inside the transaction, so /api/health waits for the lock holder', async () => {
    const { slowestMs, holdMs } = await healthDuringImport('inline');
    expect(holdMs).toBeGreaterThan(250);
    expect(slowestMs).toBeGreaterThan(holdMs * 0.5);
  });

  it('pool: the transaction runs on a DB worker, so /api/health answers at once', async () => {
    const { slowestMs, holdMs } = await healthDuringImport('pool');
    expect(holdMs).toBeGreaterThan(250);
    expect(slowestMs).toBeLessThan(holdMs * 0.25);
  });
});
