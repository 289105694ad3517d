/**
 * One iteration of a workload's request stream in the shape both drivers run today (an `Iteration` of
 * scenarios/lib/requests.ts): the call rendered from the stream's templates, and the answer judged by
 * the stream's own rules as it is read, with the body, so lock errors recognised by a body pattern and
 * the acknowledged count are known per request. A driver keeps `sample` beside its timing sample.
 */
import type { HttpAnswer, HttpCall, Iteration } from '../../../scenarios/lib/requests.ts';
import { acknowledgedCount, answerClassifier, type AnswerClassifier } from './classify.ts';
import type { HttpAction, Workload, WorkloadStream } from '../../model/workload-plan.ts';
import type { WorkloadSample } from '../../model/workload-samples.ts';
import { renderRequest } from '../../plan/workload/render.ts';

/** Builds a stream's iterations: its classifier compiled once. */
export interface WorkloadIterations {
  iteration(n: number): Iteration;
  /** The classified record of one answer of this stream, `scheduledMs` and `sentMs` from the driver's timing. */
  sample(answer: HttpAnswer, timing: { scheduledMs: number | null; sentMs: number | null }): WorkloadSample;
}

export function workloadIterations(workload: Workload, stream: WorkloadStream & { action: HttpAction }): WorkloadIterations {
  const classifier: AnswerClassifier = answerClassifier(stream.action.answers, workload.lockErrors);
  const { action } = stream;
  const judge = (answer: HttpAnswer) => classifier.classify({ status: answer.status, body: answer.body, elapsedMs: answer.endEpochMs - answer.startEpochMs });
  return {
    iteration(n) {
      const rendered = renderRequest(action, workload.seed, stream.name, n);
      const call: HttpCall = {
        method: rendered.method,
        path: rendered.path,
        body: rendered.body === null ? null : JSON.stringify(rendered.body),
        headers: rendered.headers,
        // One route name per stream, so ids in paths do not multiply names in metrics.
        route: `${action.method} ${action.path}`,
      };
      return {
        first: call,
        next: () => null,
        outcome: (answers) => ({ successes: [answers[0] !== undefined && judge(answers[0]).outcome === 'success'] }),
      };
    },
    sample(answer, timing) {
      const { outcome, lockFailure } = judge(answer);
      return {
        stream: stream.name,
        scheduledMs: timing.scheduledMs,
        sentMs: timing.sentMs,
        endMs: answer.endEpochMs,
        status: answer.status,
        outcome,
        lockFailure,
        acknowledged: action.acknowledged === null || outcome === 'error' || outcome === 'lock-error' ? null : acknowledgedCount(answer.body, action.acknowledged),
      };
    },
  };
}
