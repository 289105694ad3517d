import { describe, expect, it } from 'vitest';
import type { RunResults } from '../model/results.ts';
import type { WorkloadCriterionResult } from '../model/workload.ts';
import { renderMarkdown } from './markdown.ts';
import { runNotes } from './notes.ts';
import { renderTerminal } from './terminal.ts';
import { recordedDefaultRun, recordedWindowedResults, recordedWorkloadResults } from './testing.ts';
import { betweenSlowestTwo, judgesWindowedLatency, WINDOWED_LATENCY_TITLE, windowedLatencyNotes, windowedLatencyTable } from './windowed-latency.ts';

const JUDGED = "edits-p99: catalog-edits p50 / p99 in the source-imports window (n), judged";
const WHOLE = 'catalog-edits p50 / p99 whole run (n)';

function edits(results: RunResults, profile: string): WorkloadCriterionResult {
  return results.profiles.find((p) => p.name === profile)!.workload!.criteria.find((c) => c.id === 'edits-p99')!;
}

describe('latency judged inside a window, beside the whole run', () => {
  it('shows each windowed criterion in two rows, its stream inside the window and over the whole run, a column per profile', () => {
    expect(windowedLatencyTable(recordedWindowedResults())).toEqual({
      header: [WINDOWED_LATENCY_TITLE, 'monolithic', 'batched'],
      rows: [
        [JUDGED, '4,720 ms / 11,103 ms (222)', '3,402 ms / 9,985 ms (230)'],
        [WHOLE, '4,219 ms / 11,082 ms (244)', '1,848 ms / 10,078 ms (251)'],
      ],
    });
  });

  it('says per profile what the criterion judged, in which window, and the whole run beside it', () => {
    const notes = runNotes(recordedWindowedResults());
    expect(notes).toContain(
      "monolithic: edits-p99 judges the 222 of 244 catalog-edits requests that started inside the source-imports window " +
        '(11,148 ms, its first request sent to its last answer): p50 4,720 ms, p99 11,103 ms; whole run: p50 4,219 ms, p99 11,082 ms',
    );
    expect(notes.filter((n) => n.startsWith('batched: edits-p99 judges the 230 of 251 '))).toHaveLength(1);
  });

  it('is left out of every report when no criterion recorded a window (results written before it was kept)', () => {
    const results = recordedWorkloadResults();
    expect(judgesWindowedLatency(results)).toBe(false);
    expect(renderTerminal(results)).not.toContain(WINDOWED_LATENCY_TITLE);
    expect(renderMarkdown(results)).not.toContain(WINDOWED_LATENCY_TITLE);
    expect(runNotes(results).some((n) => n.includes(' judges the '))).toBe(false);
  });

  it('is in the terminal report and summary.md of a workload run that has one, after the criteria', () => {
    const results = recordedWindowedResults();
    const terminal = renderTerminal(results);
    expect(terminal).toMatch(/^latency judged inside a window, beside the whole run +monolithic +batched$/m);
    expect(terminal).toMatch(new RegExp(`^${JUDGED.replace(/[()/]/g, '\\$&')} +4,720 ms / 11,103 ms \\(222\\) +3,402 ms / 9,985 ms \\(230\\)$`, 'm'));
    expect(terminal.indexOf(WINDOWED_LATENCY_TITLE)).toBeGreaterThan(terminal.indexOf('edits-p99 '));
    const markdown = renderMarkdown(results);
    expect(markdown).toContain('## Latency judged inside a window');
    expect(markdown).toContain(`| ${WHOLE} | 4,219 ms / 11,082 ms (244) | 1,848 ms / 10,078 ms (251) |`);
  });

  it("is the default run's table too, its seed workload's windowed criteria in place of the scenario's import window", () => {
    const terminal = renderTerminal(recordedDefaultRun());
    expect(terminal).toContain(WINDOWED_LATENCY_TITLE);
    expect(terminal).not.toContain('latency (import window');
  });

  it('shows no figure on either side for a profile cut short, and says nothing of it', () => {
    const results = recordedWindowedResults();
    edits(results, 'monolithic').notJudged = 'partial-run';
    const { rows } = windowedLatencyTable(results);
    expect(rows.map((r) => r[1])).toEqual(['not measured (partial run)', 'not measured (partial run)']);
    expect(windowedLatencyNotes(results.profiles.find((p) => p.name === 'monolithic')!)).toEqual([]);
  });

  it('keeps the whole run when the window stream sent nothing, and says why the judged side has no figure', () => {
    const results = recordedWindowedResults();
    const c = edits(results, 'batched');
    Object.assign(c, { measured: null, pass: false, code: 'window-unknown', basis: undefined });
    c.windowed = { ...c.windowed!, window: null, p50Ms: null };
    const { rows } = windowedLatencyTable(results);
    expect(rows.map((r) => r[2])).toEqual(['not measured: source-imports has no samples', '1,848 ms / 10,078 ms (251)']);
    expect(windowedLatencyNotes(results.profiles.find((p) => p.name === 'batched')!)).toEqual([
      'edits-p99 not measured: source-imports has no samples, so its window is unknown; whole run: p50 1,848 ms, p99 10,078 ms (251 requests)',
    ]);
  });

  it('says so when nothing started inside the window', () => {
    const results = recordedWindowedResults();
    Object.assign(edits(results, 'batched'), { measured: null, pass: false, code: 'window-empty', basis: { counted: 0, of: 251 } });
    edits(results, 'batched').windowed!.p50Ms = null;
    expect(windowedLatencyTable(results).rows[0]![2]).toBe('not measured: nothing started in the window (0 of 251)');
    expect(windowedLatencyNotes(results.profiles.find((p) => p.name === 'batched')!)[0]).toMatch(
      /^edits-p99 not measured: none of the 251 catalog-edits requests started inside the source-imports window \(11,517 ms, /,
    );
  });

  it('names an SQL stream\'s samples writes, a p50 criterion by its p50 alone, and a percentile resting on its slowest two', () => {
    const results = recordedWindowedResults();
    const batched = results.profiles.find((p) => p.name === 'batched')!;
    batched.workload!.streams.find((s) => s.stream === 'catalog-edits')!.kind = 'sql';
    const c = edits(results, 'batched');
    c.basis = { counted: 3, of: 251 };
    // A criterion on the p50 judges the p50: its measured figures are the p50s.
    c.windowed = { ...c.windowed!, percentile: 50, p50Ms: c.measured, wholeRun: { ...c.windowed!.wholeRun, measured: c.windowed!.wholeRun.p50Ms } };
    expect(windowedLatencyNotes(batched)).toEqual([
      "edits-p99 judges the 3 of 251 catalog-edits writes that started inside the source-imports window (11,517 ms, its first request sent to its last answer): " +
        'p50 9,985 ms; whole run: p50 1,848 ms',
    ]);
    expect(windowedLatencyTable({ profiles: [batched] }).rows).toEqual([
      ["edits-p99: catalog-edits p50 in the source-imports window (n), judged", '9,985 ms (3)'],
      ['catalog-edits p50 whole run (n)', '1,848 ms (251)'],
    ]);
    c.windowed = { ...c.windowed, percentile: 99 };
    expect(windowedLatencyNotes(batched)[0]).toContain('p99 9,985 ms (3 samples: the p99 lies between the slowest two); whole run');
  });

  it('knows when an interpolated percentile lies between the slowest two samples', () => {
    expect([betweenSlowestTwo(99, 100), betweenSlowestTwo(99, 101), betweenSlowestTwo(99, 1)]).toEqual([true, false, false]);
    expect([betweenSlowestTwo(50, 2), betweenSlowestTwo(50, 3), betweenSlowestTwo(100, 5)]).toEqual([true, false, false]);
  });
});
