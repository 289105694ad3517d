import { describe, expect, it } from 'vitest';
import { runNotes } from './notes.ts';
import { recordedResults } from './testing.ts';

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
    ];
    const notes = runNotes(results).filter((n) => n.startsWith('staged: '));
    expect(notes.slice(0, 5)).toEqual([
      'staged: fastapi-sqlalchemy reports no lock figures of its own (its description has no "locks"): lock-hold rests on the lock observer alone, and the lock cross-check is not available',
      'staged: workflow writers not run: the target description has no sql.workflowWrite, so workflow-p99 is not measured',
      'staged: no-loss not run: the target description has no sql.artifactsPerSource, so the stored rows were not counted',
      'staged: the target exited with code 137 when stopped',
      'staged: the target did not stop within 15 s',
    ]);
  });
});
