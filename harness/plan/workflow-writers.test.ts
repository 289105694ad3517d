import { describe, expect, it } from 'vitest';
import { RUN_WRITERS } from '../testing/writers.ts';
import { DEFAULT_WRITER_BUSY_TIMEOUT_MS, resolveWorkflowWriterOptions } from './workflow-writers.ts';

describe('resolveWorkflowWriterOptions', () => {
  it('keeps the rate, threads and bound it is given and fills the named defaults of the rest', () => {
    const options = resolveWorkflowWriterOptions({ dbPath: 'x.db', writesPerSecond: 7, threads: 3, maxInFlight: 9 });
    expect(options).toMatchObject({ writesPerSecond: 7, threads: 3, maxInFlight: 9, busyTimeoutMs: DEFAULT_WRITER_BUSY_TIMEOUT_MS });
    expect(options.workflowIds).toContain('wf-10');
  });

  it('rejects a misspelled key by name', () => {
    expect(() => resolveWorkflowWriterOptions({ dbPath: 'x.db', ...RUN_WRITERS, writesPerSec: 5 } as never)).toThrow(/writesPerSec is not an option/);
  });

  it.each([
    [{ writesPerSecond: 0 }, /writesPerSecond must be a number > 0/],
    [{ threads: 1.5 }, /threads must be an integer/],
    [{ maxInFlight: 0 }, /maxInFlight must be an integer/],
    [{ busyTimeoutMs: -1 }, /busyTimeoutMs must be an integer >= 0/],
    [{ workflowIds: [] }, /workflowIds must name at least one/],
  ])('names the option in the message: %o', (bad, message) => {
    expect(() => resolveWorkflowWriterOptions({ dbPath: 'x.db', ...RUN_WRITERS, ...bad })).toThrow(message);
  });
});
