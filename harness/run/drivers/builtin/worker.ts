/**
 * The built-in driver's thread: runs a scenario description against the target and writes the samples
 * file and the summary. The load runs here, apart from the harness's main thread (workflow writers'
 * scheduling, the observer's control, progress), so neither delays the other's timeline.
 */
import type { MessagePort } from 'node:worker_threads';
import { maxConcurrency, peakRatePerSecond, type RequestKind } from '../../../../scenarios/lib/scenario.ts';
import { writeFileAtomic } from '../../../shared/atomic.ts';
import { loadTargetRoutes } from '../../../plan/targets/mapping.ts';
import { writeSamples } from '../samples.ts';
import { sqlStreamTimelines, workloadStreamIterations } from '../../workload/run.ts';
import { runDescription } from './engine.ts';
import { createHttpTransport, MAX_WARM_UP_REQUESTS, warmUpTransport } from './http.ts';
import type { BuiltinTask, BuiltinTaskResult, ParentMessage } from './protocol.ts';
import { builtinSummary } from './summary.ts';
import { createThreadClock } from './wake-thread.ts';

/** Quick requests a per-vu-iterations stream sends back to back (an import VU waits seconds for each answer). */
const BACK_TO_BACK_REQUESTS: ReadonlySet<RequestKind> = new Set(['catalogUpdate', 'artifactRead']);
/** Least requests of the warm-up. */
const MIN_WARM_UP_REQUESTS = 20;
/** The warm-up sends this many seconds' worth of the run's arrivals (within the bounds). */
const WARM_UP_SECONDS = 0.4;

/**
 * How many requests warm the transport up for `description`: a cold start delays the sends of its
 * first tens of ms, which matters where arrivals are a ms or two apart, not at the concurrent
 * scenario's 25 a second; a back-to-back stream sends as fast as it can, so it gets the most.
 */
export function warmUpRequests(description: BuiltinTask['description']): number {
  if (description.streams.some((s) => s.executor.type === 'per-vu-iterations' && BACK_TO_BACK_REQUESTS.has(s.request))) return MAX_WARM_UP_REQUESTS;
  const rate = description.streams.reduce((sum, s) => sum + peakRatePerSecond(s.executor), 0);
  return Math.min(MAX_WARM_UP_REQUESTS, Math.max(MIN_WARM_UP_REQUESTS, Math.ceil(rate * WARM_UP_SECONDS)));
}

/**
 * A rate stream's first arrivals that get a connection opened before t0, in seconds of its arrivals (at
 * least one, at most its maxVUs): those go out before any answer can free a connection.
 */
const RESERVE_SECONDS = 0.01;

/**
 * Connections to open before t0 for `description`'s first sends (connection-reserve.ts): one per VU of a
 * closed-model stream (per-vu-iterations, constant-vus), whose first sends all go out at once, and a few
 * per rate stream. A stream that starts later gets none: by then connections are in the pool, and one
 * opened for it would wait idle on the target.
 */
export function reservedConnections(description: BuiltinTask['description']): number {
  return description.streams.reduce(
    (sum, s) =>
      sum +
      ((s.startTimeMs ?? 0) > 0
        ? 0
        : s.executor.type === 'per-vu-iterations' || s.executor.type === 'constant-vus'
          ? s.executor.vus
          : Math.min(s.executor.maxVUs, Math.max(1, Math.ceil(peakRatePerSecond(s.executor) * RESERVE_SECONDS)))),
    0,
  );
}

/** How often progress is posted, in ms. */
const PROGRESS_EVERY_MS = 500;

export default async function run(task: BuiltinTask): Promise<BuiltinTaskResult> {
  const { description, port } = task;
  const abort = new AbortController();
  (port as MessagePort).on('message', (message: ParentMessage) => {
    if (message.type === 'abort') abort.abort();
  });
  const connections = description.streams.reduce((sum, s) => sum + maxConcurrency(s.executor), 0);
  const transport = createHttpTransport(task.baseUrl, connections, { reserve: reservedConnections(description) });
  const clock = createThreadClock();
  let lastProgress = 0;
  try {
    const routes = task.target ? await loadTargetRoutes(task.target) : undefined;
    await warmUpTransport(warmUpRequests(description));
    // Connected and awake before t0, so that the first arrivals are not sent late.
    await Promise.all([transport.ready(), clock.ready()]);
    const result = await runDescription(description, {
      transport,
      ...(task.workload ? { workload: workloadStreamIterations(task.workload.workload), sqlStreams: sqlStreamTimelines(task.workload.workload) } : {}),
      ...(routes ? { routes } : {}),
      clock,
      signal: abort.signal,
      onStart: (startedAtMs) => port.postMessage({ type: 'started', startedAtMs }),
      onStreamEnd: (stream, endedAtMs) => port.postMessage({ type: 'stream-ended', stream, endedAtMs }),
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
    if (task.workload) await writeFileAtomic(task.workload.answersPath, `${JSON.stringify(result.classified)}\n`);
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
