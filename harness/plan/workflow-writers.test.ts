import { describe, expect, it } from 'vitest';
import { DEFAULT_WRITES_PER_SECOND, DEFAULT_WRITER_THREADS, resolveWorkflowWriterOptions } from './workflow-writers.ts';

describe('resolveWorkflowWriterOptions', () => {
  it('fills the named defaults', () => {
    const options = resolveWorkflowWriterOptions({ dbPath: 'x.db' });
    expect(options.writesPerSecond).toBe(DEFAULT_WRITES_PER_SECOND);
    expect(options.threads).toBe(DEFAULT_WRITER_THREADS);
    expect(options.workflowIds).toContain('wf-10');
  });

  it('rejects a misspelled key by name', () => {
    expect(() => resolveWorkflowWriterOptions({ dbPath: 'x.db', writesPerSec: 5 } as never)).toThrow(/writesPerSec is not an option/);
  });

  it.each([
    [{ writesPerSecond: 0 }, /writesPerSecond must be a number > 0/],
    [{ threads: 1.5 }, /threads must be an integer/],
    [{ maxInFlight: 0 }, /maxInFlight must be an integer/],
    [{ busyTimeoutMs: -1 }, /busyTimeoutMs must be an integer >= 0/],
    [{ workflowIds: [] }, /workflowIds must name at least one/],
  ])('names the option in the message: %o', (bad, message) => {
    expect(() => resolveWorkflowWriterOptions({ dbPath: 'x.db', ...bad })).toThrow(message);
  });
});
