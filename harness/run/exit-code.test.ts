import { describe, expect, it } from 'vitest';
import { recordedResults, withGatedFailure } from '../reports/testing.ts';
import { EXIT, exitCodeFor } from './run.ts';

describe('exitCodeFor', () => {
  it('is 0 when every gated profile passed, whatever the others measured', () => {
    expect(exitCodeFor(recordedResults(), false)).toBe(EXIT.pass);
  });

  it('is 1 when a gated criterion failed', () => {
    expect(exitCodeFor(withGatedFailure('lock-hold'), false)).toBe(EXIT.gateFailed);
  });

  it('is 3 when a profile could not run, gated or not', () => {
    const results = recordedResults();
    results.profiles[0]!.status = 'errored';
    expect(exitCodeFor(results, false)).toBe(EXIT.harnessFailed);
  });

  it('says interrupted on Ctrl-C', () => {
    expect(exitCodeFor(recordedResults(), true)).toBe(EXIT.interrupted);
  });
});
