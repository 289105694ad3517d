import { describe, expect, it } from 'vitest';
import { renderMarkdown } from './markdown.ts';
import { recordedResults, withGatedFailure } from './testing.ts';

describe('renderMarkdown', () => {
  it('heads the summary with the verdict and tables the criteria per profile', () => {
    const md = renderMarkdown(recordedResults());
    expect(md.split('\n')[0]).toBe('# lockbench concurrent: PASS');
    expect(md).toContain('| criterion | threshold | before | seed-fix | staged (gated) | gate |');
    expect(md).toContain('| catalog-p99 | < 500 ms | 15,187 ms FAIL | 7,461 ms FAIL | 62.0 ms pass | pass |');
  });

  it('lists the figures behind the criteria and the notes', () => {
    const md = renderMarkdown(recordedResults());
    // The judged (in-window) latency beside the whole run's, each with the samples it rests on.
    expect(md).toContain('| catalog p50 / p99 in import window (n), judged | 6,322 ms / 15,187 ms (309) | 902 ms / 7,461 ms (314) | 3.0 ms / 62.0 ms (61) |');
    expect(md).toContain('| catalog p50 / p99 whole run (n) | 5,238 ms / 14,879 ms (401) | 692 ms / 6,382 ms (401) | 2.7 ms / 38.3 ms (401) |');
    expect(md).toContain('| workflow write p99 in import window (n), judged | 15,089 ms (309) | 14,823 ms (314) | 65.2 ms (61) |');
    expect(md).toContain('| workflow write p99 whole run (n) | 15,008 ms (418) | 14,672 ms (420) | 36.0 ms (423) |');
    expect(md).toMatch(/## Notes\n\n- before: import wall from the k6 client clock/);
  });

  it('says FAIL when a gated criterion failed', () => {
    expect(renderMarkdown(withGatedFailure('import-wall')).split('\n')[0]).toBe('# lockbench concurrent: FAIL');
  });
});
