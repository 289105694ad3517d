import { describe, expect, it } from 'vitest';
import { renderJunit } from './junit.ts';
import { recordedDefaultRun as recordedResults, withCrossCheckFault, withGatedFailure, withInterruptedRun, withObserverUnavailable } from './testing.ts';

const count = (xml: string, tag: string) => xml.split(`<${tag}`).length - 1;

describe('renderJunit', () => {
  it('has one test case per criterion of each gated profile only, and one for the lock cross-check', () => {
    const xml = renderJunit(recordedResults());
    expect(count(xml, 'testsuite ')).toBe(1);
    expect(xml).toContain('<testsuite name="lockbench.concurrent.staged" tests="7" failures="0" errors="0" skipped="0"');
    expect(count(xml, 'testcase ')).toBe(7);
    expect(count(xml, 'failure ')).toBe(0);
    for (const name of ['lock-hold (max-lock-hold)', 'import-wall (wall)', 'catalog-p99 (latency)', 'success (outcomes)', 'workflow-p99 (latency)', 'no-loss (no-loss)']) {
      expect(xml).toContain(`<testcase classname="lockbench.concurrent.staged" name="${name}" />`);
    }
    expect(xml).toContain(
      '<testcase classname="lockbench.concurrent.staged" name="lock-cross-check: Write-lock figures observed from outside and self-reported by the holders agree (within 5 ms of what each hold\'s own sample gaps allow)" />',
    );
    expect(xml).not.toContain('lockbench.concurrent.before');
  });

  it('fails the case of a failed criterion with the measured figure and escapes XML', () => {
    const xml = renderJunit(withGatedFailure('workflow-p99'));
    expect(xml).toContain('failures="1"');
    expect(xml).toContain('<failure message="measured 4,321 ms, expected &lt; 1,000 ms">');
  });

  it('says where a failed lock-hold figure came from', () => {
    expect(renderJunit(withGatedFailure('lock-hold'))).toContain('<failure message="measured 4,321 ms (observed), expected &lt; 500 ms">');
    const fallback = withObserverUnavailable();
    const staged = fallback.profiles.find((p) => p.gated)!;
    Object.assign(staged.workload!.criteria.find((c) => c.id === 'lock-hold')!, { measured: 4_321, pass: false });
    expect(renderJunit(fallback)).toContain('<failure message="measured 4,321 ms (self-reported), expected &lt; 500 ms">');
  });

  it('fails the cross-check case on an instrumentation fault, with what disagreed', () => {
    const xml = renderJunit(withCrossCheckFault());
    expect(xml).toContain('tests="7" failures="1"');
    expect(xml).toMatch(/<failure message="instrumentation fault">instrumentation fault: .*: max hold -20\.00 ms \(observed 19\.16, self-reported 39\.16, allowed 5\.53\)<\/failure>/);
  });

  it('skips the cross-check case, with the reason, when the observer could not run', () => {
    const xml = renderJunit(withObserverUnavailable());
    expect(xml).toContain('tests="7" failures="0" errors="0" skipped="1"');
    expect(xml).toContain('<skipped message="not checked: the lock observer could not start: UNSUPPORTED_PLATFORM: observing SQLite locks is not supported on darwin-arm64" />');
  });

  it('skips, never fails, the cases of a gated profile that did not complete, and says INCOMPLETE first', () => {
    const results = recordedResults();
    const staged = results.profiles.find((p) => p.gated)!;
    staged.status = 'incomplete';
    staged.error = 'interrupted';
    results.complete = false;
    results.incompleteReason = 'interrupted (SIGINT/SIGTERM)';
    const xml = renderJunit(results);
    expect(count(xml, 'failure ')).toBe(0);
    expect(xml).toContain('<skipped message="not measured: profile incomplete (interrupted), its figures cover part of the run only" />');
    expect(xml).toMatch(/<testsuites name="lockbench concurrent: INCOMPLETE" tests="8" failures="0" errors="1" skipped="6"/);
    expect(count(xml, 'skipped message="not measured: profile incomplete (interrupted), its figures cover part of the run only" /')).toBe(6);
    expect(xml.indexOf('<error message="INCOMPLETE: interrupted (SIGINT/SIGTERM); no verdict" />')).toBeLessThan(xml.indexOf('lockbench.concurrent.staged'));
  });

  it('shows a gated profile that never ran as not run (skipped), not as failures', () => {
    const xml = renderJunit(withInterruptedRun());
    expect(count(xml, 'failure ')).toBe(0);
    expect(xml).toContain('<testsuite name="lockbench.concurrent.staged" tests="6" failures="0" errors="0" skipped="6"');
    expect(xml).toContain('<skipped message="not run: interrupted before it ran" />');
  });
});
