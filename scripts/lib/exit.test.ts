import { describe, expect, it } from 'vitest';
import { runVerdict } from '../../harness/run/run.ts';
import { recordedResults, withGatedFailure } from '../../harness/reports/testing.ts';
import { commanderExit, EXIT, RUN_VERDICT_EXIT } from './exit.ts';

describe('EXIT', () => {
  it('keeps the codes of README "Gating CI"', () => {
    expect(EXIT).toMatchObject({ pass: 0, gateFailed: 1, badUsage: 2, harnessFailed: 3, interrupted: 130 });
  });

  // The run returns a verdict; this table alone gives it its code.
  it('gives each verdict of a run its code of README "Gating CI"', () => {
    expect(RUN_VERDICT_EXIT).toEqual({ pass: 0, 'gate-failed': 1, 'harness-failed': 3, interrupted: 130 });
    expect(RUN_VERDICT_EXIT[runVerdict(recordedResults(), false)]).toBe(EXIT.pass);
    expect(RUN_VERDICT_EXIT[runVerdict(withGatedFailure('lock-hold'), false)]).toBe(EXIT.gateFailed);
    expect(RUN_VERDICT_EXIT[runVerdict(recordedResults(), true)]).toBe(EXIT.interrupted);
  });

  it("maps commander's own exit: 0 after --help, bad usage for any error", () => {
    expect(commanderExit(0)).toBe(EXIT.pass);
    expect(commanderExit(1)).toBe(EXIT.badUsage);
  });
});
