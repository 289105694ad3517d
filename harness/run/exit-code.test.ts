import { describe, expect, it } from 'vitest';
import { recordedResults, withGatedFailure } from '../reports/testing.ts';
import { EXIT, RUN_VERDICT_EXIT } from '../../scripts/lib/exit.ts';
import { runVerdict } from './run.ts';

describe('runVerdict, and the exit code the scripts give it', () => {
  it('is pass (0) when every gated profile passed, whatever the others measured', () => {
    expect(runVerdict(recordedResults(), false)).toBe('pass');
    expect(RUN_VERDICT_EXIT[runVerdict(recordedResults(), false)]).toBe(EXIT.pass);
  });

  it('is gate-failed (1) when a gated criterion failed', () => {
    expect(runVerdict(withGatedFailure('lock-hold'), false)).toBe('gate-failed');
    expect(RUN_VERDICT_EXIT[runVerdict(withGatedFailure('lock-hold'), false)]).toBe(EXIT.gateFailed);
  });

  it('is harness-failed (3) when a profile could not run, gated or not', () => {
    const results = recordedResults();
    results.profiles[0]!.status = 'errored';
    expect(runVerdict(results, false)).toBe('harness-failed');
    expect(RUN_VERDICT_EXIT[runVerdict(results, false)]).toBe(EXIT.harnessFailed);
  });

  it('says interrupted (130) on Ctrl-C', () => {
    expect(runVerdict(recordedResults(), true)).toBe('interrupted');
    expect(RUN_VERDICT_EXIT[runVerdict(recordedResults(), true)]).toBe(EXIT.interrupted);
  });
});
