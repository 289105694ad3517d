/**
 * A sweep interrupted before any trial reached analysis (the first trial's load): exit 130, and its
 * reports are still its workload's, the seed workload's criteria listed with every point not run, no
 * verdict, and INCOMPLETE first. ./interrupt-matrix.test.ts checks that such a run ends clean.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SweepResults } from '../harness/model/sweep.ts';
import { problemsAfter, runAndInterrupt } from '../harness/testing/interrupt.ts';
import { tempDirPerTest } from '../harness/testing/temp-dir.ts';

const SHORT = ['--imports', '2', '--artifacts', '20', '--tail', '200ms'];
const reportDir = tempDirPerTest('lockbench-interrupt-sweep-');

describe('a sweep interrupted before its first trial was measured', () => {
  it("reports its workload's criteria, every point not run, and no verdict", { timeout: 120_000 }, async () => {
    const run = await runAndInterrupt('scenario-sweep', ['--base', 'staged', '--batch-sizes', '5,25', '--repeat', '1', '--seed', '1', ...SHORT], { line: 'drive the load (builtin) ...' }, 'SIGINT', reportDir.path);
    const problems = await problemsAfter(run);
    expect(run.sent, run.stderr).toBe(true);
    expect(run.code, run.stderr).toBe(130);
    expect(problems, run.stderr).toEqual([]);

    const latest = join(reportDir.path, 'latest');
    const results = JSON.parse(readFileSync(join(latest, 'results.json'), 'utf8')) as SweepResults;
    expect(results.trials).toEqual([]);
    expect(results.points!.map((p) => [p.id, p.status, p.criteria, p.pass])).toEqual([
      ['batchSize-5', 'not-run', [], false],
      ['batchSize-25', 'not-run', [], false],
    ]);
    expect(results.complete).toBe(false);
    // No --gate was asked: still, a sweep cut short passes nothing.
    expect(results.pass).toBe(false);

    const summary = readFileSync(join(latest, 'summary.md'), 'utf8');
    const lines = summary.split('\n');
    expect(lines[0]).toBe('INCOMPLETE, no verdict: interrupted (SIGINT/SIGTERM)');
    expect(lines[1]).toMatch(/^lockbench sweep on staged: batchSize = 5, 25, 1 repeat\(s\), seed 1, 0 trial\(s\) in /);
    // The seed workload's criteria, none judged: no point ran to the end.
    for (const id of ['lock-hold', 'import-wall', 'catalog-p99', 'success', 'workflow-p99', 'no-loss']) {
      expect(summary).toMatch(new RegExp(`^\\| ${id} \\| [^|]+ \\| not run \\| not run \\|$`, 'm'));
    }
    expect(summary).toMatch(/^\| batchSize-5 \| imports \| 0 \| - \| - \| - \| - \| - \| - \| not measured \|$/m);
    expect(summary).toContain('no recommendation: no point was measured: every trial failed or none ran');
    expect(summary).not.toMatch(/import wall|n = requests inside the import window|the workload has no criteria/);
    // What was to run: the workload, its streams and each trial's settings, though none was measured.
    expect(summary).toContain('- workload file: scenarios/concurrent.workload.json');
    expect(summary).toContain('- streams: imports, catalog, reads, workflow');
    expect(summary).toMatch(/^\| batchSize-25\.r1 \| no \| --import-mode=staged --batch-size=25 /m);

    const junit = readFileSync(join(latest, 'junit.xml'), 'utf8');
    expect(junit).toMatch(/<testsuites name="lockbench concurrent: INCOMPLETE"/);
    expect(junit).toContain('<error message="INCOMPLETE: interrupted (SIGINT/SIGTERM); no verdict" />');
  });
});
