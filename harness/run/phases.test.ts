/** The watch on a started target: the first exit is the one a trial names, and it stops the load. */
import { describe, expect, it } from 'vitest';
import { TargetExitWatch } from './phases.ts';

describe('TargetExitWatch', () => {
  it('says nothing and aborts nothing while the target runs', () => {
    const watch = new TargetExitWatch();
    expect(watch.reason).toBeUndefined();
    expect(watch.signal.aborted).toBe(false);
  });

  it('keeps the first reason and aborts the load under the target', () => {
    const watch = new TargetExitWatch();
    watch.exited('the target exited during the run (code 1, signal null)');
    watch.exited('the target exited during the run (code null, signal SIGKILL)');
    expect(watch.reason).toBe('the target exited during the run (code 1, signal null)');
    expect(watch.signal.aborted).toBe(true);
  });
});
