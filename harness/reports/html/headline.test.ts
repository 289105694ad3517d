import { describe, expect, it } from 'vitest';
import { withInterruptedRun } from '../testing.ts';
import { reportResultsOf } from './input.ts';
import { renderReportHtml } from './page.ts';

describe('report.html of an interrupted run', () => {
  it('is titled INCOMPLETE, says there is no verdict, and shows partial figures as not measured, never FAIL or pass', async () => {
    const html = await renderReportHtml({ results: reportResultsOf(withInterruptedRun()), timelines: [] });
    expect(html).toContain('<title>lockbench concurrent: INCOMPLETE</title>');
    expect(html).toContain('<h1>lockbench concurrent: INCOMPLETE</h1>');
    expect(html).toContain('no verdict (INCOMPLETE: interrupted (SIGINT/SIGTERM))');
    expect(html).toContain('not measured (partial run)');
    expect(html).not.toMatch(/>FAIL</);
  });
});
