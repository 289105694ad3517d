/**
 * Interrupts at random times across a whole run (from the moment it has announced its report folder,
 * when its signal handlers are in place), SIGINT or SIGTERM to the process group, so a race that hits
 * one try in three cannot hide behind fixed points. The times come from a seeded generator whose seed
 * is printed in every test name: LOCKBENCH_INTERRUPT_SEED=<seed> replays a failure, and
 * LOCKBENCH_INTERRUPT_RANDOM=<n> sets how many times are drawn (default 20).
 * A signal that arrives after the measuring ended may leave a complete report and the gate's exit code
 * (0 or 1); anything else must be exit 130 with a report marked incomplete. Nothing may be left either way.
 */
import { describe, expect, it } from 'vitest';
import { defaultSeed, seededRandom } from '../harness/plan/sweep.ts';
import { problemsAfter, runAndInterrupt } from '../harness/testing/interrupt.ts';
import { tempDirPerTest } from '../harness/testing/temp-dir.ts';

const RUN = ['--imports', '2', '--artifacts', '20', '--tail', '200ms'];
const COUNT = Number(process.env.LOCKBENCH_INTERRUPT_RANDOM ?? 20);
const SEED = Number(process.env.LOCKBENCH_INTERRUPT_SEED ?? defaultSeed());
/** Per case: one run and its checks, on 2 busy cores. */
const CASE_TIMEOUT_MS = 120_000;
/** A line no run prints: the reference run goes to its end. */
const NEVER = '\u0000';

const reportDir = tempDirPerTest('lockbench-interrupt-random-');

describe(`interrupts at random times (seed ${SEED}, ${COUNT} draws)`, () => {
  // The run's length from its report folder line to its exit, measured by running it once to the end.
  let runMs = 0;

  it('a run left alone ends with a complete report and nothing running', { timeout: CASE_TIMEOUT_MS }, async () => {
    const started = performance.now();
    const run = await runAndInterrupt('scenario-concurrent', RUN, { line: NEVER }, 'SIGINT', reportDir.path);
    runMs = performance.now() - started;
    const problems = await problemsAfter(run);
    expect([0, 1], run.stderr).toContain(run.code);
    expect(problems, run.stderr).toEqual([]);
  });

  const random = seededRandom(SEED);
  const draws = Array.from({ length: COUNT }, () => ({ share: random(), signal: random() < 0.5 ? ('SIGINT' as const) : ('SIGTERM' as const) }));
  for (const [i, draw] of draws.entries()) {
    it(`#${i + 1} (seed ${SEED}): ${draw.signal} at ${(draw.share * 100).toFixed(1)} % of the run`, { timeout: CASE_TIMEOUT_MS }, async () => {
      expect(runMs, 'the reference run did not finish').toBeGreaterThan(0);
      const run = await runAndInterrupt('scenario-concurrent', RUN, { afterMs: draw.share * runMs }, draw.signal, reportDir.path);
      expect(await problemsAfter(run), `signal ${run.sent ? `sent, exit ${run.code}` : 'not sent (the run had ended)'}\n${run.stderr}`).toEqual([]);
    });
  }
});
