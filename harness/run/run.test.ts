/**
 * A run that cannot measure gives no verdict: no report, `latest` left alone, its scratch folder removed,
 * and one failure the CLI words. Fake driver and phases; no process is spawned.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DriverUnavailableError, type LoadDriver } from './drivers/types.ts';
import { TargetStartError } from './target-process/target-process.ts';
import { planRun } from '../plan/run.ts';
import { runScenario, type ScenarioDependencies } from '../../scripts/lib/concurrent.ts';
import { resolveRun } from '../plan/options.ts';
import type { TrialPhases } from './phases.ts';
import type { Progress } from '../model/progress.ts';
import { RunFailedError } from './run.ts';

const quiet: Progress = { start: () => () => undefined, info: () => undefined, close: () => undefined };

function dependencies(driver: LoadDriver, phases: TrialPhases) {
  const calls: string[] = [];
  const deps: ScenarioDependencies = {
    progress: quiet,
    signal: new AbortController().signal,
    driver,
    phases,
    createRunFolder: async () => {
      calls.push('create folder');
      return '/nonexistent/reports/run';
    },
    writeReports: async () => void calls.push('write reports'),
    pointLatest: async () => void calls.push('point latest'),
  };
  return { deps, calls };
}

const readyDriver: LoadDriver = {
  name: 'builtin',
  prepare: async () => ({ name: 'builtin', version: 'test' }),
  run: async () => {
    throw new Error('the load must not run');
  },
};

const unusedPhases: TrialPhases = {
  startStack: async () => {
    throw new Error('no trial may start');
  },
  driveLoad: async () => {
    throw new Error('no load may run');
  },
  collect: async () => {
    throw new Error('nothing to collect');
  },
  stopStack: async () => ({ notes: [] }),
};

async function failure(promise: Promise<unknown>): Promise<RunFailedError> {
  const error = await promise.then(
    () => null,
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(RunFailedError);
  return error as RunFailedError;
}

describe('runScenario without a verdict', () => {
  it('stops before any folder or trial when the driver cannot run (k6 missing)', async () => {
    const driver: LoadDriver = { ...readyDriver, name: 'k6', prepare: async () => Promise.reject(new DriverUnavailableError('no k6 on PATH.\ninstall it')) };
    const { deps, calls } = dependencies(driver, unusedPhases);
    const error = await failure(runScenario(planRun(resolveRun({})), deps));
    expect(error.failure).toEqual({ code: 'driver-unavailable', driver: 'k6', message: 'no k6 on PATH.\ninstall it' });
    expect(calls).toEqual([]);
  });

  it('stops at a target that exits during start-up: its stack is stopped, its scratch folder removed, no report written', async () => {
    let workDir = '';
    const stopped: string[] = [];
    const started: string[] = [];
    const phases: TrialPhases = {
      ...unusedPhases,
      startStack: async (ctx) => {
        workDir = ctx.workDir;
        started.push(ctx.trial.id);
        throw new TargetStartError({ kind: 'exited', code: 1, signal: null }, ['Traceback (most recent call last):', "ModuleNotFoundError: No module named 'app'"]);
      },
      stopStack: async (ctx) => {
        stopped.push(ctx.trial.id);
        return { notes: [] };
      },
    };
    const { deps, calls } = dependencies(readyDriver, phases);
    const error = await failure(runScenario(planRun(resolveRun({})), deps));
    expect(error.failure).toMatchObject({
      code: 'target-did-not-start',
      trial: 'before',
      start: { kind: 'exited', code: 1, signal: null },
      outputTail: ['Traceback (most recent call last):', "ModuleNotFoundError: No module named 'app'"],
    });
    expect(error.failure.code === 'target-did-not-start' && error.failure.logFile).toMatch(/target-before\.log$/);
    // The first failed start ends the run: the other profiles would only repeat it.
    expect(started).toEqual(['before']);
    expect(stopped).toEqual(['before']);
    expect(workDir).not.toBe('');
    expect(existsSync(workDir)).toBe(false);
    expect(calls).toEqual(['create folder']);
  });

  it('still writes an incomplete report when the start was cut short by Ctrl-C', async () => {
    const abort = new AbortController();
    const phases: TrialPhases = {
      ...unusedPhases,
      startStack: async () => {
        abort.abort();
        throw new TargetStartError({ kind: 'exited', code: null, signal: 'SIGTERM' }, []);
      },
    };
    const { deps, calls } = dependencies(readyDriver, phases);
    const outcome = await runScenario(planRun(resolveRun({})), { ...deps, signal: abort.signal });
    expect(outcome.results.complete).toBe(false);
    expect(calls).toEqual(['create folder', 'write reports', 'point latest']);
  });
});
