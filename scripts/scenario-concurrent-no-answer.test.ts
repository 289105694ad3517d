/**
 * `scenario:concurrent --workload` end to end on the fast described target (scripts/fixtures/fast-target)
 * with requests it cannot answer before their timeout and requests it answers with an error: each stream
 * counts them apart in results.json, the terminal, summary.md and report.html, the note names the stream
 * and why, and a gated `no-answer` criterion fails the run. Figures are counts, not timings.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { latestResults, runCliScript } from '../harness/testing/cli.ts';
import { tempDirPerTest } from '../harness/testing/temp-dir.ts';

const CLI = fileURLToPath(new URL('./scenario-concurrent.ts', import.meta.url));
const fixture = (file: string) => fileURLToPath(new URL(`./fixtures/fast-target/${file}`, import.meta.url));
/** One trial starting the target: generous on a busy 2-core machine. */
const E2E_TIMEOUT_MS = 120_000;

describe('scenario:concurrent --workload with requests that get no answer', () => {
  const temp = tempDirPerTest('lockbench-no-answer-');

  it('counts per stream the requests that got no answer, by why, apart from error answers', { timeout: E2E_TIMEOUT_MS }, async () => {
    const root = temp.path;
    const run = await runCliScript(CLI, ['--target', fixture('target.json'), '--workload', fixture('unanswered.yaml'), '--gated', 'fast'], root);
    // The gated criterion that every request got an answer fails.
    expect(run.code, run.stderr).toBe(1);
    const streams = Object.fromEntries(latestResults(root).profiles[0]!.workload!.streams.map((s) => [s.stream, s]));
    expect(streams['slow-imports']).toMatchObject({ requests: 2, successes: 0, otherErrors: 2, noAnswer: { total: 2, byKind: { timeout: 2 } }, errorAnswers: 0 });
    expect(streams.missing).toMatchObject({ requests: 2, successes: 0, otherErrors: 2, noAnswer: { total: 0, byKind: {} }, errorAnswers: 2 });
    const criteria = Object.fromEntries(latestResults(root).profiles[0]!.workload!.criteria.map((c) => [c.id, c]));
    expect(criteria['all-answered']).toMatchObject({ measured: 2, pass: false });
    expect(criteria['missing-not-found']).toMatchObject({ measured: 2, pass: true });

    expect(run.stdout).toMatch(/^profile\s+stream\s+requests\s+successes\s+lock errors\s+no answer\s+error answers\s+p50\s+p99$/m);
    expect(run.stdout).toMatch(/^fast\s+slow-imports\s+2\s+0\s+0\s+2 \(timeout\)\s+0\s/m);
    expect(run.stdout).toMatch(/^fast\s+missing\s+2\s+0\s+0\s+0\s+2\s/m);
    const note = 'fast: 2 request(s) got no answer: slow-imports 2 (timeout x2); the target sent nothing back before the client gave up or the connection ended';
    expect(run.stdout).toContain(note);
    const summary = readFileSync(join(root, 'latest', 'summary.md'), 'utf8');
    expect(summary).toContain('| fast | slow-imports | 2 | 0 | 0 | 2 (timeout) | 0 |');
    expect(summary).toContain(note);
    expect(readFileSync(join(root, 'latest', 'report.html'), 'utf8')).toContain('<td>2 (timeout)</td>');
  });
});
