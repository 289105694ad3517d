/**
 * What an answer means, by what the workload declares (never by guesses in code): a lock error, a
 * partial success, a success, or else an error. A lock error is also split by how long it took: fast
 * (SQLite refused a deferred read-to-write upgrade at once, whatever the busy timeout) or timed out
 * (it waited the busy timeout out). The two have different fixes: BEGIN IMMEDIATE for the first,
 * shorter write transactions for the second.
 */
// Types only: the k6 script bundles this module, and the workload's schema (zod) stays out of it.
import type { AnswerRule, AnswerRules } from './schema.ts';

/** The classes an answer falls in, tried in this order: a lock error first, since it often shares a status with plain errors. */
export const ANSWER_CLASSES = ['lockError', 'partial', 'success'] as const;

export type AnswerOutcome = 'success' | 'partial' | 'lock-error' | 'error';
/** How a lock error failed; `unknown` when the workload declares no busy timeout. */
export type LockFailure = 'fast' | 'timed-out' | 'unknown';

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

/** How a lock error failed, by how long it took, in ms: fast under `fastBelowMs`, else timed out; unknown without a busy timeout. */
export function lockFailureOf(elapsedMs: number, lockErrors: { fastBelowMs: number } | null): LockFailure {
  if (lockErrors === null) return 'unknown';
  return elapsedMs < lockErrors.fastBelowMs ? 'fast' : 'timed-out';
}

/** SQLite's codes for a database that is locked: the busy family and the locked family (by `err.code`, never by text). */
export function isSqlLockError(code: string): boolean {
  return /^SQLITE_(BUSY|LOCKED)(_|$)/.test(code);
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
