/**
 * The built-in driver's thread: runs a scenario description against the target and writes the samples
 * file and the summary. The load runs here, apart from the harness's main thread (workflow writers'
 * scheduling, the observer's control, progress), so neither delays the other's timeline.
 */
import type { MessagePort } from 'node:worker_threads';
import { writeFileAtomic } from '../../fs/atomic.ts';
import { loadTargetRoutes } from '../../targets/mapping.ts';
import { writeSamples } from '../samples.ts';
import { runDescription } from './engine.ts';
import { createHttpTransport, warmUpTransport } from './http.ts';
import type { BuiltinTask, BuiltinTaskResult, ParentMessage } from './protocol.ts';
import { builtinSummary } from './summary.ts';
import { createThreadClock } from './wake-thread.ts';

/** How often progress is posted, in ms. */
const PROGRESS_EVERY_MS = 500;

export default async function run(task: BuiltinTask): Promise<BuiltinTaskResult> {
  const { description, port } = task;
  const abort = new AbortController();
  (port as MessagePort).on('message', (message: ParentMessage) => {
    if (message.type === 'abort') abort.abort();
  });
  const connections = description.streams.reduce(
    (sum, s) => sum + (s.executor.type === 'per-vu-iterations' ? s.executor.vus : s.executor.maxVUs),
    0,
  );
  const transport = createHttpTransport(task.baseUrl, connections);
  const clock = createThreadClock();
  let lastProgress = 0;
  try {
    const routes = task.target ? await loadTargetRoutes(task.target) : undefined;
    await warmUpTransport();
    const result = await runDescription(description, {
      transport,
      ...(routes ? { routes } : {}),
      clock,
      signal: abort.signal,
      onChange: ({ streams, inFlight }) => {
        const now = clock.now();
        if (now - lastProgress < PROGRESS_EVERY_MS) return;
        lastProgress = now;
        port.postMessage({
          type: 'progress',
          progress: {
            done: Object.fromEntries(Object.entries(streams).map(([name, c]) => [name, c.completed])),
            inFlight,
            dropped: Object.values(streams).reduce((sum, c) => sum + c.dropped, 0),
          },
        });
      },
    });
    const summary = builtinSummary(description, result);
    await writeSamples(task.samplesPath, result.samples);
    await writeFileAtomic(task.summaryPath, `${JSON.stringify({ driver: 'builtin', streams: result.streams, lockbench: summary }, null, 2)}\n`);
    return { ok: true, summary, startedAtMs: result.startedAtMs, endedAtMs: result.endedAtMs, aborted: result.aborted };
  } catch (err) {
    return { ok: false, message: err instanceof Error ? (err.stack ?? err.message) : String(err) };
  } finally {
    await clock.close();
    await transport.close();
    port.close();
  }
}
