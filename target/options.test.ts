import { describe, expect, it } from 'vitest';
import { DEFAULT_TARGET_OPTIONS, OptionError, optionsFromEnv, resolveTargetOptions } from './options.ts';

describe('resolveTargetOptions', () => {
  it('fills every default', () => {
    expect(resolveTargetOptions({})).toEqual(DEFAULT_TARGET_OPTIONS);
    expect(DEFAULT_TARGET_OPTIONS).toMatchObject({ host: '127.0.0.1', importMode: 'batched', batchSize: 10, busyTimeoutMs: 10_000 });
  });

  it('rejects unknown keys, naming the known ones', () => {
    expect(() => resolveTargetOptions({ batchsize: 5 } as never)).toThrow(/unknown option "batchsize".*batchSize/);
  });

  it('rejects out-of-range values with the flag, the variable and what was expected', () => {
    expect(() => resolveTargetOptions({ batchSize: 0 })).toThrow(OptionError);
    expect(() => resolveTargetOptions({ batchSize: 0 })).toThrow('--batch-size (IMPORT_BATCH_SIZE) must be an integer >= 1, got 0');
    expect(() => resolveTargetOptions({ importMode: 'fast' as never })).toThrow('must be one of monolithic, batched, staged');
    expect(() => resolveTargetOptions({ prepareMs: -1 })).toThrow('--prepare-ms');
    expect(() => resolveTargetOptions({ port: 70000 })).toThrow('an integer from 0 to 65535');
  });
});

describe('optionsFromEnv', () => {
  it('reads the investigation variables, including IMPORT_BATCH_SIZE', () => {
    const input = optionsFromEnv({ IMPORT_BATCH_SIZE: '20', IMPORT_MODE: 'staged', BUSY_TIMEOUT_MS: '30000', SQLITE_SYNCHRONOUS: 'full' });
    expect(resolveTargetOptions(input)).toMatchObject({ batchSize: 20, importMode: 'staged', busyTimeoutMs: 30_000, synchronous: 'FULL' });
  });

  it('rejects text where a number is expected', () => {
    expect(() => optionsFromEnv({ DB_POOL_SIZE: 'eight' })).toThrow('--pool-size (DB_POOL_SIZE) must be an integer');
  });
});
