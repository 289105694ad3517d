/** Test support: the results.json of a real default run (k6 v2.2.0, 2 CPUs), and variants of it. */
import { readFileSync } from 'node:fs';
import type { RunResults } from '../results.ts';

export function recordedResults(): RunResults {
  return JSON.parse(readFileSync(new URL('./fixtures/results-concurrent.json', import.meta.url), 'utf8')) as RunResults;
}

/** The recorded run with the gated profile failing `criterionId`. */
export function withGatedFailure(criterionId: string): RunResults {
  const results = recordedResults();
  const staged = results.profiles.find((p) => p.gated)!;
  const criterion = staged.criteria.find((c) => c.id === criterionId)!;
  criterion.pass = false;
  criterion.measured = 4_321;
  staged.pass = false;
  results.pass = false;
  return results;
}
