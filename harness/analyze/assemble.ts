/**
 * A trial's result from what its phases measured: pure, so it is tested on recorded fixtures. Figures
 * and states only; harness/reports turns them into words.
 */
import { summarizeResources } from './resources.ts';
import type { Collected, TrialRecord } from '../model/trial.ts';
import type { HolderPids } from '../model/observation.ts';
import type { NotJudged, ProfileNote, ProfileResult } from '../model/results.ts';
import { importWindowFigures, loadFiguresOf, profileMetrics, reliabilityFigures, sendLagFigures, type ProfileMeasurements } from './metrics.ts';
import { observedLocks } from './observed-locks.ts';
import { workloadResult, writerSamples } from './workload-result.ts';
import type { LoadedWorkload } from '../model/workload-plan.ts';
import type { WorkloadResult } from '../model/workload.ts';

/** A change of journal mode across the trial, which only the target (or another process) can have made. */
function journalModeNotes(journalMode: Collected['journalMode']): ProfileNote[] {
  if (!journalMode || journalMode.before === journalMode.after) return [];
  return [{ code: 'journal-mode-changed', before: journalMode.before, after: journalMode.after }];
}

/**
 * The workload's streams and criteria over what was measured: the driver's classified answers, the side
 * writers' writes, the write lock as the observer saw it (else the writers' own holds, which miss the
 * app's), the no-loss counts. What was not measured fails with its code.
 */
function judgeWorkload(loaded: LoadedWorkload, collected: Collected | null, pids: HolderPids | null): WorkloadResult {
  const { workload } = loaded;
  const measured = collected?.workload;
  const writers = collected?.writers ?? null;
  const samples = [...(measured?.answers ?? []), ...(writers?.samples ? writerSamples(workload, writers.samples) : [])];
  const observation = collected?.observation ?? null;
  const observed = observation?.status === 'observed' ? observation.result.writeSpans : null;
  // Without the observer, the holders' own spans, as the scenario's lock-hold falls back to them: only when
  // the target reports its own, since the side writers' alone miss every hold of the app.
  const targetSpans = collected?.locks?.spans ?? null;
  // A span that does not name its process is the reporting one's.
  const selfReported =
    observed === null && targetSpans !== null && pids !== null
      ? [...targetSpans.map((s) => ({ ...s, pid: s.pid ?? pids.target })), ...(writers?.spans ?? []).map((s) => ({ ...s, pid: s.pid ?? pids.workflowWriters }))]
      : null;
  const lockSpans = observed ?? selfReported;
  // The scenario's own database check (duplicates, foreign keys, the side writers' rows), run where the
  // workload is a scenario's: an integrity-checked no-loss fails with it, as the scenario's no-loss did.
  const counted = measured?.noLoss ?? {};
  const noLoss = collected?.integrity?.ok === false ? Object.fromEntries(Object.entries(counted).map(([id, count]) => [id, { ...count, integrityOk: false }])) : counted;
  return workloadResult(workload, loaded.source, {
    samples,
    requests: collected?.samples ?? null,
    lockSpans,
    run: measured?.run ?? { startMs: 0, endMs: 0 },
    noLoss,
    ...(measured?.acknowledged === undefined ? {} : { acknowledged: measured.acknowledged }),
    lockSource: observed !== null ? 'observed' : selfReported !== null ? 'self-reported' : 'none',
  });
}

/** The p99 a criterion judges, per stream: the workload's p99 latency criteria (the in-window figure of a windowed one). */
function judgedP99s(workload: WorkloadResult): Record<string, number | null> {
  return Object.fromEntries(workload.criteria.flatMap((c) => (c.windowed && c.windowed.percentile === 99 && c.measured !== null ? [[c.windowed.stream, c.measured]] : [])));
}

const fileName = (path: string | null): string | null => (path === null ? null : (path.split('/').pop() ?? path));

/** A trial that reached analysis without a workload: the plan gives every trial one, so this is the harness's fault. */
export class TrialWithoutWorkloadError extends Error {
  constructor(readonly trialId: string) {
    super(`trial ${trialId} carries no workload, so nothing can judge it: every planned trial carries one, so this is a fault of lockbench's`);
    this.name = 'TrialWithoutWorkloadError';
  }
}

/**
 * A trial's result: what its record measured, judged by its workload's criteria alone. `criteria` stays in
 * the result, empty, for readers of results.json written before workloads judged every trial. A trial whose
 * load was a workload file has none of the scenario's own figures (metrics, import window, imports, the
 * import wall on the target's clock, the workflow writers): it ran no imports, catalog or workflow writers,
 * and its streams' figures are its workload's.
 */
export function assembleTrialResult({ facts, run, collected }: TrialRecord): ProfileResult {
  // Judged by nothing, a trial would pass silently: refuse it instead.
  if (!facts.workload) throw new TrialWithoutWorkloadError(facts.id);
  const writers = collected?.writers ?? null;
  const writerSummary = writers === null ? null : (({ spans: _spans, samples: _samples, ...summary }) => summary)(writers);
  const locks = collected?.locks ?? null;
  const targetLocks = locks === null ? null : (({ spans: _spans, ...summary }) => summary)(locks);
  const observed =
    facts.holderPids === null
      ? null
      : observedLocks({
          outcome: collected?.observation ?? null,
          intervalUs: facts.observerIntervalUs,
          pids: facts.holderPids,
          targetSpans: locks?.spans ?? null,
          targetReportsLocks: collected?.targetReportsLocks ?? true,
          writerSpans: writers?.spans ?? null,
          requests: collected?.samples ?? null,
          partial: facts.status !== 'completed',
        });
  const measurements: ProfileMeasurements = {
    summary: run?.summary ?? null,
    locks: targetLocks,
    writers: writerSummary,
    integrity: collected?.integrity ?? null,
    importJobsWallMs: collected?.importJobsWallMs ?? null,
    requestSamples: collected?.samples ?? null,
    writeSamples: writers?.samples ?? null,
    observed,
  };
  const scenarioFigures = facts.workloadFrom !== 'file';
  // Computed either way: reliability's SQLite errors and integrity verdict are every trial's.
  const metrics = profileMetrics(measurements);
  // A trial whose load never ran measured nothing: a lock figure from its start-up is no verdict.
  const measuredWorkload = judgeWorkload(facts.workload, run?.summary ? collected : null, facts.holderPids);
  // Only a completed trial is judged: a trial that did not run to the end keeps its figures, but figures
  // over part of a run are not measured, never a pass.
  const notJudged: NotJudged = facts.status === 'not-run' ? 'not-run' : 'partial-run';
  const workload =
    facts.status === 'completed' ? measuredWorkload : { ...measuredWorkload, criteria: measuredWorkload.criteria.map((c) => ({ ...c, pass: false, notJudged })) };
  return {
    name: facts.id,
    gated: facts.gated,
    status: facts.status,
    ...(facts.error === undefined ? {} : { error: facts.error }),
    config: { flags: facts.flags, target: facts.targetConfig },
    ...(scenarioFigures ? { metrics, importWindow: importWindowFigures(measurements) } : {}),
    load: loadFiguresOf(run?.summary ?? null, { imports: scenarioFigures }),
    reliability: reliabilityFigures(measurements, metrics, { scenarioRows: scenarioFigures }),
    sendLag: sendLagFigures(measurements, judgedP99s(workload)),
    resources: collected?.resources ? { summary: summarizeResources(collected.resources), series: collected.resources } : null,
    ...(scenarioFigures ? { importJobsWallMs: collected?.importJobsWallMs ?? null } : {}),
    criteria: [],
    pass: facts.status === 'completed' && workload.criteria.every((c) => c.pass),
    workload,
    notes: [...facts.notes, ...journalModeNotes(collected?.journalMode)],
    phases: facts.phases,
    ...(scenarioFigures ? { workflowWriters: writerSummary } : {}),
    targetLocks,
    integrity: collected?.integrity ?? null,
    observed,
    journalMode: collected?.journalMode ?? null,
    files: {
      driverSummary: fileName(run?.files.summary ?? null),
      driverLog: fileName(run?.files.log ?? null),
      samples: collected?.samples ? fileName(run?.files.samples ?? null) : null,
      targetLog: facts.targetLog,
      spans: collected?.spansFile ?? null,
    },
  };
}
