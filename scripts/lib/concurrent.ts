/**
 * A whole `scenario:concurrent` (or sweep) run from its plan: the run (harness/run), each trial judged by
 * its workload as it ends with its line of progress, then the results, extended (a baseline, a sweep's
 * points), written and given a verdict. The one place that goes plan -> run -> analyze -> reports.
 */
import { targetSummary } from '../../harness/plan/target.ts';
import { appliedOptions } from '../../harness/plan/options.ts';
import type { TrialRecord } from '../../harness/model/trial.ts';
import type { RunPlan } from '../../harness/plan/run.ts';
import type { ProfileResult, RunResults } from '../../harness/model/results.ts';
import { assembleTrialResult, TrialWithoutWorkloadError } from '../../harness/analyze/assemble.ts';
import { observedSpansFile } from '../../harness/analyze/observed-locks.ts';
import { displayPath, hostInfo, RunFailedError, runPlan, runVerdict, type RunDependencies, type RunVerdict } from '../../harness/run/run.ts';

export interface ScenarioDependencies extends Omit<RunDependencies, 'onTrial' | 'labelObservedSpans'> {
  /** Writes the report folder; default harness/reports' writer. */
  writeReports: (results: RunResults, dir: string) => Promise<void>;
  /** Points `<root>/latest` at the run's folder. */
  pointLatest: (root: string, dir: string) => Promise<void>;
  /**
   * Adds to the results before they are written and judged (a comparison with a baseline, a sweep's
   * points); default none.
   */
  extend?: (results: RunResults) => Promise<RunResults>;
}

export interface RunOutcome {
  results: RunResults;
  runDir: string;
  /** How the run ended; the script maps it to its exit code (scripts/lib/exit.ts). */
  verdict: RunVerdict;
}

/** A trial's result, or a {@link RunFailedError} when it carries no workload: the harness cannot judge it. */
function judgedTrial(record: TrialRecord): ProfileResult {
  try {
    return assembleTrialResult(record);
  } catch (err) {
    if (!(err instanceof TrialWithoutWorkloadError)) throw err;
    throw new RunFailedError({ code: 'harness-error', message: err.message });
  }
}

/** The line said when a trial ends: its status and how its workload's criteria came out. */
function trialLine(result: ProfileResult): string {
  const failing = (result.workload?.criteria ?? []).filter((c) => !c.pass).length;
  const outcome = result.status !== 'completed' ? 'not judged' : failing === 0 ? 'all criteria pass' : `${failing} criteria fail`;
  return `[${result.name}] ${result.status}${result.error ? ` (${result.error})` : ''}: ${outcome}`;
}

/** Runs the plan's trials, judges each as it ends, and writes the reports. */
export async function runScenario(plan: RunPlan, deps: ScenarioDependencies): Promise<RunOutcome> {
  const { options } = plan;
  const profiles: ProfileResult[] = [];
  const onTrial = (record: TrialRecord): void => {
    const result = judgedTrial(record);
    if (result.status !== 'not-run') deps.progress.info(trialLine(result));
    profiles.push(result);
  };
  const { runDir, driverInfo, startedAt, startedPerf, interrupted } = await runPlan(plan, { ...deps, onTrial, labelObservedSpans: observedSpansFile });

  const errored = profiles.filter((p) => p.status === 'errored').map((p) => p.name);
  const incompleteReason = interrupted
    ? 'interrupted (SIGINT/SIGTERM)'
    : errored.length > 0
      ? `trial ${errored.join(', ')} could not run to the end`
      : undefined;
  const gatedProfiles = profiles.filter((p) => p.gated);
  const complete = incompleteReason === undefined && profiles.every((p) => p.status === 'completed');
  const measured: RunResults = {
    scenario: options.scenario,
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    durationMs: performance.now() - startedPerf,
    complete,
    ...(incompleteReason === undefined ? {} : { incompleteReason }),
    driver: driverInfo,
    host: hostInfo(),
    options: { ...appliedOptions(options, { workloadFile: plan.workload !== null, builtinTarget: plan.target.kind === 'builtin' }), reportRoot: displayPath(options.reportRoot) },
    // A workload's run is described by its streams and this target; the scenario's options did nothing.
    ...(plan.workload ? { targetDescription: targetSummary(plan.target) } : {}),
    profiles,
    // With no profile gated the run only measures; its verdict is that it ran to the end. A run cut short
    // passes nothing, gated or not: what it left unmeasured was never judged.
    pass: complete && gatedProfiles.every((p) => p.pass),
  };
  const results = deps.extend ? await deps.extend(measured) : measured;
  await deps.writeReports(results, runDir);
  await deps.pointLatest(options.reportRoot, runDir);
  return { results, runDir, verdict: runVerdict(results, interrupted) };
}
