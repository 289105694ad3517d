/**
 * Today's per-request samples (samples-<trial>.csv) as workload samples, so a workload's criteria can be
 * judged over runs the run layer makes now. Those samples keep the status but not the body, so only
 * streams whose answer rules go by status alone can be classified from them; a stream whose rules read
 * the body is named instead, to be classified by the driver as it reads each answer.
 */
import type { RequestSample } from '../../model/results.ts';
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
