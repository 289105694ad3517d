import { describe, expect, it } from 'vitest';
import { EXIT as RUN_EXIT, exitCodeFor } from '../../harness/run/run.ts';
import { recordedResults, withGatedFailure } from '../../harness/reports/testing.ts';
import { commanderExit, EXIT } from './exit.ts';

describe('EXIT', () => {
  it('keeps the codes of README "Gating CI"', () => {
    expect(EXIT).toMatchObject({ pass: 0, gateFailed: 1, badUsage: 2, harnessFailed: 3, interrupted: 130 });
  });

  // runScenario still returns a code of its own (RunOutcome.exitCode); the scripts pass it on, so it
  // must be this table's until the run returns only its outcome.
  it("agrees with the code the run returns for each outcome", () => {
    expect(RUN_EXIT).toEqual({ pass: EXIT.pass, gateFailed: EXIT.gateFailed, badUsage: EXIT.badUsage, harnessFailed: EXIT.harnessFailed, interrupted: EXIT.interrupted });
    expect(exitCodeFor(recordedResults(), false)).toBe(EXIT.pass);
    expect(exitCodeFor(withGatedFailure('lock-hold'), false)).toBe(EXIT.gateFailed);
    expect(exitCodeFor(recordedResults(), true)).toBe(EXIT.interrupted);
  });

  it("maps commander's own exit: 0 after --help, bad usage for any error", () => {
    expect(commanderExit(0)).toBe(EXIT.pass);
    expect(commanderExit(1)).toBe(EXIT.badUsage);
  });
});
