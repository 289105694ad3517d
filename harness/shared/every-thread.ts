/**
 * Work that must run once on every thread of a pool (open a connection, close it): each task waits at a
 * barrier until all have started, so no thread takes two of them. Both the target's DB threads and the
 * workflow writers close their connections this way before their pool is destroyed, so no thread is
 * ever terminated inside a native SQLite call.
 */

/** Longest a thread waits at the barrier for the others, in milliseconds. */
export const BARRIER_TIMEOUT_MS = 30_000;

/** What a task for every thread carries: the shared counter and how many threads meet there. */
export interface BarrierTask {
  barrier: SharedArrayBuffer;
  parties: number;
}

/** Worker side: counts this thread in, then waits until every party has (at most {@link BARRIER_TIMEOUT_MS}). */
export function meetAtBarrier({ barrier, parties }: BarrierTask): void {
  const counter = new Int32Array(barrier);
  Atomics.add(counter, 0, 1);
  Atomics.notify(counter, 0);
  const deadline = Date.now() + BARRIER_TIMEOUT_MS;
  for (let seen = Atomics.load(counter, 0); seen < parties && Date.now() < deadline; seen = Atomics.load(counter, 0)) {
    Atomics.wait(counter, 0, seen, deadline - Date.now());
  }
}

/** Main side: runs the task `build` makes once on each of `threads` threads of `pool`. */
export function runOnEveryThread<T, R>(pool: { run(task: T): Promise<R> }, threads: number, build: (barrier: BarrierTask) => T): Promise<R[]> {
  const barrier: BarrierTask = { barrier: new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT), parties: threads };
  return Promise.all(Array.from({ length: threads }, () => pool.run(build(barrier))));
}
