import { describe, expect, it } from 'vitest';
import { RUN_WRITERS } from '../testing/writers.ts';
import { DEFAULT_WRITER_BUSY_TIMEOUT_MS, planWorkflowWriters } from './workflow-writers.ts';

describe('planWorkflowWriters', () => {
  it('keeps the rate, threads and bound it is given and fills the named defaults of the rest', () => {
    const options = planWorkflowWriters({ writesPerSecond: 7, threads: 3, maxInFlight: 9 });
    expect(options).toMatchObject({ writesPerSecond: 7, threads: 3, maxInFlight: 9, busyTimeoutMs: DEFAULT_WRITER_BUSY_TIMEOUT_MS });
    expect(options.workflowIds).toContain('wf-10');
    // Writes are due until the writers are stopped unless a duration is given.
    expect(options.durationMs).toBeNull();
    expect(planWorkflowWriters({ ...RUN_WRITERS, durationMs: 5_000 }).durationMs).toBe(5_000);
  });

  it('rejects a misspelled key by name', () => {
    expect(() => planWorkflowWriters({ ...RUN_WRITERS, writesPerSec: 5 } as never)).toThrow(/writesPerSec is not an option/);
    // The database file and the ids' prefix are the run's to name when it starts the writers.
    expect(() => planWorkflowWriters({ ...RUN_WRITERS, dbPath: 'x.db' } as never)).toThrow(/dbPath is not an option/);
  });

  it.each([
    [{ writesPerSecond: 0 }, /writesPerSecond must be a number > 0/],
    [{ threads: 1.5 }, /threads must be an integer/],
    [{ maxInFlight: 0 }, /maxInFlight must be an integer/],
    [{ busyTimeoutMs: -1 }, /busyTimeoutMs must be an integer >= 0/],
    [{ workflowIds: [] }, /workflowIds must name at least one/],
    [{ durationMs: -1 }, /durationMs must be an integer >= 0/],
  ])('names the option in the message: %o', (bad, message) => {
    expect(() => planWorkflowWriters({ ...RUN_WRITERS, ...bad })).toThrow(message);
  });
});
