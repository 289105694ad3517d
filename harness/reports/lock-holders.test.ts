import { describe, expect, it } from 'vitest';
import type { LocksObserved, RunResults } from '../model/results.ts';
import { holdAttributionTable, lockHoldersTable } from './lock-holders.ts';
import { renderMarkdown } from './markdown.ts';
import { renderTerminal } from './terminal.ts';
import { recordedDefaultRun, recordedWorkloadResults } from './testing.ts';

const observed = (results: RunResults, profile: string) => results.profiles.find((p) => p.name === profile)!.observed as LocksObserved;

describe('who held the write lock, in a workload run', () => {
  it("names every holder the observer saw, the side writers by the workload's SQL stream, most held first", () => {
    const { header, rows } = lockHoldersTable(recordedWorkloadResults());
    expect(header).toEqual(['profile', 'holder', 'process', 'holds', 'held ms', 'longest hold ms']);
    expect(rows).toEqual([
      ['monolithic', 'target', 'python3 23424', '132', '11,308', '2,208'],
      ['monolithic', 'workflow-executions (SQL)', 'node 23341', '14', '5.5', '1.0'],
      ['batched', 'target', 'python3 23810', '200', '11,149', '235'],
      ['batched', 'workflow-executions (SQL)', 'node 23341', '37', '13.1', '2.5'],
    ]);
  });

  it('names the side writers by every SQL stream when several ran: their threads share one process, which is all the observer tells apart', () => {
    const results = recordedWorkloadResults();
    const batched = results.profiles.find((p) => p.name === 'batched')!;
    const sql = batched.workload!.streams.find((s) => s.kind === 'sql')!;
    batched.workload!.streams.push({ ...sql, stream: 'audit' });
    const rows = lockHoldersTable(results).rows.filter((r) => r[0] === 'batched');
    expect(rows.map((r) => r[1])).toEqual(['target', 'workflow-executions or audit (SQL)']);
  });

  it("attributes the target's holds to the streams in flight, with the profile's counts on its first row", () => {
    const { rows } = holdAttributionTable(recordedWorkloadResults());
    expect(rows).toEqual([
      ['monolithic', 'catalog-edits', '3 (0)', '1.3', '0.8', '3 of 132 (0 / 3 / 129 / 0)', '< 1 %'],
      ['batched', 'catalog-edits', '11 (2)', '10.6', '1.8', '11 of 200 (2 / 9 / 189 / 0)', '< 1 %'],
    ]);
  });

  it('gives a profile whose holds were all across streams its row, and leaves out one without attribution', () => {
    const results = recordedWorkloadResults();
    observed(results, 'monolithic').attribution = { ...observed(results, 'monolithic').attribution!, oneOf: 0, ambiguous: 132, byStream: [] };
    observed(results, 'batched').attribution = null;
    expect(holdAttributionTable(results).rows).toEqual([['monolithic', 'none attributed', '-', '-', '-', '0 of 132 (0 / 0 / 132 / 0)', '< 1 %']]);
  });

  it('prints both tables in the terminal and in summary.md, in the workload\'s stream names', () => {
    const results = recordedWorkloadResults();
    const terminal = renderTerminal(results);
    const summary = renderMarkdown(results);
    expect(terminal).toMatch(/^profile +holder +process +holds +held ms +longest hold ms$/m);
    expect(terminal).toMatch(/^batched +workflow-executions \(SQL\) +node 23341 +37 +13\.1 +2\.5$/m);
    expect(terminal).toMatch(/^batched +catalog-edits +11 \(2\) +10\.6 +1\.8 +11 of 200 \(2 \/ 9 \/ 189 \/ 0\) +< 1 %$/m);
    expect(summary).toContain('## Who held the write lock');
    expect(summary).toContain('| monolithic | target | python3 23424 | 132 | 11,308 | 2,208 |');
    expect(summary).toContain('| batched | catalog-edits | 11 (2) | 10.6 | 1.8 | 11 of 200 (2 / 9 / 189 / 0) | < 1 % |');
    for (const text of [terminal, summary]) expect(text).not.toContain('workflow-writers');
  });

  it("shows the default run's holders as any workload run's, its workflow writers by their SQL stream", () => {
    const results = recordedDefaultRun();
    expect(renderTerminal(results)).toMatch(/^staged +workflow \(SQL\) +node 27962 +10 +4\.5 +1\.6$/m);
    expect(renderMarkdown(results)).toContain('## Who held the write lock');
    expect(renderMarkdown(results)).toContain('| staged | target | node 28431 | 34 | 250 | 19.2 |');
  });
});
