/** Wall-clock time in epoch milliseconds with sub-millisecond resolution, comparable across threads and processes. */
export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}
