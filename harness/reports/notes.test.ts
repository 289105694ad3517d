import { describe, expect, it } from 'vitest';
import { holdAttributionTable } from './lock-holders.ts';
import { runNotes } from './notes.ts';
import { recordedResults, recordedWorkloadResults } from './testing.ts';

describe('a profile\'s own notes in words', () => {
  it('says what the target could not give and what went wrong on the way, after the profile\'s name', () => {
    const results = recordedResults();
    const staged = results.profiles.find((p) => p.name === 'staged')!;
    staged.notes = [
      { code: 'target-reports-no-locks', target: 'fastapi-sqlalchemy' },
      { code: 'no-workflow-write' },
      { code: 'no-artifacts-per-source' },
      { code: 'target-exit-on-stop', exitCode: 137 },
      { code: 'error', message: 'the target did not stop within 15 s' },
      { code: 'journal-mode-changed', before: 'rollback', after: 'wal' },
    ];
    const notes = runNotes(results).filter((n) => n.startsWith('staged: '));
    expect(notes.slice(0, 6)).toEqual([
      'staged: fastapi-sqlalchemy reports no lock figures of its own (its description has no "locks"): lock-hold rests on the lock observer alone, and the lock cross-check is not available',
      'staged: workflow writers not run: the target description has no sql.workflowWrite, so workflow-p99 is not measured',
      'staged: no-loss not run: the target description has no sql.artifactsPerSource, so the stored rows were not counted',
      'staged: the target exited with code 137 when stopped',
      'staged: the target did not stop within 15 s',
      "staged: the database's journal mode changed during the trial, from rollback journal (locks on the database file) to WAL (locks on <db>-shm): " +
        'nothing lockbench runs beside the target changes it, so the target (or another process) did',
    ]);
  });

  it('says which journal mode the database was observed in, and how much of the longest hold was its commit', () => {
    const results = recordedResults();
    const before = results.profiles.find((p) => p.name === 'before')!;
    if (before.observed?.status !== 'observed') throw new Error('the recorded run was observed');
    before.observed.journalMode = 'rollback';
    before.observed.summary = { ...before.observed.summary, holdMaxMs: 2100, heldMs: 5000, committingMs: 9, longestHoldCommittingMs: 3 };
    const notes = runNotes(results).filter((n) => n.startsWith('before: '));
    expect(notes).toContain('before: database observed in journal mode rollback journal (locks on the database file)');
    expect(notes).toContain('before: longest write transaction open 2,100 ms, of which committing 3.0 ms (all holds: 5,000 ms open, 9.0 ms committing)');
  });

  it('says which streams held the target\'s lock, and how many holds could be attributed', () => {
    const results = recordedResults();
    const before = results.profiles.find((p) => p.name === 'before')!;
    if (before.observed?.status !== 'observed') throw new Error('the recorded run was observed');
    before.observed.attribution = {
      holds: 4,
      exact: 1,
      oneOf: 1,
      ambiguous: 1,
      none: 1,
      attributedShare: 0.5,
      attributedTimeShare: 0.818,
      byStream: [
        { stream: 'imports', holds: 1, exact: 1, heldMs: 800, holdMaxMs: 800 },
        { stream: 'catalog', holds: 1, exact: 0, heldMs: 100, holdMaxMs: 100 },
      ],
    };
    // Said by its table (the workload's holders by stream), no longer in a note.
    const { rows } = holdAttributionTable(results);
    expect(rows).toEqual([
      ['before', 'imports', '1 (1)', '800', '800', '2 of 4 (1 / 1 / 1 / 1)', '82 %'],
      ['', 'catalog', '1 (0)', '100', '100', '', ''],
    ]);
    expect(runNotes(results).some((n) => n.includes('target lock holds by stream'))).toBe(false);
  });

  it('says how many of a workload\'s requests got no answer and why, which its streams table counts only as other errors', () => {
    const results = recordedWorkloadResults();
    expect(runNotes(results).filter((n) => n.includes('no answer'))).toEqual([]);
    const batched = results.profiles.find((p) => p.name === 'batched')!;
    batched.reliability!.requests.byError = { timeout: 9, reset: 1 };
    expect(runNotes(results).filter((n) => n.includes('no answer'))).toEqual([
      'batched: 10 request(s) got no answer (timeout x9, reset x1): the target sent nothing back before the client gave up or the connection ended; ' +
        'counted as other errors, a timed-out one with its timeout as latency',
    ]);
    // Cut short, the requests the stop aborted were not the target's doing.
    batched.status = 'incomplete';
    batched.reliability!.requests.byError = { aborted: 3 };
    expect(runNotes(results).filter((n) => n.includes('no answer'))).toEqual([]);
  });

  it("names the streams whose requests got no answer, and why, from each stream's split", () => {
    const results = recordedWorkloadResults();
    const batched = results.profiles.find((p) => p.name === 'batched')!;
    const [imports, edits, , executions] = batched.workload!.streams;
    Object.assign(imports!, { otherErrors: 12, noAnswer: { total: 9, byKind: { timeout: 8, reset: 1 } }, errorAnswers: 3 });
    Object.assign(edits!, { otherErrors: 1, noAnswer: { total: 1, byKind: { refused: 1 } }, errorAnswers: 0 });
    expect(executions!.kind).toBe('sql');
    // The profile-wide count is not what this note reads once the streams say it.
    batched.reliability!.requests.byError = { timeout: 99 };
    expect(runNotes(results).filter((n) => n.includes('no answer'))).toEqual([
      'batched: 10 request(s) got no answer: source-imports 9 (timeout x8, reset x1), catalog-edits 1 (refused x1); ' +
        'the target sent nothing back before the client gave up or the connection ended; a timed-out one has its timeout as latency',
    ]);
    // Cut short, the requests the stop aborted were not the target's doing.
    batched.status = 'incomplete';
    Object.assign(imports!, { noAnswer: { total: 2, byKind: { aborted: 2 } } });
    Object.assign(edits!, { noAnswer: { total: 0, byKind: {} } });
    expect(runNotes(results).filter((n) => n.includes('no answer'))).toEqual([]);
  });
});
