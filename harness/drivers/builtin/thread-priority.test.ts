/** The driver's threads raise their priority where the OS allows it, and only their own. */
import { fork } from 'node:child_process';
import { getPriority } from 'node:os';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { execArgvFor } from '../../entry-points.ts';
import { threadId } from './thread-priority.ts';

const PROBE = fileURLToPath(new URL('./fixtures/thread-priority-probe.ts', import.meta.url));

describe('raiseThreadPriority', () => {
  it.runIf(threadId() !== null)("sets the calling thread's nice value, which the threads it starts inherit, or says it could not", async () => {
    const mine = getPriority(threadId()!);
    const child = fork(PROBE, [], { execArgv: execArgvFor(PROBE, []) });
    try {
      const result = await new Promise<{ before: number; applied: number | null; after: number; inherited: number }>((resolve, reject) => {
        child.once('message', (m) => resolve(m as never));
        child.once('error', reject);
      });
      if (result.applied === null) expect(result.after).toBe(result.before);
      else expect([result.applied, result.after, result.inherited]).toEqual([-5, -5, -5]);
    } finally {
      child.kill();
    }
    // Only that process's thread: this one is as it was.
    expect(getPriority(threadId()!)).toBe(mine);
  });
});
