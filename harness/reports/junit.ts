/**
 * junit.xml: one test case per criterion per gated profile, so CI shows which criterion failed where,
 * and one `lock-cross-check` case. An instrumentation fault fails that case but not the exit code: a
 * CI user sees a red case named for what it is (Jenkins marks the build unstable, GitLab and GitHub list
 * the failed test) instead of a note nobody reads, while the exit code stays the investigation's gate,
 * so a hiccup of the instrument on a loaded runner never reads as a regression of the system under test.
 * When the observer did not watch, the case is skipped with the reason: never a silent pass.
 */
import type { ProfileResult, RunResults } from '../results.ts';
import { formatMeasured, formatThreshold } from './format.ts';
import { CROSS_CHECK_DESCRIPTION, CROSS_CHECK_ID, crossCheckBound } from './lock-figures.ts';

function xml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function profileSuite(results: RunResults, profile: ProfileResult): string[] {
  const suite = `lockbench.${results.scenario}.${profile.name}`;
  const notCompleted =
    profile.status === 'completed' ? undefined : `profile ${profile.status}${profile.error ? `: ${profile.error}` : ''}`;
  const cases = profile.criteria.map((criterion) => {
    const name = `${criterion.id}: ${criterion.description} (${formatThreshold(criterion)})`;
    const open = `    <testcase classname="${xml(suite)}" name="${xml(name)}">`;
    if (criterion.pass && !notCompleted) return [open.replace(/>$/, ' />')];
    const basis = criterion.basis === undefined ? '' : ` (${criterion.basis})`;
    const message = notCompleted ?? `measured ${formatMeasured(criterion)}${basis}, expected ${formatThreshold(criterion)}`;
    const detail = [criterion.reason, notCompleted && !criterion.pass ? `measured ${formatMeasured(criterion)}` : undefined]
      .filter(Boolean)
      .join('\n');
    return [open, `      <failure message="${xml(message)}">${xml(detail || message)}</failure>`, '    </testcase>'];
  });
  if (profile.observed) {
    const { crossCheck } = profile.observed;
    const open = `    <testcase classname="${xml(suite)}" name="${xml(`${CROSS_CHECK_ID}: ${CROSS_CHECK_DESCRIPTION} (${crossCheckBound(results)})`)}">`;
    if (crossCheck.outcome === 'agree') cases.push([open.replace(/>$/, ' />')]);
    else if (crossCheck.outcome === 'fault') {
      cases.push([open, `      <failure message="instrumentation fault">${xml(crossCheck.detail)}</failure>`, '    </testcase>']);
    } else cases.push([open, `      <skipped message="${xml(crossCheck.detail)}" />`, '    </testcase>']);
  }
  if (cases.length === 0) {
    // The profile never reached its evaluation: one failing case says so instead of an empty suite.
    cases.push([
      `    <testcase classname="${xml(suite)}" name="criteria">`,
      `      <failure message="${xml(notCompleted ?? 'no criteria were evaluated')}" />`,
      '    </testcase>',
    ]);
  }
  const failures = cases.filter((c) => c.some((line) => line.trimStart().startsWith('<failure'))).length;
  const skipped = cases.filter((c) => c.some((line) => line.trimStart().startsWith('<skipped'))).length;
  const seconds = (profile.phases.reduce((sum, p) => sum + p.durationMs, 0) / 1000).toFixed(3);
  return [
    `  <testsuite name="${xml(suite)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="${skipped}" time="${seconds}" timestamp="${xml(results.startedAt)}">`,
    ...cases.flat(),
    '  </testsuite>',
  ];
}

export function renderJunit(results: RunResults): string {
  const suites = results.profiles.filter((p) => p.gated).map((p) => profileSuite(results, p));
  const tests = suites.reduce((n, s) => n + s.filter((l) => l.trimStart().startsWith('<testcase')).length, 0);
  const failures = suites.reduce((n, s) => n + s.filter((l) => l.trimStart().startsWith('<failure')).length, 0);
  const skipped = suites.reduce((n, s) => n + s.filter((l) => l.trimStart().startsWith('<skipped')).length, 0);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="lockbench ${xml(results.scenario)}" tests="${tests}" failures="${failures}" errors="0" skipped="${skipped}" time="${(results.durationMs / 1000).toFixed(3)}">`,
    ...suites.flat(),
    '</testsuites>',
    '',
  ].join('\n');
}
