/**
 * The cross-check of the write lock seen from outside with what its holders reported, as the reports name
 * it: its id, its description and the bound it applies (./lock-comparison.ts words its figures).
 */
import { defaultToleranceMs } from '../model/lock-tolerance.ts';
import type { LocksObserved, RunProfiles } from '../model/results.ts';

/** The cross-check's row id in the criteria table and its JUnit test case. */
export const CROSS_CHECK_ID = 'lock-cross-check';

export const CROSS_CHECK_DESCRIPTION = 'Write-lock figures observed from outside and self-reported by the holders agree';

/** `within 5 ms of what each hold's own sample gaps allow`: the bound the cross-check applies. */
export function crossCheckBound(results: RunProfiles): string {
  const observed = results.profiles.map((p) => p.observed).find((o): o is LocksObserved => o?.status === 'observed');
  return `within ${observed?.comparison.toleranceMs ?? defaultToleranceMs} ms of what each hold's own sample gaps allow`;
}
