import { describe, expect, it } from 'vitest';
import { acknowledgedCount, answerClassifier } from './classify.ts';
import { isUnanswered } from '../../model/workload-samples.ts';

const DJANGO = {
  success: { status: [200, 201] },
  partial: { status: [207] },
  lockError: { status: [500, 503], body: 'database is locked|SQLITE_BUSY' },
};
/** Busy timeout 5 s: lock errors sooner than 2.5 s are fast. */
const classifier = answerClassifier(DJANGO, { fastBelowMs: 2500 });

describe('answer classifier', () => {
  it('classifies by status: success, partial, anything else an error', () => {
    expect(classifier.classify({ status: 201, body: '{}', elapsedMs: 4 })).toEqual({ outcome: 'success', lockFailure: null });
    expect(classifier.classify({ status: 207, body: '{}', elapsedMs: 4 })).toEqual({ outcome: 'partial', lockFailure: null });
    expect(classifier.classify({ status: 404, body: '{}', elapsedMs: 4 })).toEqual({ outcome: 'error', lockFailure: null });
  });

  it('counts a 500 that says "database is locked" as a lock error, another 500 as an error', () => {
    expect(classifier.classify({ status: 500, body: 'OperationalError: database is locked', elapsedMs: 3 }).outcome).toBe('lock-error');
    expect(classifier.classify({ status: 500, body: 'KeyError: product', elapsedMs: 3 }).outcome).toBe('error');
  });

  it('splits lock errors by time to failure against the busy timeout', () => {
    expect(classifier.classify({ status: 500, body: 'database is locked', elapsedMs: 12 }).lockFailure).toBe('fast');
    expect(classifier.classify({ status: 503, body: '{"code":"SQLITE_BUSY"}', elapsedMs: 5_004 }).lockFailure).toBe('timed-out');
  });

  it('leaves the split unknown without a declared busy timeout', () => {
    expect(answerClassifier(DJANGO, null).classify({ status: 500, body: 'database is locked', elapsedMs: 12 })).toEqual({ outcome: 'lock-error', lockFailure: 'unknown' });
  });

  it('matches a body pattern with no status list on any status', () => {
    const byBody = answerClassifier({ success: { status: [200] }, lockError: { body: 'SQLITE_BUSY' } }, null);
    expect(byBody.classify({ status: 200, body: '{"warning":"SQLITE_BUSY retried"}', elapsedMs: 1 }).outcome).toBe('lock-error');
    expect(byBody.classify({ status: 200, body: '{}', elapsedMs: 1 }).outcome).toBe('success');
  });

  it('counts no answer at all as an error, whatever the rules', () => {
    expect(answerClassifier({ success: { body: '.*' } }, null).classify({ status: 0, body: null, elapsedMs: 60_000 })).toEqual({ outcome: 'error', lockFailure: null });
  });
});

describe('acknowledged count', () => {
  it('reads a number at a dot path, with or without a leading $.', () => {
    expect(acknowledgedCount('{"imported":98}', 'imported')).toBe(98);
    expect(acknowledgedCount('{"result":{"items":[{"count":3}]}}', '$.result.items.0.count')).toBe(3);
  });

  it('is null when the answer is not JSON or the path holds no number', () => {
    expect(acknowledgedCount('<html>', 'imported')).toBeNull();
    expect(acknowledgedCount('{"imported":"98"}', 'imported')).toBeNull();
    expect(acknowledgedCount('{"other":1}', 'imported')).toBeNull();
  });

  it('tells a request with no answer (timeout, reset) from an error answer (a 500 without the lock pattern) and a lock error (a 500 with it), for both drivers alike', () => {
    const cases = [
      { answer: { status: 0, body: null, elapsedMs: 10_000 }, outcome: 'error', unanswered: true },
      { answer: { status: 0, body: null, elapsedMs: 40 }, outcome: 'error', unanswered: true },
      { answer: { status: 500, body: 'KeyError: product', elapsedMs: 6 }, outcome: 'error', unanswered: false },
      { answer: { status: 500, body: 'database is locked', elapsedMs: 4 }, outcome: 'lock-error', unanswered: false },
    ];
    for (const { answer, outcome, unanswered } of cases) {
      const judged = classifier.classify(answer);
      expect(judged.outcome, JSON.stringify(answer)).toBe(outcome);
      expect(isUnanswered({ outcome: judged.outcome, status: answer.status }), JSON.stringify(answer)).toBe(unanswered);
    }
  });
});
