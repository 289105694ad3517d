/**
 * What an answer means, by what the workload declares (never by guesses in code): a lock error, a
 * partial success, a success, or else an error. A lock error is also split by how long it took: fast
 * (SQLite refused a deferred read-to-write upgrade at once, whatever the busy timeout) or timed out
 * (it waited the busy timeout out). The two have different fixes: BEGIN IMMEDIATE for the first,
 * shorter write transactions for the second.
 */
import { ANSWER_CLASSES, type AnswerRule, type AnswerRules } from '../../model/workload-plan.ts';
import type { AnswerOutcome } from '../../model/workload-samples.ts';
import { lockFailureOf, type LockFailure } from '../../shared/lock-errors.ts';

export interface AnswerClass {
  outcome: AnswerOutcome;
  /** Set for lock errors only. */
  lockFailure: LockFailure | null;
}

/** One answer as the classifier reads it. */
export interface Answer {
  /** HTTP status; 0 when there was no answer. */
  status: number;
  body: string | null;
  /** From first byte sent to last byte read (or failure), in ms. */
  elapsedMs: number;
}

const OUTCOME: Record<(typeof ANSWER_CLASSES)[number], AnswerOutcome> = { lockError: 'lock-error', partial: 'partial', success: 'success' };

/** Compiled answer rules of one stream. */
export interface AnswerClassifier {
  classify(answer: Answer): AnswerClass;
}

function matches(rule: AnswerRule, pattern: RegExp | null, answer: Answer): boolean {
  if (rule.status !== undefined && !rule.status.includes(answer.status)) return false;
  return pattern === null || pattern.test(answer.body ?? '');
}

/**
 * The classifier of a stream's rules. `lockErrors` is the workload's busy timeout and the line under
 * which a lock error is fast, in ms; null leaves every lock error `unknown`.
 */
export function answerClassifier(rules: AnswerRules, lockErrors: { fastBelowMs: number } | null): AnswerClassifier {
  const compiled = ANSWER_CLASSES.flatMap((name) => {
    const rule = rules[name];
    return rule ? [{ outcome: OUTCOME[name], rule, pattern: rule.body === undefined ? null : new RegExp(rule.body) }] : [];
  });
  return {
    classify(answer) {
      // No answer at all (timeout, refused, reset) says nothing about the database.
      if (answer.status === 0) return { outcome: 'error', lockFailure: null };
      const hit = compiled.find((c) => matches(c.rule, c.pattern, answer));
      if (!hit) return { outcome: 'error', lockFailure: null };
      if (hit.outcome !== 'lock-error') return { outcome: hit.outcome, lockFailure: null };
      return { outcome: 'lock-error', lockFailure: lockFailureOf(answer.elapsedMs, lockErrors) };
    },
  };
}

/** The acknowledged count at a dot path (`imported`, `result.items.0.count`, optionally `$.`-prefixed) of a JSON answer; null when absent or not a number. */
export function acknowledgedCount(body: string | null, path: string): number | null {
  let value: unknown;
  try {
    value = JSON.parse(body ?? '');
  } catch {
    return null;
  }
  for (const key of path.replace(/^\$\.?/, '').split('.').filter(Boolean)) {
    if (value === null || typeof value !== 'object') return null;
    value = (value as Record<string, unknown>)[key];
  }
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}
