/** The plan hands the run what it needs decided: the target's kind, and each trial's scenario description, flags, process settings and writers. */
import { describe, expect, it } from 'vitest';
import { loadRunWorkload, resolveRun, RunOptionError, SCENARIOS } from './options.ts';
import { describedWorkload } from './described-workload.ts';
import { planRun } from './run.ts';
import { SCENARIO_DEFINITIONS } from './scenarios.ts';
import { BUILTIN_TARGET } from './targets/builtin.ts';
import { SEED_WORKLOAD_PATH } from './seed-workload-file.ts';
import { scenarioMapping } from './targets/schema.ts';

const FASTAPI = new URL('../../examples/fastapi-sqlalchemy/target.json', import.meta.url).pathname;
const NODE_CLUSTER = new URL('../../examples/node-cluster/target.json', import.meta.url).pathname;
const ADAPTER = new URL('./targets/fixtures/adapter/target.json', import.meta.url).pathname;
const FASTAPI_WORKLOAD = new URL('../../examples/fastapi-sqlalchemy/workload.yaml', import.meta.url).pathname;

describe('planRun', () => {
  it.each(['concurrent', 'soak', 'smoke'] as const)("gives each trial of a %s run the scenario's description, from the run's options and the target's seeded catalog", (scenario) => {
    const plan = planRun(resolveRun({ scenario }));
    expect(plan.target.kind).toBe('builtin');
    expect(plan.trials.length).toBeGreaterThan(0);
    const expected = SCENARIO_DEFINITIONS[scenario].describe(plan.options, scenarioMapping(BUILTIN_TARGET.description).seeded.catalogEntries);
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

  it("carries the seed workload of a default concurrent run on the built-in target, the smoke's and the soak's their own, adapted to a described target, and none beside a workload file", () => {
    const plan = planRun(resolveRun({ catalogRate: 30 }));
    const expected = SCENARIO_DEFINITIONS.concurrent.workload(plan.options, scenarioMapping(BUILTIN_TARGET.description).seeded.catalogEntries);
    expect(expected?.workload.name).toBe('concurrent');
    for (const trial of plan.trials) expect(trial.scenarioWorkload).toEqual(expected);
    // The run's flags are set on its streams, as on the description the driver runs.
    const catalog = expected!.workload.streams.find((s) => s.action.kind === 'http' && s.action.method === 'PATCH')!;
    expect(catalog.executor).toMatchObject({ rate: 30 });
    // Asked for by name, the seed is the default run.
    expect(planRun(resolveRun({ workload: SEED_WORKLOAD_PATH })).trials[0]!.scenarioWorkload).toEqual(planRun(resolveRun({})).trials[0]!.scenarioWorkload);
    // The smoke check and the soak carry workloads of their own, the soak's with its flags set on its streams.
    for (const scenario of ['soak', 'smoke'] as const) expect(planRun(resolveRun({ scenario })).trials.map((t) => t.scenarioWorkload?.workload.name)).toEqual(planRun(resolveRun({ scenario })).trials.map(() => scenario));
    const soakImports = planRun(resolveRun({ scenario: 'soak', importRate: 2 })).trials[0]!.scenarioWorkload!.workload.streams.find((s) => s.name === 'imports')!;
    expect(soakImports.executor).toMatchObject({ rate: 2 });
    // On a described target, the scenario's workload adapted to its description (./described-workload.test.ts).
    const described = planRun(resolveRun({ target: FASTAPI }));
    const adapted = describedWorkload(SCENARIO_DEFINITIONS.concurrent.workload(described.options, scenarioMapping(described.target.description).seeded.catalogEntries), described.target, described.trials[0]!.scenario!);
    for (const trial of described.trials) expect(trial.scenarioWorkload).toEqual(adapted);
    const { options, target } = resolveRun({ target: FASTAPI, workload: FASTAPI_WORKLOAD });
    const fromFile = planRun({ options, target, workload: loadRunWorkload(options, target) });
    expect(fromFile.trials.map((t) => t.scenarioWorkload)).toEqual(fromFile.trials.map(() => null));
  });

  // Every trial run without --workload is judged by a workload: none is left to harness/plan/criteria.json.
  it.each([
    ['the built-in target', {}, ['concurrent', 'soak', 'smoke']],
    ['the FastAPI example', { target: FASTAPI }, ['concurrent', 'soak']],
    ['the node:cluster example', { target: NODE_CLUSTER }, ['concurrent', 'soak']],
    // Four seeded sources, and no reads to send.
    ['a description mapped by its adapter, with no reads, no SQL and no acknowledged field', { target: ADAPTER, imports: 2, readRate: 0 }, ['concurrent', 'soak']],
  ] as const)('carries a workload named by its scenario on every trial of %s, of every scenario it runs', (_what, input, scenarios) => {
    for (const scenario of scenarios) {
      const plan = planRun(resolveRun({ ...input, scenario }));
      expect(plan.trials.length).toBeGreaterThan(0);
      for (const trial of plan.trials) expect(trial.scenarioWorkload?.workload.name, `${scenario} ${trial.trial.id}`).toBe(scenario);
    }
    // The scenarios a described target cannot run are refused before anything is planned.
    for (const scenario of SCENARIOS.filter((s) => !(scenarios as readonly string[]).includes(s))) {
      expect(() => resolveRun({ ...input, scenario })).toThrow(new RunOptionError('--scenario', "the smoke check reads the built-in target's own routes; run a --target with --scenario concurrent"));
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
