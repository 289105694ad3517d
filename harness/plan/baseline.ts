/**
 * What a comparison with a baseline is asked: `--tolerance` and the rank test's alpha, checked with the
 * other flags before anything runs, so a bad value stops the command (exit 2) instead of a finished run.
 * harness/analyze/baseline.ts compares with the values it is given.
 */
import { UsageError } from '../shared/usage-error.ts';

export interface BaselineCompareAsked {
  /** The smallest change that counts, as a share of the baseline's median (0.1 = 10 %). */
  tolerance?: number;
  /** Significance level of the rank test, between 0 and 1. */
  alpha?: number;
}

/** Refuses a tolerance below 0 or an alpha outside (0, 1), naming the flag; a value not given is not checked. */
export function checkBaselineCompare({ tolerance, alpha }: BaselineCompareAsked): void {
  if (tolerance !== undefined && !(tolerance >= 0)) throw new UsageError(`--tolerance must be a share >= 0 (0.1 = 10 %), got ${tolerance}`, '--tolerance');
  if (alpha !== undefined && !(alpha > 0 && alpha < 1)) throw new UsageError(`alpha must be between 0 and 1, got ${alpha}`, 'alpha');
}
