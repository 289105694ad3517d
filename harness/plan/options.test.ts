import { describe, expect, it } from 'vitest';
import { appliedOptions, resolveRunOptions, SCENARIO_LOAD_OPTIONS } from './options.ts';

describe('resolveRunOptions', () => {
  it('runs the three profiles and gates on staged by default', () => {
    const options = resolveRunOptions({});
    expect(options).toMatchObject({ scenario: 'concurrent', profiles: ['before', 'seed-fix', 'staged'], gated: ['staged'] });
    expect(options).toMatchObject({ imports: 5, artifacts: 100, prepareMs: 29, writeMs: 1, k6Path: null });
  });

  it('watches the write lock from outside every 250 us by default', () => {
    expect(resolveRunOptions({})).toMatchObject({ observer: true, observerIntervalUs: 250 });
    expect(resolveRunOptions({ observer: false, observerIntervalUs: 1000 })).toMatchObject({ observer: false, observerIntervalUs: 1000 });
  });

  it('gates nothing by default when staged does not run', () => {
    expect(resolveRunOptions({ profiles: ['before'] }).gated).toEqual([]);
  });

  it.each([
    [{ profiles: ['after'] }, /^--profiles: unknown profile "after"; expected some of before, seed-fix, staged, no-checkpoint$/],
    [{ profiles: ['before'], gated: ['staged'] }, /^--gated: "staged" is gated but not among --profiles \(before\)$/],
    [{ profiles: ['staged', 'staged'] }, /^--profiles: names a profile twice$/],
    [{ imports: 9 }, /^--imports: expected an integer from 1 to 8, got 9$/],
    [{ artifacts: 0 }, /^--artifacts: expected an integer from 1 to 5000/],
    [{ artifacts: 999_999_999_999 }, /^--artifacts: expected an integer from 1 to 5000, got 999999999999/],
    [{ readRate: -1 }, /^--read-rate: expected an integer >= 0/],
    [{ workflowRate: 0 }, /^--workflow-rate: expected a number > 0/],
    [{ maxDuration: '20' }, /^--max-duration: expected a duration/],
    [{ maxDuration: '0s' }, /^--max-duration: expected a duration of at least 1 ms/],
    [{ tail: '-1s' }, /^--tail: expected a duration/],
    [{ driver: 'wrk' as never }, /^--driver: expected one of builtin, k6/],
    [{ prepareMs: -5 }, /^--prepare-ms: expected a number >= 0/],
    [{ scenario: 'load' as never }, /^--scenario: expected one of concurrent, smoke, soak/],
    [{ importz: 5 } as never, /^importz: is not an option/],
    [{ observerIntervalUs: 5 }, /^--observer-interval-us: expected microseconds from 20 to 1000000, got 5$/],
    [{ targetPid: 0 }, /^--target-pid: expected the pid of a running process \(an integer > 1\), got 0$/],
    [{ targetPid: 4242 }, /^--target-pid: is for a --target given by "url"; lockbench starts this one/],
  ])('rejects %o naming the flag', (input, message) => {
    expect(() => resolveRunOptions(input)).toThrow(message);
  });
});

describe('appliedOptions', () => {
  const options = resolveRunOptions({});

  it("records every option of the scenario's own load, the same object as before", () => {
    expect(appliedOptions(options, { workloadFile: false, builtinTarget: true })).toBe(options);
    expect(appliedOptions(options, { workloadFile: false, builtinTarget: false })).toBe(options);
  });

  it("leaves the scenario's load out of a workload file's run, and the built-in target's work model off another target", () => {
    const onBuiltin = appliedOptions(options, { workloadFile: true, builtinTarget: true });
    for (const key of SCENARIO_LOAD_OPTIONS) expect(onBuiltin, key).not.toHaveProperty(key);
    expect(onBuiltin).toMatchObject({ prepareMs: 29, writeMs: 1, driver: 'builtin', observer: true, profiles: options.profiles, workload: null });
    const onDescribed = appliedOptions(options, { workloadFile: true, builtinTarget: false });
    expect(onDescribed).not.toHaveProperty('prepareMs');
    expect(onDescribed).not.toHaveProperty('writeMs');
    expect(Object.keys(onDescribed)).toEqual(Object.keys(options).filter((k) => !(SCENARIO_LOAD_OPTIONS as readonly string[]).includes(k) && k !== 'prepareMs' && k !== 'writeMs'));
  });
});
