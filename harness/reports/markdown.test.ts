import { describe, expect, it } from 'vitest';
import { renderMarkdown } from './markdown.ts';
import { recordedDefaultRun, withCrossCheckFault, withGatedFailure, withObserverUnavailable, withInterruptedRun } from './testing.ts';

describe('renderMarkdown', () => {
  const today = renderMarkdown(recordedDefaultRun());

  it("heads the summary with the verdict and tables the workload's criteria per profile", () => {
    expect(today.split('\n')[0]).toBe('# lockbench concurrent: PASS');
    expect(today).toContain('| criterion | threshold | before | staged (gated) | gate |');
    expect(today).toContain('| catalog-p99 | < 500 ms | 6,388 ms FAIL | 60.4 ms pass | pass |');
    expect(today).toContain('| lock-hold | < 500 ms | 1,498 ms FAIL | 19.2 ms pass | pass |');
  });

  it('lists the figures behind the criteria and the notes', () => {
    // The judged (in-window) latency beside the whole run's, each with the samples it rests on.
    expect(today).toContain('| catalog-p99: catalog p50 / p99 in the imports window (n), judged | 2,147 ms / 6,388 ms (132) | 4.1 ms / 60.4 ms (25) |');
    expect(today).toContain('| catalog p50 / p99 whole run (n) | 1,871 ms / 6,363 ms (153) | 3.8 ms / 56.4 ms (46) |');
    expect(today).toContain('| workflow-p99: workflow p50 / p99 in the imports window (n), judged | 1,185 ms / 3,821 ms (132) | 1.6 ms / 75.9 ms (25) |');
    expect(today).toContain('| workflow p50 / p99 whole run (n) | 968 ms / 3,726 ms (157) | 1.4 ms / 69.3 ms (51) |');
    // The longest hold judged, where it came from, and each holder's.
    expect(today).toContain('| before | target | node 27980 | 70 | 6,413 | 1,498 |');
    expect(today).toMatch(/## Notes\n\n- before: lock figures from the external observer \(every holder\)\n/);
  });

  it("tables each observed profile's lock figures: observed beside self-reported, the allowance and its rule", () => {
    expect(today).toContain('Figure by figure, the holds of the processes that time their own (the target and the side writers) beside what the observer saw of them:');
    const staged = today.slice(today.indexOf('<details><summary>staged: each figure observed beside self-reported</summary>'));
    expect(staged.slice(0, staged.indexOf('</details>')).split('\n').filter((l) => l.startsWith('| '))).toEqual([
      '| figure | observed / self-reported (difference) | allowed | rule |',
      expect.stringMatching(/^\| max hold \| 19\.16 \/ 19\.59 ms \(-0\.43\) \| 5\.53 ms \| longest hold; the observed holds' own sample gaps put it in 18\.86\.\.19\.69 ms; self-reported within that \+- 5 ms \|$/),
      expect.stringMatching(/^\| p99 hold \| 19\.16 \/ 19\.59 ms \(-0\.43\) \| 5\.53 ms \| p99 over holds >= 5\.54 ms on each side; /),
      expect.stringMatching(/^\| duty cycle \| 10\.71 \/ 10\.77 % \(-0\.061 pp\) \| 0\.991 pp \| summed holds may differ by 5 ms \+ one gap/),
      '| holds | 20 / 20 (+0) | every one matched | holds >= 5.54 ms; fault when one on either side has no counterpart of the same pid (paired one to one, largest overlap first) |',
    ]);
    expect(staged).toContain('- all holds in the window: 44 observed, 114 self-reported (polling misses many holds shorter than a sample gap)');
    expect(today).toContain('<details><summary>before: each figure observed beside self-reported</summary>');
  });

  it('names an instrumentation fault and the figure it is in', () => {
    const faulty = renderMarkdown(withCrossCheckFault());
    expect(faulty).toContain(
      "- staged: FAULT: instrumentation fault: observed and self-reported holds differ beyond 5 ms of what each hold's own sample gaps allow " +
        '(sample gap p99 0.54 ms): max hold -20.00 ms (observed 19.16, self-reported 39.16, allowed 5.53); observer F_OFD_GETLK every 250 us',
    );
    expect(faulty).toMatch(/## Notes\n[^]*- staged: instrumentation fault: .*: max hold -20\.00 ms .* \(reported, not gating\)\n/);
    expect(faulty.split('\n')[0]).toBe('# lockbench concurrent: PASS');
    expect(faulty).toMatch(/^\| max hold \| 19\.16 \/ 39\.16 ms \(-20\.00\) FAULT \| 5\.53 ms \| /m);
  });

  it('says the lock figures were self-reported, and why nothing was cross-checked, when the observer could not run', () => {
    const fallback = renderMarkdown(withObserverUnavailable());
    expect(fallback).toContain('| lock-hold | < 500 ms | 1,498 ms FAIL | 19.6 ms pass | pass |');
    expect(fallback).toContain("- staged: lock figures self-reported by the holders (the observer did not watch): the target's own and the side writers' holds");
    expect(fallback).toContain('- staged: not checked: the lock observer could not start: UNSUPPORTED_PLATFORM: observing SQLite locks is not supported on darwin-arm64\n');
    // Nothing observed, nothing compared figure by figure.
    expect(fallback).not.toContain('<details><summary>staged: each figure observed beside self-reported');
  });

  it('says FAIL when a gated criterion failed', () => {
    const failed = renderMarkdown(withGatedFailure('import-wall'));
    expect(failed.split('\n')[0]).toBe('# lockbench concurrent: FAIL');
    expect(failed).toContain('| import-wall | < 4,000 ms | 6,613 ms FAIL | 4,321 ms FAIL | FAIL |');
  });

  it('heads an interrupted run with INCOMPLETE and no verdict, never FAIL', () => {
    const text = renderMarkdown(withInterruptedRun());
    const lines = text.split('\n');
    expect(lines[0]).toBe('# lockbench concurrent: INCOMPLETE');
    expect(lines[2]).toMatch(/^Workload `scenarios\/concurrent\.workload\.json`\. Gate \(staged\): \*\*no verdict \(INCOMPLETE: interrupted \(SIGINT\/SIGTERM\)\)\*\*\. Measured by/);
    expect(text).not.toMatch(/FAIL/);
    expect(text).toContain('| no-loss | == acknowledged | not measured (partial run) | not run | no verdict |');
    expect(text).toContain('- before: integrity: rows not compared with what was acknowledged (the run was cut short); PRAGMA integrity_check ok');
  });

  it('words the cross-check outcome, never its code', () => {
    const text = renderMarkdown(withInterruptedRun());
    expect(text).toContain('- before: not checked: the profile did not run to the end');
    expect(text).not.toContain('not-checked');
  });
});

