import { describe, expect, it } from 'vitest';
import { ObserveError } from './errors.ts';
import { defaultIntervalUs } from '../../plan/observer-interval.ts';
import { resolveObserveOptions } from './options.ts';
import { lockAbis, resolveLockAbi } from './platform.ts';

describe('observer options', () => {
  it('applies the defaults and makes the path absolute', () => {
    const resolved = resolveObserveOptions({ dbPath: 'x.db' });
    expect(resolved).toMatchObject({ intervalUs: defaultIntervalUs, durationMs: null });
    expect(resolved.dbPath.startsWith('/')).toBe(true);
  });

  it.each([
    [{ dbPath: 'x.db', intervalUs: 5 }, /intervalUs must be/],
    [{ dbPath: 'x.db', durationMs: -1 }, /durationMs must be/],
    [{ dbPath: '' }, /dbPath must be/],
    [{ dbPath: 'x.db', intervalMs: 1 } as never, /unknown option "intervalMs"/],
  ])('rejects %j naming the option', (input, message) => {
    expect(() => resolveObserveOptions(input)).toThrow(message);
    expect(() => resolveObserveOptions(input)).toThrow(ObserveError);
  });
});

describe('platform ABI', () => {
  it('knows Linux x86_64 and arm64, with the 32-byte struct flock of both', () => {
    expect([...lockAbis.keys()]).toEqual(['linux-x64', 'linux-arm64']);
    expect(resolveLockAbi('linux', 'arm64')).toMatchObject({ flockSize: 32, F_WRLCK: 1, F_UNLCK: 2 });
  });

  it('refuses any other platform with a clear error', () => {
    let error: unknown;
    try {
      resolveLockAbi('darwin', 'arm64');
    } catch (err) {
      error = err;
    }
    expect(error).toMatchObject({ code: 'UNSUPPORTED_PLATFORM', message: expect.stringContaining('darwin-arm64') });
  });
});
