/**
 * .github/workflows/load.yml gates a change the way the README tells users to run lockbench: the
 * quick start's commands, once with the built-in driver and once with k6 from grafana/setup-k6-action,
 * failing on the scenario's exit code and publishing the summary and the report folder whatever it was.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parse as parseYaml } from 'yaml';

const readRepoFile = (path: string): string => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

const Step = z.looseObject({
  name: z.string().optional(),
  id: z.string().optional(),
  if: z.string().optional(),
  uses: z.string().optional(),
  run: z.string().optional(),
  with: z.record(z.string(), z.unknown()).optional(),
  env: z.record(z.string(), z.unknown()).optional(),
  'continue-on-error': z.unknown().optional(),
});
type Step = z.infer<typeof Step>;
const Job = z.looseObject({ steps: z.array(Step), 'continue-on-error': z.unknown().optional() });
type Job = z.infer<typeof Job>;
const Workflow = z.looseObject({ on: z.record(z.string(), z.unknown()), jobs: z.record(z.string(), Job) });

const workflow = Workflow.parse(parseYaml(readRepoFile('.github/workflows/load.yml')));
const packageJson = JSON.parse(readRepoFile('package.json')) as { engines: { node: string } };

/** The quick start's command lines (the fenced block under `## Quick start`), without their comments. */
function quickStartLines(readme: string): string[] {
  const section = /^## Quick start\n([\s\S]*?)(?=^## |$(?![\s\S]))/m.exec(readme)?.[1];
  const block = section === undefined ? undefined : /```sh\n([\s\S]*?)```/.exec(section)?.[1];
  if (block === undefined) throw new Error('README.md has no ```sh block under "## Quick start"');
  return block
    .split('\n')
    .map((line) => line.replace(/\s+#.*$/, '').trim())
    .filter((line) => line !== '');
}

/** `npm ci && npm test` -> ['npm ci', 'npm test']. */
const commandsOf = (text: string): string[] =>
  text
    .split(/\n|&&/)
    .map((c) => c.trim())
    .filter((c) => c !== '');

/** Every command a job's `run` steps execute, in order. */
const jobCommands = (job: Job): string[] => job.steps.flatMap((s) => (s.run === undefined ? [] : commandsOf(s.run)));

/** Whether `wanted` appears in `commands` in that order (other commands may run in between). */
function runsInOrder(commands: readonly string[], wanted: readonly string[]): boolean {
  let next = 0;
  for (const command of commands) if (command === wanted[next]) next++;
  return next === wanted.length;
}

function job(name: string): Job {
  const found = workflow.jobs[name];
  if (!found) throw new Error(`load.yml has no job "${name}"`);
  return found;
}

const SCENARIO_COMMAND = 'npm run scenario:concurrent';
const K6_SCENARIO_COMMAND = `${SCENARIO_COMMAND} -- --driver k6`;
const quickStart = quickStartLines(readRepoFile('README.md'));
const scenarioLine = quickStart.find((line) => commandsOf(line).includes(SCENARIO_COMMAND));

/**
 * Quick-start lines that load.yml deliberately does not run, and why. Any other line the README gains
 * must be run by a job, or be added here with its reason.
 */
const NOT_IN_LOAD_WORKFLOW: Record<string, string> = {
  'npm ci && npm run setup:debian && npm run setup:examples && npm test':
    'the test suite is not load: load.yml gates on the scenario. The suite\'s browser test also needs Debian\'s chromium at /usr/bin/chromium, which GitHub\'s Ubuntu runners do not have',
};

const stepRunning = (j: Job, command: string): Step | undefined => j.steps.find((s) => s.run !== undefined && commandsOf(s.run).includes(command));
const runsAlways = (s: Step | undefined): boolean => s?.if?.trim().startsWith('always()') ?? false;

describe('.github/workflows/load.yml', () => {
  it('runs on every push and pull request', () => {
    expect(Object.keys(workflow.on)).toEqual(expect.arrayContaining(['push', 'pull_request']));
  });

  it('runs every command of the README quick start, or says here why not', () => {
    expect(quickStart.length).toBeGreaterThan(0);
    const allCommands = Object.values(workflow.jobs).map(jobCommands);
    for (const line of quickStart) {
      if (line in NOT_IN_LOAD_WORKFLOW) continue;
      expect(allCommands.some((commands) => runsInOrder(commands, commandsOf(line))), `no job runs "${line}"`).toBe(true);
    }
  });

  it('runs the quick start\'s scenario command, as written, in the builtin job', () => {
    expect(scenarioLine, `the README quick start has no line running ${SCENARIO_COMMAND}`).toBeDefined();
    expect(runsInOrder(jobCommands(job('builtin')), commandsOf(scenarioLine ?? ''))).toBe(true);
  });

  it('installs k6 with grafana/setup-k6-action in the k6 job and runs the same commands with --driver k6', () => {
    const k6Job = job('k6');
    const withK6 = commandsOf(scenarioLine ?? '').map((c) => (c === SCENARIO_COMMAND ? K6_SCENARIO_COMMAND : c));
    expect(runsInOrder(jobCommands(k6Job), withK6)).toBe(true);
    const setupIndex = k6Job.steps.findIndex((s) => s.uses?.startsWith('grafana/setup-k6-action@'));
    const scenarioStep = stepRunning(k6Job, K6_SCENARIO_COMMAND);
    expect(setupIndex).toBeGreaterThanOrEqual(0);
    expect(setupIndex).toBeLessThan(k6Job.steps.indexOf(scenarioStep as Step));
  });

  it("runs the k6 driver's end-to-end test in the k6 job, after k6 is installed, where a missing k6 fails it", () => {
    const k6Job = job('k6');
    const testStep = k6Job.steps.find((s) => s.run !== undefined && commandsOf(s.run).some((c) => /vitest run .*harness\/run\/drivers\/k6\/k6-end-to-end\.test\.ts/.test(c)));
    expect(testStep, 'the k6 job runs harness/run/drivers/k6/k6-end-to-end.test.ts').toBeDefined();
    expect(testStep?.env?.LOCKBENCH_REQUIRE_K6).toBe('1');
    const setupIndex = k6Job.steps.findIndex((s) => s.uses?.startsWith('grafana/setup-k6-action@'));
    expect(setupIndex).toBeLessThan(k6Job.steps.indexOf(testStep as Step));
    expect(testStep?.if).toBeUndefined();
  });

  describe.each(['builtin', 'k6'])('job %s', (name) => {
    const j = job(name);
    const scenarioStep = stepRunning(j, name === 'k6' ? K6_SCENARIO_COMMAND : SCENARIO_COMMAND);

    it('fails when the scenario exits non-zero', () => {
      expect(scenarioStep).toBeDefined();
      expect(scenarioStep?.if).toBeUndefined();
      expect(scenarioStep?.['continue-on-error']).toBeUndefined();
      expect(scenarioStep?.run).not.toMatch(/\|\||;\s*true|set \+e/);
      expect(j['continue-on-error']).toBeUndefined();
    });

    it('appends reports/latest/summary.md to the job summary, also when the scenario failed', () => {
      const summary = j.steps.find((s) => s.run?.includes('$GITHUB_STEP_SUMMARY'));
      expect(summary?.run).toContain('reports/latest/summary.md');
      expect(runsAlways(summary)).toBe(true);
      expect(j.steps.indexOf(summary as Step)).toBeGreaterThan(j.steps.indexOf(scenarioStep as Step));
    });

    it('uploads the folder reports/latest points at, also when the scenario failed', () => {
      const upload = j.steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'));
      const locate = j.steps.find((s) => s.run?.includes('realpath reports/latest'));
      expect(runsAlways(upload)).toBe(true);
      expect(runsAlways(locate)).toBe(true);
      expect(locate?.id).toBeDefined();
      expect(upload?.with?.path).toBe(`\${{ steps.${locate?.id}.outputs.dir }}`);
      expect(j.steps.indexOf(upload as Step)).toBeGreaterThan(j.steps.indexOf(scenarioStep as Step));
    });

    it('sets up the Node version package.json names, with the npm cache', () => {
      const setupNode = j.steps.find((s) => s.uses?.startsWith('actions/setup-node@'));
      expect(String(setupNode?.with?.['node-version'])).toBe(/\d+/.exec(packageJson.engines.node)?.[0]);
      expect(setupNode?.with?.cache).toBe('npm');
    });

    it('pins every action to a major version', () => {
      for (const s of j.steps) if (s.uses !== undefined) expect(s.uses).toMatch(/^[\w.-]+\/[\w.-]+@v\d+$/);
    });
  });
});
