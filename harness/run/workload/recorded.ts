/**
 * Today's per-request samples (samples-<trial>.csv) as workload samples, so a workload's criteria can be
 * judged over runs the run layer makes now. Those samples keep the status but not the body, so only
 * streams whose answer rules go by status alone can be classified from them; a stream whose rules read
 * the body is named instead, to be classified by the driver as it reads each answer.
 */
import type { RequestSample } from '../../model/results.ts';
import type { ImportsSummary, LockbenchSummary } from '../../../scenarios/lib/contract.ts';
import type { RequestKind, ScenarioDescription } from '../../../scenarios/lib/scenario.ts';
import { answerClassifier } from './classify.ts';
import type { HttpAction, Workload } from '../../model/workload-plan.ts';
import type { WorkloadSample } from '../../model/workload-samples.ts';

export interface RecordedClassification {
  samples: WorkloadSample[];
  /** Request streams whose answer rules need the body, which recorded samples lack. */
  needsBody: string[];
}

export function classifyRecorded(workload: Workload, recorded: readonly RequestSample[]): RecordedClassification {
  const needsBody: string[] = [];
  const classifiers = new Map<string, ReturnType<typeof answerClassifier>>();
  for (const stream of workload.streams) {
    if (stream.action.kind !== 'http') continue;
    const answers = (stream.action as HttpAction).answers;
    if (Object.values(answers).some((rule) => rule?.body !== undefined)) needsBody.push(stream.name);
    else classifiers.set(stream.name, answerClassifier(answers, workload.lockErrors));
  }
  const samples: WorkloadSample[] = [];
  for (const s of recorded) {
    const classifier = classifiers.get(s.stream);
    if (!classifier) continue;
    const elapsedMs = s.sentMs === null ? 0 : s.endMs - s.sentMs;
    const { outcome, lockFailure } = classifier.classify({ status: s.status, body: null, elapsedMs });
    samples.push({ stream: s.stream, scheduledMs: s.scheduledMs, sentMs: s.sentMs, endMs: s.endMs, status: s.status, outcome, lockFailure, acknowledged: null });
  }
  return { samples, needsBody };
}

/** The request kinds whose imports the drivers' summary counts: the concurrent scenario's, the soak's, the smoke check's. */
const IMPORTING_REQUESTS: ReadonlySet<RequestKind> = new Set<RequestKind>(['import', 'rollingImport', 'smoke']);

/**
 * The field of the import answers whose sum the drivers count as the imports' acknowledged artifacts: the
 * target's (the built-in target's `imported`, a description's `importedField`); null when the target names
 * none and the drivers count every entry of a successful import.
 */
export type CountedField = string | null;

/**
 * What the request streams of a workload run as a scenario description acknowledged, by stream, from the
 * drivers' count: the imports' `artifactsAcknowledged` (the sum of each answer's `countedField`) is the
 * stream that sends the description's imports, when the workload reads its answers' acknowledged count from
 * that very field (or, the target naming none, reads none either). Recorded samples keep no body, so nothing
 * else counts it; with several import streams the sum cannot be split, and none is given (each such
 * stream's total is then not measured).
 */
export function acknowledgedByStream(workload: Workload, description: ScenarioDescription, imports: ImportsSummary | null, countedField: CountedField): Record<string, number> {
  const importing = description.streams.filter((s) => IMPORTING_REQUESTS.has(s.request));
  if (imports === null || importing.length !== 1) return {};
  const name = importing[0]!.name;
  const stream = workload.streams.find((s) => s.name === name);
  if (stream?.action.kind !== 'http') return {};
  const path = stream.action.acknowledged?.replace(/^\$\.?/, '') ?? null;
  return path === countedField ? { [name]: imports.artifactsAcknowledged } : {};
}

/**
 * A workload run as a scenario description (the seed's, the smoke check's, the soak's), judged from what its driver recorded: the request
 * samples classified by the workload's answer rules, and what the imports acknowledged by stream (the sum
 * of the answers' `countedField`, as the drivers count it on this target). Both
 * drivers write the samples and the summary; without either (a load that never ran) there are no answers.
 */
export function answersAsScenario(
  workload: Workload,
  description: ScenarioDescription,
  recorded: { summary: LockbenchSummary | null; samples: readonly RequestSample[] | null },
  countedField: CountedField,
): { answers: WorkloadSample[] | null; acknowledged: Record<string, number> } {
  const answers = recorded.summary === null || recorded.samples === null ? null : classifyRecorded(workload, recorded.samples).samples;
  return { answers, acknowledged: acknowledgedByStream(workload, description, recorded.summary?.imports ?? null, countedField) };
}
