import { describe, expect, it } from 'vitest';
import { renderMarkdown } from './markdown.ts';
import { recordedResults, withCrossCheckFault, withGatedFailure, withObserverUnavailable, withInterruptedRun } from './testing.ts';

describe('renderMarkdown', () => {
  const md = renderMarkdown(recordedResults());

  it('heads the summary with the verdict and tables the criteria per profile', () => {
    expect(md.split('\n')[0]).toBe('# lockbench concurrent: PASS');
    expect(md).toContain('| criterion | threshold | before | seed-fix | staged (gated) | gate |');
    expect(md).toContain('| catalog-p99 | < 500 ms | 14,876 ms FAIL | 5,373 ms FAIL | 55.5 ms pass | pass |');
    expect(md).toContain('| lock-hold | < 500 ms | 3,049 ms (observed) FAIL | 308 ms (observed) pass | 14.0 ms (observed) pass | pass |');
  });

  it('lists the figures behind the criteria and the notes', () => {
    // The judged (in-window) latency beside the whole run's, each with the samples it rests on.
    expect(md).toContain('| catalog p50 / p99 in import window (n), judged | 4,900 ms / 14,876 ms (309) | 276 ms / 5,373 ms (308) | 2.8 ms / 55.5 ms (61) |');
    expect(md).toContain('| catalog p50 / p99 whole run (n) | 3,977 ms / 14,698 ms (400) | 189 ms / 4,937 ms (401) | 2.4 ms / 40.9 ms (401) |');
    expect(md).toContain('| workflow write p99 in import window (n), judged | 14,918 ms (308) | 5,581 ms (308) | 80.5 ms (61) |');
    expect(md).toContain('| workflow write p99 whole run (n) | 14,737 ms (427) | 5,497 ms (427) | 35.1 ms (426) |');
    expect(md).toContain('| max lock hold, judged | 3,049 ms (observed) | 308 ms (observed) | 14.0 ms (observed) |');
    expect(md).toMatch(/## Notes\n\n- before: lock-hold judged on the max hold observed from outside over all holders \(3,049 ms\)/);
  });

  it('shows the write lock observed beside self-reported for every profile, then each comparison in full', () => {
    expect(md).toContain('<details><summary>The instrument: write lock observed from outside vs self-reported</summary>');
    expect(md).toContain('| max hold | 3,049 / 3,050 ms (-1.11) | 308 / 308 ms (+0.01) | 13.95 / 13.92 ms (+0.04) |');
    expect(md).toContain('| cross-check (reported, not gating) | agree | agree | agree |');
    for (const name of ['before', 'seed-fix', 'staged']) expect(md).toContain(`### ${name}\n\nCross-check: **agree**: observed and self-reported holds agree`);
    expect(md).toContain(
      '| duty cycle | 3.52 / 3.66 % (-0.15 pp) | 0.171 pp | summed holds may differ by 5 ms + one gap + 4 x 7.5 ms of sampling error ' +
        "(half a gap for each of 867 holds, each observed hold end's own gap / sqrt 12) = 35.5 ms, self-reported longer by 0 us x 867 holds = 0.0 ms more, over 20796 ms |",
    );
    expect(md).toContain(
      "| max hold | 13.95 / 13.92 ms (+0.04) | 5.51 ms | longest hold; the observed holds' own sample gaps put it in 13.44..14.46 ms; self-reported within that +- 5 ms |",
    );
    expect(md).toContain('- all holds in the window: 486 observed, 867 self-reported (polling misses many holds shorter than a sample gap)');
    expect(md).toContain(
      '- observed holds compared as the holders time them (to COMMIT returned): 7 extended through the auto-checkpoint their COMMIT ran after releasing the write lock, 7 checkpoint(s) after a write lock too short to sample; 32.5 ms added',
    );
    expect(md).toContain('| target | 1831 | 145 / 405 | 15263.64 / 15288.63 | 3049.35 / 3050.46 |');
    expect(md).toContain('| workflow writers | 1814 | 106 / 416 | 29.61 / 60.63 | 1.25 / 5.90 |');
  });

  it('names an instrumentation fault and the figure it is in', () => {
    const faulty = renderMarkdown(withCrossCheckFault());
    expect(faulty).toContain(
      "Cross-check: **FAULT**: instrumentation fault: observed and self-reported holds differ beyond 5 ms of what each hold's own sample gaps allow " +
        '(sample gap p99 0.51 ms): max hold -20.00 ms (observed 13.95, self-reported 33.95, allowed 5.51). Observer pid',
    );
    expect(faulty).toMatch(/## Notes\n[^]*- staged: instrumentation fault: .*: max hold -20\.00 ms .* \(reported, not gating\)\n/);
    expect(faulty).toContain('| max hold | 13.95 / 33.95 ms (-20.00) FAULT | 5.51 ms |');
    expect(faulty.split('\n')[0]).toBe('# lockbench concurrent: PASS');
  });

  it('says lock-hold was judged on the self-reported figure when the observer could not run', () => {
    const fallback = renderMarkdown(withObserverUnavailable());
    expect(fallback).toContain('| max lock hold, judged | 3,050 ms (self-reported) | 308 ms (self-reported) | 13.9 ms (self-reported) |');
    expect(fallback).toContain(
      '### staged\n\nNot observed (unavailable): the lock observer could not start: UNSUPPORTED_PLATFORM: observing SQLite locks is not supported on darwin-arm64. ' +
        'lock-hold was judged on the SELF-REPORTED figure; nothing was cross-checked.',
    );
  });

  it('says FAIL when a gated criterion failed', () => {
    expect(renderMarkdown(withGatedFailure('import-wall')).split('\n')[0]).toBe('# lockbench concurrent: FAIL');
  });

  it('heads an interrupted run with INCOMPLETE and no verdict, never FAIL', () => {
    const text = renderMarkdown(withInterruptedRun());
    const lines = text.split('\n');
    expect(lines[0]).toBe('# lockbench concurrent: INCOMPLETE');
    expect(lines[2]).toMatch(/^Gate \(staged\): \*\*no verdict \(INCOMPLETE: interrupted \(SIGINT\/SIGTERM\)\)\*\*\. 0 of 3 profile\(s\) ran to the end, measured by/);
    expect(text).not.toMatch(/FAIL/);
    expect(text).toContain('| integrity | integrity_check ok | not run | not run |');
    expect(text).toContain('| artifacts stored / acknowledged | 200 / 0 (cut short: not compared) | not run | not run |');
  });

  it('writes the run options readably: settings as pairs, never [object Object]', () => {
    const results = recordedResults();
    results.options = { ...results.options, settings: { artifactWorkMs: 2 } };
    const options = renderMarkdown(results).split('\n').find((l) => l.startsWith('`') && l.includes('settings='))!;
    expect(options).toContain('settings={artifactWorkMs=2}');
    expect(options).not.toContain('[object Object]');
  });

  it('words the cross-check outcome, never its code', () => {
    const text = renderMarkdown(withInterruptedRun());
    expect(text).toContain('Cross-check not checked: the profile did not run to the end');
    expect(text).not.toContain('not-checked');
  });
});

