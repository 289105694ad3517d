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

  it('reads numbers in decimal digits only: 0x10, 1e3 and 0b1 are not read as 16, 1000 and 1', () => {
    for (const text of ['0x10', '1e3', '0b1', 'Infinity', '1_000']) {
      expect(() => optionsFromEnv({ PORT: text }), text).toThrow(`--port (PORT) must be an integer from 0 to 65535, got "${text}"`);
    }
    expect(() => optionsFromEnv({ IMPORT_BATCH_SIZE: '1.5' })).toThrow('--batch-size (IMPORT_BATCH_SIZE) must be an integer >= 1');
    expect(optionsFromEnv({ ARTIFACT_PREPARE_MS: '0.5', PORT: ' 8080 ' })).toEqual({ prepareMs: 0.5, port: 8080 });
  });

  it('reads the body and entry limits', () => {
    const input = optionsFromEnv({ MAX_BODY_BYTES: '65536', MAX_IMPORT_ENTRIES: '100' });
    expect(resolveTargetOptions(input)).toMatchObject({ maxBodyBytes: 65_536, maxImportEntries: 100 });
    expect(() => resolveTargetOptions({ maxImportEntries: 0 })).toThrow('--max-import-entries (MAX_IMPORT_ENTRIES) must be an integer >= 1, got 0');
  });
});
