import type { ObserveProgress } from '../../../model/lock-observation.ts';

/** Progress reports as they arrive, and a way to wait for one that says something. */
export function progressFeed() {
  const waiting: Array<{ test: (p: ObserveProgress) => boolean; resolve: (p: ObserveProgress) => void }> = [];
  return {
    onProgress(progress: ObserveProgress) {
      for (const w of waiting.filter((w) => w.test(progress))) {
        waiting.splice(waiting.indexOf(w), 1);
        w.resolve(progress);
      }
    },
    until(test: (p: ObserveProgress) => boolean): Promise<ObserveProgress> {
      return new Promise((resolve) => waiting.push({ test, resolve }));
    },
  };
}
