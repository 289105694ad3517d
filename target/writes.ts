import type { Executor } from './executor/executor.ts';
import type { WriteScheduler } from './scheduler.ts';
import type { LockRecorder } from './locks/recorder.ts';
import { writeKindOf, type WriteOutcome, type WriteTask } from './db/tasks.ts';

/** A finished write, with the lock wait as the caller experienced it (own write queue included). */
export type ScheduledWrite = WriteOutcome & { lockWaitMs: number };

/**
 * The one path every write of the target takes: wait for its turn (write scheduler), run on the
 * executor, record lock wait and hold.
 */
export class WritePath {
  constructor(
    private readonly executor: Executor,
    private readonly scheduler: WriteScheduler,
    private readonly recorder: LockRecorder,
  ) {}

  async write(task: WriteTask, requestId: string): Promise<ScheduledWrite> {
    const { value: outcome, queuedMs } = await this.scheduler.schedule(() => this.executor.write(task));
    this.recorder.record({
      kind: writeKindOf(task),
      requestId,
      timing: outcome.timing,
      queuedMs,
      ...(outcome.ok ? {} : { failure: outcome.failure }),
    });
    return { ...outcome, lockWaitMs: queuedMs + outcome.timing.waitMs };
  }
}
