import { describe, expect, it } from 'vitest';
import { UsageError } from '../shared/usage-error.ts';
import { checkBaselineCompare } from './baseline.ts';

describe('checkBaselineCompare', () => {
  it('refuses a negative tolerance, naming the flag', () => {
    expect(() => checkBaselineCompare({ tolerance: -0.1 })).toThrow(/--tolerance must be a share >= 0/);
    expect(() => checkBaselineCompare({ tolerance: Number.NaN })).toThrow(UsageError);
    try {
      checkBaselineCompare({ tolerance: -1 });
      expect.unreachable('a negative tolerance must be refused');
    } catch (err) {
      expect((err as UsageError).flag).toBe('--tolerance');
    }
  });

  it('refuses an alpha outside (0, 1)', () => {
    expect(() => checkBaselineCompare({ alpha: 0 })).toThrow('alpha must be between 0 and 1, got 0');
    expect(() => checkBaselineCompare({ alpha: 1 })).toThrow(UsageError);
  });

  it('takes a tolerance of 0 or more and an alpha between 0 and 1', () => {
    expect(() => checkBaselineCompare({ tolerance: 0, alpha: 0.05 })).not.toThrow();
    expect(() => checkBaselineCompare({ tolerance: 2.5 })).not.toThrow();
    expect(() => checkBaselineCompare({})).not.toThrow();
  });
});
