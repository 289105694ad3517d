/**
 * Interrupts at every phase of every profile of a run, of a sweep and of a run against the foreign
 * FastAPI target, with SIGINT and SIGTERM to the whole process group (a terminal's Ctrl-C, `timeout`,
 * a CI runner's cancel). Each case asserts: exit 130, a parseable results.json marked incomplete,
 * `latest` pointing at the run's folder, no process of the run left (by parent, by process group and
 * by the run's own TMPDIR) and no temp folder left. The signal goes at the run's own progress lines.
 * Runs are shortened (2 imports of 20 artifacts, a 200 ms tail) with the phases unchanged.
 */
import { describe, expect, it } from 'vitest';
import { problemsAfter, runAndInterrupt, type InterruptPoint } from '../harness/testing/interrupt.ts';
import { tempDirPerTest } from '../harness/testing/temp-dir.ts';

const SHORT = ['--imports', '2', '--artifacts', '20', '--tail', '200ms'];
const PROFILES = ['before', 'seed-fix', 'staged'];
const PHASES = ['start the stack ...', 'drive the load (builtin) ...', 'collect the measurements ...', 'stop the stack ...'];
/** Per case: one run and its checks, on 2 busy cores. */
const CASE_TIMEOUT_MS = 120_000;

const reportDir = tempDirPerTest('lockbench-interrupt-');

interface Case {
  name: string;
  command: string;
  args: string[];
  point: InterruptPoint;
  signal: NodeJS.Signals;
}

const cases: Case[] = [
  // Every phase of every profile; each phase and each profile gets both signals across the grid.
  ...PROFILES.flatMap((profile, p) =>
    PHASES.map((phase, f): Case => ({
      name: `concurrent, [${profile}] ${phase}`,
      command: 'scenario-concurrent',
      args: SHORT,
      point: { line: `[${profile}] ${phase}` },
      signal: (p + f) % 2 === 0 ? 'SIGINT' : 'SIGTERM',
    })),
  ),
  {
    name: "sweep, the second trial's load",
    command: 'scenario-sweep',
    args: ['--base', 'staged', '--batch-sizes', '5,25', '--repeat', '1', ...SHORT],
    point: { line: 'drive the load (builtin) ...', occurrence: 2 },
    signal: 'SIGINT',
  },
  {
    name: "sweep, the first trial's collect",
    command: 'scenario-sweep',
    args: ['--base', 'staged', '--batch-sizes', '5,25', '--repeat', '1', ...SHORT],
    point: { line: 'collect the measurements ...' },
    signal: 'SIGTERM',
  },
  ...(
    [
      ['[monolithic] drive the load (builtin) ...', 'SIGINT'],
      ['[batched] start the stack ...', 'SIGTERM'],
      ['[batched] collect the measurements ...', 'SIGINT'],
    ] as const
  ).map(([line, signal]): Case => ({
    name: `FastAPI target, ${line}`,
    command: 'scenario-concurrent',
    args: ['--target', 'examples/fastapi-sqlalchemy/target.json', ...SHORT],
    point: { line },
    signal,
  })),
];

describe('an interrupted run ends clean', () => {
  for (const c of cases) {
    it(`${c.signal} to the group at ${c.name}`, { timeout: CASE_TIMEOUT_MS }, async () => {
      const run = await runAndInterrupt(c.command, c.args, c.point, c.signal, reportDir.path);
      // Checked (and whatever was left ended) before any assertion can stop the test.
      const problems = await problemsAfter(run);
      expect(run.sent, `the point never came: ${run.stderr}`).toBe(true);
      expect(run.code, run.stderr).toBe(130);
      expect(problems, run.stderr).toEqual([]);
    });
  }
});
