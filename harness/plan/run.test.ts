/** The plan hands the run what it needs decided: the target's kind, and each trial's scenario description, flags, process settings and writers. */
import { describe, expect, it } from 'vitest';
import { loadRunWorkload, resolveRun } from './options.ts';
import { planRun } from './run.ts';
import { SCENARIO_DEFINITIONS } from './scenarios.ts';
import { BUILTIN_TARGET } from './targets/builtin.ts';

const FASTAPI = new URL('../../examples/fastapi-sqlalchemy/target.json', import.meta.url).pathname;
const FASTAPI_WORKLOAD = new URL('../../examples/fastapi-sqlalchemy/workload.yaml', import.meta.url).pathname;

describe('planRun', () => {
  it.each(['concurrent', 'soak', 'smoke'] as const)("gives each trial of a %s run the scenario's description, from the run's options and the target's seeded catalog", (scenario) => {
    const plan = planRun(resolveRun({ scenario }));
    expect(plan.target.kind).toBe('builtin');
    expect(plan.trials.length).toBeGreaterThan(0);
    const expected = SCENARIO_DEFINITIONS[scenario].describe(plan.options, BUILTIN_TARGET.description.seeded.catalogEntries);
    for (const trial of plan.trials) expect(trial.scenario).toEqual(expected);
  });

  it("records each trial's settings as results.json keeps them: the built-in target's by flag, a described target's by name", () => {
    for (const trial of planRun(resolveRun({})).trials) {
      expect(Object.keys(trial.flags).length).toBeGreaterThan(0);
      expect(Object.keys(trial.flags).every((key) => key.startsWith('--'))).toBe(true);
      // The same flags start the built-in target's process.
      const { args } = trial.processSettings;
      expect(Object.fromEntries(args.flatMap((arg, i) => (i % 2 === 0 ? [[arg, args[i + 1]]] : [])))).toEqual(trial.flags);
    }
    const described = planRun(resolveRun({ target: FASTAPI }));
    expect(described.trials.length).toBeGreaterThan(0);
    for (const trial of described.trials) {
      expect(trial.flags).toEqual(Object.fromEntries(Object.entries(trial.settings).map(([name, value]) => [name, String(value)])));
    }
  });

  it("resolves each trial's workflow writers: the run's rate, threads and bound, the target's own busy timeout", () => {
    const plan = planRun(resolveRun({ writerThreads: 3 }));
    for (const { writers, settings } of plan.trials) {
      expect(writers).toMatchObject({ run: true, options: { writesPerSecond: plan.options.workflowRate, threads: 3, maxInFlight: plan.options.writerMaxInFlight, sqlWrite: null, busyTimeoutMs: settings.busyTimeoutMs } });
    }
    const described = planRun(resolveRun({ target: FASTAPI }));
    const { workflowWrite } = described.target.description.sql;
    for (const { writers } of described.trials) {
      expect(writers).toEqual(workflowWrite ? expect.objectContaining({ run: true, options: expect.objectContaining({ sqlWrite: workflowWrite.statements }) }) : { run: false, reason: 'the target description has no sql.workflowWrite' });
    }
  });

  it("describes no scenario when the run's workload is the load, and marks a described target", () => {
    const { options, target } = resolveRun({ target: FASTAPI, workload: FASTAPI_WORKLOAD });
    const plan = planRun({ options, target, workload: loadRunWorkload(options, target) });
    expect(plan.workload).not.toBeNull();
    expect(plan.target.kind).toBe('described');
    expect(plan.trials.length).toBeGreaterThan(0);
    expect(plan.trials.map((t) => t.scenario)).toEqual(plan.trials.map(() => null));
    // The workload's SQL streams are its side writers.
    expect(plan.trials.map((t) => t.writers)).toEqual(plan.trials.map(() => null));
  });
});
