/**
 * A whole `scenario:concurrent` run: criteria, k6, one fresh target per profile, reports, verdict.
 * Creating the run (options, dependencies) is separate from the CLI that parses flags and signals.
 */
import { cpus, tmpdir, totalmem } from 'node:os';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { evaluateCriteria, loadCriteria, type Criterion } from '../criteria.ts';
import { ensureK6, K6UnavailableError, parseK6Version, runCommand } from '../k6.ts';
import { findProfile, profileFlagRecord } from '../profiles.ts';
import type { HostInfo, ProfileResult, RunResults } from '../results.ts';
import { createRunFolder, pointLatest, writeReports } from '../reports/write.ts';
import type { StartLockObserver } from './observer.ts';
import type { RunOptions } from './options.ts';
import { emptyProfileResult, runProfile } from './profile-run.ts';
import type { Progress } from './progress.ts';
import { criteriaFor } from './scenarios.ts';

/** Exit codes (DESIGN.md): gated pass, gated criterion failed, bad usage, harness could not run. */
export const EXIT = { pass: 0, gateFailed: 1, badUsage: 2, harnessFailed: 3, interrupted: 130 } as const;

export interface RunDependencies {
  progress: Progress;
  /** Aborted on Ctrl-C / SIGTERM: k6, writers and target stop; what was measured is still written. */
  signal: AbortSignal;
  /** Starts the external lock observer around each k6 run (unless `options.observer` is false); default the real one. */
  startObserver?: StartLockObserver;
  /** Default: harness/criteria.json. */
  criteriaFile?: string;
}

export interface RunOutcome {
  results: RunResults;
  runDir: string;
  exitCode: number;
}

/** The harness's own failure (no k6, no criteria): the run cannot measure anything. */
export class HarnessError extends Error {
  override readonly name = 'HarnessError';
}

/** A path relative to the working directory when it lies below it, else absolute. */
export function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel === '' ? '.' : rel.startsWith('..') ? path : rel;
}

export function hostInfo(): HostInfo {
  const list = cpus();
  return {
    cpus: list.length,
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    totalMemoryBytes: totalmem(),
  };
}

async function resolveK6(options: RunOptions, progress: Progress): Promise<{ path: string; version: string | null }> {
  if (options.k6Path !== null) {
    const out = await runCommand(options.k6Path, ['version'], {});
    if (out.startError) throw new HarnessError(`--k6 ${options.k6Path} cannot be run: ${out.startError}`);
    const version = parseK6Version(out.stdout);
    progress.info(`using k6 ${version ? `v${version}` : '(version unknown)'} from --k6 ${options.k6Path}`);
    return { path: options.k6Path, version };
  }
  try {
    const k6 = await ensureK6({ onProgress: (message) => progress.info(`k6: ${message}`) });
    return { path: k6.path, version: k6.version };
  } catch (err) {
    if (err instanceof K6UnavailableError) throw new HarnessError(err.message);
    throw err;
  }
}

/** A profile that never started (interrupted before its turn, or the harness failed first). */
function notRunProfile(name: string, gated: boolean, reason: string, criteria: readonly Criterion[]): ProfileResult {
  const profile = findProfile(name);
  const result = emptyProfileResult(name, gated, profile ? profileFlagRecord(profile.flags) : {});
  // Every criterion fails as not measured, so the table and junit.xml still say what was not judged.
  return { ...result, status: 'incomplete', error: reason, criteria: evaluateCriteria(criteria, result.metrics) };
}

export function exitCodeFor(results: RunResults, interrupted: boolean): number {
  if (interrupted) return EXIT.interrupted;
  if (results.profiles.some((p) => p.status === 'errored') || !results.complete) return EXIT.harnessFailed;
  return results.pass ? EXIT.pass : EXIT.gateFailed;
}

export async function runScenario(options: RunOptions, deps: RunDependencies): Promise<RunOutcome> {
  const { progress, signal } = deps;
  const started = new Date();
  const startedPerf = performance.now();
  await mkdir(options.reportRoot, { recursive: true });
  const runDir = await createRunFolder(options.reportRoot, options.scenario, started);
  progress.info(`report folder: ${displayPath(runDir)}`);

  const profiles: ProfileResult[] = [];
  let k6: { path: string | null; version: string | null } = { path: null, version: null };
  let incompleteReason: string | undefined;
  const workDir = await mkdtemp(join(tmpdir(), 'lockbench-run-'));
  try {
    let criteria: Criterion[] = [];
    try {
      criteria = loadCriteria(deps.criteriaFile);
      const end = progress.start('k6: find or build');
      try {
        k6 = await resolveK6(options, progress);
        end();
      } catch (err) {
        end('failed');
        throw err;
      }
    } catch (err) {
      incompleteReason = err instanceof Error ? err.message : String(err);
    }
    for (const name of options.profiles) {
      const gated = options.gated.includes(name);
      const profile = findProfile(name);
      if (incompleteReason !== undefined || k6.path === null || !profile) {
        profiles.push(notRunProfile(name, gated, incompleteReason ?? `unknown profile ${name}`, criteriaFor(options.scenario, criteria)));
        continue;
      }
      if (signal.aborted) {
        profiles.push(notRunProfile(name, gated, 'interrupted before it ran', criteriaFor(options.scenario, criteria)));
        continue;
      }
      const result = await runProfile({
        options,
        profile,
        gated,
        criteria,
        k6Path: k6.path,
        runDir,
        workDir,
        progress,
        signal,
        ...(deps.startObserver ? { startObserver: deps.startObserver } : {}),
      });
      progress.info(`[${name}] ${result.status}${result.error ? ` (${result.error})` : ''}: ${result.pass ? 'all criteria pass' : `${result.criteria.filter((c) => !c.pass).length} criteria fail`}`);
      profiles.push(result);
    }
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }

  if (signal.aborted) incompleteReason ??= 'interrupted (SIGINT/SIGTERM)';
  const errored = profiles.filter((p) => p.status === 'errored').map((p) => p.name);
  if (errored.length > 0) incompleteReason ??= `profile ${errored.join(', ')} could not run to the end`;
  const gatedProfiles = profiles.filter((p) => p.gated);
  const results: RunResults = {
    scenario: options.scenario,
    startedAt: started.toISOString(),
    finishedAt: new Date().toISOString(),
    durationMs: performance.now() - startedPerf,
    complete: incompleteReason === undefined && profiles.every((p) => p.status === 'completed'),
    ...(incompleteReason === undefined ? {} : { incompleteReason }),
    k6,
    host: hostInfo(),
    options: { ...options, reportRoot: displayPath(options.reportRoot) },
    profiles,
    // With no profile gated the run only measures; its verdict is that it ran.
    pass: gatedProfiles.every((p) => p.pass),
  };
  await writeReports(results, runDir);
  await pointLatest(options.reportRoot, runDir);
  return { results, runDir, exitCode: exitCodeFor(results, signal.aborted) };
}
