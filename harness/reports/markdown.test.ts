import { describe, expect, it } from 'vitest';
import { renderMarkdown } from './markdown.ts';
import { recordedResults, withGatedFailure } from './testing.ts';

describe('renderMarkdown', () => {
  it('heads the summary with the verdict and tables the criteria per profile', () => {
    const md = renderMarkdown(recordedResults());
    expect(md.split('\n')[0]).toBe('# lockbench concurrent: PASS');
    expect(md).toContain('| criterion | threshold | before | seed-fix | staged (gated) | gate |');
    expect(md).toContain('| catalog-p99 | < 500 ms | 14,984 ms FAIL | 5,829 ms FAIL | 44.7 ms pass | pass |');
  });

  it('lists the figures behind the criteria and the notes', () => {
    const md = renderMarkdown(recordedResults());
    expect(md).toContain('| catalog p50 / p99 |');
    expect(md).toMatch(/## Notes\n\n- before: import wall from the k6 client clock/);
  });

  it('says FAIL when a gated criterion failed', () => {
    expect(renderMarkdown(withGatedFailure('import-wall')).split('\n')[0]).toBe('# lockbench concurrent: FAIL');
  });
});
