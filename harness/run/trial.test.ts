/**
 * A trial's orchestration with fake phases: what runs after a failure, that the stop path always runs
 * and stops what was started, how the result says what happened, and what the load phase gives each
 * driver. No process is spawned.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { SummaryFile } from '../../scenarios/lib/contract.ts';
import type { DriverRunInput, LoadDriver } from './drivers/types.ts';
import type { DriverName } from '../model/results.ts';
import { DRIVER_CHOICES } from '../plan/drivers.ts';
import { realPhases } from './stack.ts';
import type { DriverRun } from '../model/driver-run.ts';
import { findProfile } from '../plan/profiles.ts';
import { BUILTIN_TARGET } from '../plan/targets/builtin.ts';
import { planRun } from '../plan/run.ts';
import type { Collected } from '../model/trial.ts';
import type { RunningTarget } from './target-process/target-process.ts';
import { assembleTrialResult } from '../analyze/assemble.ts';
import { resolveRunOptions } from '../plan/options.ts';
import { TargetExitWatch, type Stack, type Started, type TrialContext, type TrialPhases } from './phases.ts';
import type { Progress } from '../model/progress.ts';
import { targetChecks } from './target-checks.ts';
import { notRunFacts, runTrial } from './trial.ts';
import { scenarioMapping } from '../plan/targets/schema.ts';

const summary = (JSON.parse(readFileSync(new URL('./drivers/k6/fixtures/k6-summary-staged.json', import.meta.url), 'utf8')) as SummaryFile).lockbench;
const quiet: Progress = { start: () => () => undefined, info: () => undefined, close: () => undefined };
const driver: LoadDriver = { name: 'builtin', prepare: async () => ({ name: 'builtin', version: 'test' }), run: async () => completedRun };
const completedRun: DriverRun = { completed: true, aborted: false, startedAtMs: 1, durationMs: 3_000, summary, files: { summary: '/r/driver-staged.json', log: null, samples: null } };
const recordedWallMs = summary.imports.wallMs ?? 0;
/** The recorded imports as the driver classified them: every one answered at once and acknowledged in full. */
const importAnswers = Array.from({ length: summary.imports.expected }, (_, i) => ({
  stream: 'imports',
  scheduledMs: 1,
  sentMs: 1,
  endMs: 1 + recordedWallMs - i,
  status: 200,
  outcome: 'success' as const,
  lockFailure: null,
  acknowledged: summary.imports.artifactsAcknowledged / summary.imports.expected,
}));
const nothingCollected: Collected = { observation: null, samples: null, writers: null, locks: null, integrity: null, importJobsWallMs: null, spansFile: null, resources: null, failures: [] };
const collected: Collected = { ...nothingCollected, workload: { answers: importAnswers, noLoss: null, run: { startMs: 1, endMs: 1 + recordedWallMs } } };

function context(signal = new AbortController().signal): TrialContext {
  const options = resolveRunOptions({});
  const trial = { id: 'staged', profile: findProfile('staged')!, settings: {}, gated: true };
  const plan = planRun({ options, target: BUILTIN_TARGET, trials: [trial] });
  const { settings, processSettings, flags, scenario, writers, scenarioWorkload } = plan.trials[0]!;
  return {
    options,
    scenarioWorkload,
    trial,
    settings,
    processSettings,
    flags,
    writers,
    scenario,
    checks: targetChecks(plan.target),
    // The fake phases write no spans file.
    labelObservedSpans: () => null,
    target: plan.target,
    driver,
    runDir: '/r',
    workDir: '/w',
    progress: quiet,
    signal,
  };
}

/** A target that was started: stopping it ends it with code 0. */
function runningTarget(pid: number): RunningTarget {
  return { url: 'http://127.0.0.1:1', pid, stderrTail: () => '', stop: async () => ({ code: 0, signal: null }) };
}

/** The stack as the start phase returns it, with a running target. */
function stack(exit = new TargetExitWatch()): Stack {
  return {
    dbPath: '/w/staged/lockbench.db',
    baseUrl: 'http://127.0.0.1:1',
    account: { pid: null, config: { importMode: 'staged' } },
    holderPids: { target: 4242, workflowWriters: 1 },
    journalModeBefore: 'wal',
    target: runningTarget(4242),
    exit,
    writers: null,
    observation: { running: false, stop: async () => ({ status: 'off', reason: 'observer turned off (--no-observer)' }) },
  };
}

/** A trial's result as the analysis makes it from the trial's record, judged by its scenario's workload. */
async function judged(ctx: TrialContext, trialPhases: TrialPhases) {
  return assembleTrialResult(await runTrial(ctx, trialPhases));
}

/** Phases that record what ran; `overrides` replace some of them. */
function phases(overrides: Partial<TrialPhases> = {}) {
  const ran: string[] = [];
  let stoppedWith: readonly Started[] | undefined;
  const base: TrialPhases = {
    startStack: async (_ctx, started) => {
      ran.push('start');
      const up = stack();
      started({ kind: 'target', target: up.target!, exit: up.exit });
      return up;
    },
    driveLoad: async () => {
      ran.push('load');
      return { run: completedRun, resources: [] };
    },
    collect: async () => {
      ran.push('collect');
      return collected;
    },
    stopStack: async (_ctx, started) => {
      ran.push('stop');
      stoppedWith = [...started];
      return { notes: [] };
    },
  };
  return { phases: { ...base, ...overrides }, ran, stopped: () => stoppedWith };
}

describe('runTrial', () => {
  it('runs the phases in order and stops the stack once', async () => {
    const p = phases();
    const result = await judged(context(), p.phases);
    expect(p.ran).toEqual(['start', 'load', 'collect', 'stop']);
    expect(result).toMatchObject({ name: 'staged', status: 'completed', gated: true });
    expect(result.phases.map((x) => x.name)).toEqual(['start the stack', 'drive the load (builtin)', 'collect the measurements', 'stop the stack']);
    expect(result.load?.imports?.wallMs).toBe(summary.imports.wallMs);
  });

  it('stops what a failed start had started, and judges nothing as passed', async () => {
    const p = phases({
      startStack: async (_ctx, started) => {
        started({ kind: 'target', target: runningTarget(4242), exit: new TargetExitWatch() });
        throw new Error('smoke check: GET /api/health answered 500');
      },
    });
    const result = await judged(context(), p.phases);
    expect(p.ran).toEqual(['stop']);
    expect(p.stopped()?.map((piece) => (piece.kind === 'target' ? piece.target.pid : piece.kind))).toEqual([4242]);
    expect(result.status).toBe('errored');
    expect(result.error).toBe('smoke check: GET /api/health answered 500');
    expect(result.pass).toBe(false);
    expect(result.workload!.criteria.length).toBeGreaterThan(0);
    expect(result.workload!.criteria.every((c) => !c.pass && c.measured === null)).toBe(true);
  });

  it('still collects what it can when the driver failed, and reports the failure', async () => {
    const p = phases({ driveLoad: async () => ({ run: { ...completedRun, completed: false, failure: 'the driver thread failed: boom', summary: null }, resources: [] }) });
    const result = await judged(context(), p.phases);
    expect(p.ran).toEqual(['start', 'collect', 'stop']);
    expect(result.status).toBe('errored');
    expect(result.error).toContain('the driver thread failed: boom');
    expect(result.workload!.criteria.every((c) => !c.pass)).toBe(true);
  });

  it('names a target that died under the load first, whatever else failed after it', async () => {
    const p = phases({
      driveLoad: async (_ctx, up) => {
        up.exit.exited('the target exited during the run (code null, signal SIGKILL)');
        return { run: { ...completedRun, completed: false, failure: 'aborted' }, resources: [] };
      },
      collect: async () => ({ ...collected, failures: ['collect the target lock statistics: fetch failed'] }),
    });
    const result = await judged(context(), p.phases);
    expect(result.status).toBe('errored');
    expect(result.error).toMatch(/^the target exited during the run \(code null, signal SIGKILL\); aborted; collect the target lock statistics/);
  });

  it('marks a trial interrupted during its load incomplete, with what it measured', async () => {
    const abort = new AbortController();
    const p = phases({
      driveLoad: async () => {
        abort.abort();
        return { run: { ...completedRun, completed: false, aborted: true }, resources: [] };
      },
    });
    const result = await judged(context(abort.signal), p.phases);
    expect(p.ran).toEqual(['start', 'collect', 'stop']);
    expect(result.status).toBe('incomplete');
    expect(result.error).toBe('interrupted');
    expect(result.pass).toBe(false);
    expect(result.metrics!.importWallMs).toBe(summary.imports.wallMs);
    // The recorded figures pass criteria in a completed run; cut short, none is judged.
    expect(result.workload!.criteria.length).toBeGreaterThan(0);
    expect(result.workload!.criteria.every((c) => c.notJudged === 'partial-run' && !c.pass)).toBe(true);
  });

  it('judges the same recorded figures when the trial completed', async () => {
    const result = await judged(context(), phases().phases);
    expect(result.workload!.criteria.some((c) => c.pass)).toBe(true);
    expect(result.workload!.criteria.every((c) => c.notJudged === undefined)).toBe(true);
  });

  it('keeps the result when stopping the stack fails, with the reason as a note', async () => {
    const p = phases({ stopStack: async () => Promise.reject(new Error('the target did not stop within 15 s')) });
    const result = await judged(context(), p.phases);
    expect(result.status).toBe('completed');
    expect(result.notes).toEqual([{ code: 'error', message: 'the target did not stop within 15 s' }]);
  });
});

describe('a trial that never ran', () => {
  it('carries its workload, so its criteria are reported, none measured and none judged', () => {
    const facts = notRunFacts(context(), 'interrupted before it ran');
    expect(facts.workload?.workload.name).toBe('concurrent');
    const result = assembleTrialResult({ facts, run: null, collected: null });
    expect(result).toMatchObject({ status: 'not-run', pass: false, criteria: [] });
    expect(result.workload!.criteria.map((c) => c.id)).toEqual(['lock-hold', 'import-wall', 'catalog-p99', 'success', 'workflow-p99', 'no-loss']);
    expect(result.workload!.criteria.every((c) => c.notJudged === 'not-run' && !c.pass && c.measured === null)).toBe(true);
  });
});

describe('the load phase', () => {
  /** Runs the real load phase with a fake driver of this name and returns what the driver was given. */
  async function inputOf(name: DriverName): Promise<DriverRunInput> {
    let given: DriverRunInput | undefined;
    const recording: LoadDriver = {
      name,
      prepare: async () => ({ name, version: 'test' }),
      run: async (input) => {
        given = input;
        return completedRun;
      },
    };
    // A target pid lockbench does not know: no memory to read, so nothing but the fake driver runs.
    await realPhases.driveLoad({ ...context(), driver: recording }, { ...stack(), holderPids: { target: -1, workflowWriters: 1 } });
    if (!given) throw new Error('the driver was not run');
    return given;
  }

  it('says as data which driver reads the environment', () => {
    expect([...DRIVER_CHOICES].filter(([, d]) => d.readsEnv).map(([name]) => name)).toEqual(['k6']);
  });

  it('gives the built-in driver the typed description and no environment', async () => {
    const input = await inputOf('builtin');
    expect(input.env).toBeUndefined();
    expect(input.description.name).toBe('concurrent');
    expect(input.baseUrl).toBe('http://127.0.0.1:1');
  });

  it('gives k6 the same scenario as environment strings beside the description', async () => {
    const input = await inputOf('k6');
    expect(input.description.name).toBe('concurrent');
    expect(input.env).toMatchObject({ BASE_URL: 'http://127.0.0.1:1', CATALOG_ENTRIES: String(scenarioMapping(BUILTIN_TARGET.description).seeded.catalogEntries) });
    expect(input.env?.IMPORTS).toBe(String(input.description.settings.imports));
    expect(input.env?.ARTIFACTS).toBe(String(input.description.settings.artifacts));
  });
});
