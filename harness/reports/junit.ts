/**
 * junit.xml: one test case per criterion per gated profile, so CI shows which criterion failed where,
 * and one `lock-cross-check` case. An instrumentation fault fails that case but not the exit code: a
 * CI user sees a red case named for what it is (Jenkins marks the build unstable, GitLab and GitHub list
 * the failed test) instead of a note nobody reads, while the exit code stays the investigation's gate,
 * so a hiccup of the instrument on a loaded runner never reads as a regression of the system under test.
 * When the observer did not watch, the case is skipped with the reason: never a silent pass.
 */
import type { CriterionResult, ProfileResult, RunResults } from '../model/results.ts';
import { formatMeasured, formatThreshold } from './format.ts';
import { CROSS_CHECK_DESCRIPTION, CROSS_CHECK_ID, crossCheckBound } from './lock-figures.ts';
import { crossCheckDetail } from './lock-comparison.ts';
import { runSubject, workloadCase, workloadName } from './streams.ts';

/** Text escaped for an XML attribute or element. */
export function xml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A criterion's case name: `catalog-p99: <description> (< 500 ms)`; a workload's criteria have no description. */
export function criterionCaseName(criterion: CriterionResult): string {
  return `${criterion.id}${criterion.description === '' ? '' : `: ${criterion.description}`} (${formatThreshold(criterion)})`;
}

/** `measured 4,321 ms (observed), expected < 500 ms`. */
export function criterionFailureMessage(criterion: CriterionResult): string {
  const basis = criterion.basis === undefined ? '' : ` (${criterion.basis})`;
  return `measured ${formatMeasured(criterion)}${basis}, expected ${formatThreshold(criterion)}`;
}

/**
 * What a run's suites are named after: its workload (the scenario did nothing in such a run), else (no
 * profile at all) its scenario; a default run's seed workload is named as its scenario (`lockbench.concurrent.<profile>`).
 */
function runName(results: RunResults): { id: string; title: string } {
  const workload = workloadName(results.profiles);
  return workload === null ? { id: results.scenario, title: results.scenario } : { id: workload, title: runSubject(results) };
}

function profileSuite(results: RunResults, profile: ProfileResult): string[] {
  const suite = `lockbench.${runName(results).id}.${profile.name}`;
  // A profile that did not run to the end is not judged: its cases are skipped with why, never failed
  // on figures that cover part of a run (and never passed).
  const notJudged =
    profile.status === 'completed'
      ? undefined
      : profile.status === 'not-run'
        ? `not run${profile.error ? `: ${profile.error}` : ''}`
        : `not measured: profile ${profile.status}${profile.error ? ` (${profile.error})` : ''}, its figures cover part of the run only`;
  // A trial is judged by its workload's criteria alone (its `criteria` is empty).
  const cases = (profile.workload?.criteria ?? []).map((criterion) => {
    const c = workloadCase(criterion, profile.workload?.lockSource);
    return notJudged !== undefined
      ? junitCase(suite, c.name, { kind: 'skipped', message: notJudged })
      : c.failure === null
        ? junitCase(suite, c.name, { kind: 'pass' })
        : junitCase(suite, c.name, { kind: 'failure', message: c.failure });
  });
  if (profile.observed) {
    const { crossCheck } = profile.observed;
    const name = `${CROSS_CHECK_ID}: ${CROSS_CHECK_DESCRIPTION} (${crossCheckBound(results)})`;
    cases.push(
      junitCase(
        suite,
        name,
        crossCheck.outcome === 'agree'
          ? { kind: 'pass' }
          : crossCheck.outcome === 'fault'
            ? { kind: 'failure', message: 'instrumentation fault', detail: crossCheckDetail(profile.observed) }
            : { kind: 'skipped', message: crossCheckDetail(profile.observed) },
      ),
    );
  }
  if (cases.length === 0) {
    // The profile never reached its evaluation: one case says so instead of an empty suite.
    cases.push(junitCase(suite, 'criteria', notJudged !== undefined ? { kind: 'skipped', message: notJudged } : { kind: 'failure', message: 'no criteria were evaluated' }));
  }
  const seconds = profile.phases.reduce((sum, p) => sum + p.durationMs, 0) / 1000;
  return junitSuite(suite, cases, { seconds, timestamp: results.startedAt });
}

/** An incomplete run's first suite: one case in error that says INCOMPLETE and why, before any other. */
export function incompleteRunSuite(run: { scenario: string; incompleteReason?: string; durationMs: number; startedAt: string }, caseName: string): string[] {
  const suite = `lockbench.${run.scenario}`;
  const message = `INCOMPLETE: ${run.incompleteReason ?? 'the run stopped early'}; no verdict`;
  return junitSuite(suite, [junitCase(suite, caseName, { kind: 'error', message })], { seconds: run.durationMs / 1000, timestamp: run.startedAt });
}

/** What one test case says: passed, failed (with a message and detail), skipped (with why), or could not run (error). */
export type CaseOutcome =
  | { kind: 'pass' }
  | { kind: 'failure'; message: string; detail?: string }
  | { kind: 'skipped'; message: string }
  | { kind: 'error'; message: string };

/** One `<testcase>` as lines. */
export function junitCase(classname: string, name: string, outcome: CaseOutcome): string[] {
  const open = `    <testcase classname="${xml(classname)}" name="${xml(name)}">`;
  if (outcome.kind === 'pass') return [open.replace(/>$/, ' />')];
  if (outcome.kind === 'skipped') return [open, `      <skipped message="${xml(outcome.message)}" />`, '    </testcase>'];
  if (outcome.kind === 'error') return [open, `      <error message="${xml(outcome.message)}" />`, '    </testcase>'];
  return [open, `      <failure message="${xml(outcome.message)}">${xml(outcome.detail ?? outcome.message)}</failure>`, '    </testcase>'];
}

/** A `<testsuite>` of cases (each as {@link junitCase} lines), with its counts. */
export function junitSuite(name: string, cases: string[][], attributes: { seconds: number; timestamp: string }): string[] {
  const count = (tag: string) => cases.filter((c) => c.some((line) => line.trimStart().startsWith(`<${tag}`))).length;
  return [
    `  <testsuite name="${xml(name)}" tests="${cases.length}" failures="${count('failure')}" errors="${count('error')}" skipped="${count('skipped')}" time="${attributes.seconds.toFixed(3)}" timestamp="${xml(attributes.timestamp)}">`,
    ...cases.flat(),
    '  </testsuite>',
  ];
}

/** The junit.xml document around suites (each as lines), with the totals CI reads. */
export function junitDocument(name: string, durationMs: number, suites: string[][]): string {
  const tests = suites.reduce((n, s) => n + s.filter((l) => l.trimStart().startsWith('<testcase')).length, 0);
  const failures = suites.reduce((n, s) => n + s.filter((l) => l.trimStart().startsWith('<failure')).length, 0);
  const skipped = suites.reduce((n, s) => n + s.filter((l) => l.trimStart().startsWith('<skipped')).length, 0);
  const errors = suites.reduce((n, s) => n + s.filter((l) => l.trimStart().startsWith('<error')).length, 0);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${xml(name)}" tests="${tests}" failures="${failures}" errors="${errors}" skipped="${skipped}" time="${(durationMs / 1000).toFixed(3)}">`,
    ...suites.flat(),
    '</testsuites>',
    '',
  ].join('\n');
}

/** `extraSuites`: further suites (a baseline comparison's) after the gated profiles'. */
export function renderJunit(results: RunResults, extraSuites: string[][] = []): string {
  const suites = results.profiles.filter((p) => p.gated).map((p) => profileSuite(results, p));
  const run = runName(results);
  const headline = results.complete ? [] : [incompleteRunSuite({ ...results, scenario: run.id }, 'run: every profile ran to the end')];
  const name = `lockbench ${run.title}${results.complete ? '' : ': INCOMPLETE'}`;
  return junitDocument(name, results.durationMs, [...headline, ...suites, ...extraSuites]);
}
