/**
 * The user's own k6 as a load driver: runs the scenario's k6 script (scenarios/<name>.ts, built from the
 * same description the built-in driver runs) as a child process, reads the summary its handleSummary
 * writes, and converts k6's CSV output into the driver-neutral samples file. k6's own threshold verdict
 * (exit 99) is not the gate: the harness judges the criteria.
 *
 * k6 cannot end a scenario when another has finished, so the rate streams are given their maximum
 * duration, and this driver stops k6 (SIGINT: k6 ends its scenarios and still writes its summary) once
 * every import has printed its `import-result` line and the tail has passed.
 *
 * A workload (`--workload`) runs as a script of its own, written next to the run's files from the
 * workload (./workload-script.ts); its answers, classified inside k6, are joined to the samples after
 * the run (./workload-answers.ts), and a stream that ends after another's iterations is stopped the same
 * way, by the `iteration-done` lines the script prints for that stream. The script's setup() prints when
 * k6 starts the scenarios (`load-start`): the SQL streams beside k6 start from it, and end after the
 * streams whose ends the plan says the harness can learn (`streamEnds`).
 */
import { spawn } from 'node:child_process';
import { guardProcessGroup } from '../../target-process/guard.ts';
import { createWriteStream } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { SummaryFile } from '../../../../scenarios/lib/contract.ts';
import type { ScenarioDescription } from '../../../../scenarios/lib/scenario.ts';
import { writeFileAtomic } from '../../../shared/atomic.ts';
import { k6WorkloadPlan, type K6WorkloadPlan } from '../../../plan/workload/k6.ts';
import type { Workload } from '../../../model/workload-plan.ts';
import { writeSamples } from '../samples.ts';
import { DriverUnavailableError, type DriverRunInput, type LoadDriver } from '../types.ts';
import type { DriverInfo } from '../../../model/results.ts';
import type { DriverRun } from '../../../model/driver-run.ts';
import { k6CsvEnv, readK6Csv } from './csv.ts';
import { findK6, K6NotFoundError, type K6Binary } from './find.ts';
import { workloadRecordsFromK6Csv } from './workload-answers.ts';
import { ITERATION_DONE, LOAD_START } from './workload-protocol.ts';
import { k6WorkloadScript } from './workload-script.ts';

/** k6's exit code when thresholds were crossed: a result, not a failure to run. */
export const K6_THRESHOLDS_FAILED = 99;
/** How long k6 may take to stop after SIGINT (it still writes its summary) before SIGKILL, in ms. */
export const K6_STOP_TIMEOUT_MS = 30_000;

/** The k6 script that runs each scenario. */
export function k6Script(scenario: ScenarioDescription['name']): string {
  return fileURLToPath(new URL(`../../../../scenarios/${scenario}.ts`, import.meta.url));
}

/** `-e NAME=value` pairs in a stable order. */
export function k6EnvArgs(env: Record<string, string>): string[] {
  return Object.entries(env).flatMap(([name, value]) => ['-e', `${name}=${value}`]);
}

/** The arguments of `k6 run` for a scenario, or for a script file (a workload's). */
export function k6RunArgs(scenario: ScenarioDescription['name'] | { script: string }, env: Record<string, string>): string[] {
  // --quiet: no progress bar redrawn every 100 ms; k6 shares two cores with the target it measures.
  // --no-usage-report: a load run never reaches the network.
  return ['run', '--quiet', '--no-color', '--no-usage-report', '--out', 'csv', ...k6EnvArgs(env), typeof scenario === 'string' ? k6Script(scenario) : scenario.script];
}

/** Where a workload's k6 script is written: beside the driver's log, `driver-<trial>.k6.js`. */
export function workloadScriptPath(logPath: string): string {
  return `${logPath.replace(/\.log$/, '')}.k6.js`;
}

/** The messages k6's console logger printed in `text` (logfmt: `msg="<escaped>"`), as they stand escaped. */
function consoleMessages(text: string): string[] {
  return [...text.matchAll(/\bmsg="((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]!);
}

/** The `import-result` lines k6's console logger printed in `text`: counted to know when the imports have answered. */
export function countImportResults(text: string): number {
  return consoleMessages(text).filter((msg) => msg.includes('\\"event\\":\\"import-result\\"')).length;
}

/** The `iteration-done` lines of `stream` that the workload script printed in `text`. */
export function countIterationsDone(text: string, stream: string): number {
  const wanted = JSON.stringify(JSON.stringify({ event: ITERATION_DONE, stream })).slice(1, -1);
  return consoleMessages(text).filter((msg) => msg === wanted).length;
}

/** When the workload script's setup() said k6 starts its scenarios (epoch ms), from the `load-start` line in `text`; null when not there. */
export function loadStartIn(text: string): number | null {
  for (const msg of consoleMessages(text)) {
    if (!msg.includes(LOAD_START)) continue;
    try {
      const event = JSON.parse(JSON.parse(`"${msg}"`) as string) as { event?: unknown; atMs?: unknown };
      if (event.event === LOAD_START && typeof event.atMs === 'number') return event.atMs;
    } catch {
      // A console line of the user's that names the event: not it.
    }
  }
  return null;
}

/** When the harness stops k6: once `expected` of the lines `count` finds have been printed, plus the tail. */
interface StopWatch {
  stream: string;
  expected: number;
  tailMs: number;
  count(text: string): number;
}

function stopWatch(description: ScenarioDescription, plan: K6WorkloadPlan | null): StopWatch | null {
  if (plan !== null) {
    const stop = plan.stop;
    return stop && { stream: stop.stream, expected: stop.iterations, tailMs: stop.tailMs, count: (text) => countIterationsDone(text, stop.stream) };
  }
  const rule = stopRule(description);
  return rule && { stream: rule.stream, expected: rule.imports, tailMs: rule.tailMs, count: countImportResults };
}

/** The workload's plan and script, written where the run's files go; throws when k6 cannot run it (refused when the workload was loaded). */
async function prepareWorkload(workload: Workload, logPath: string): Promise<{ plan: K6WorkloadPlan; script: string }> {
  const plan = k6WorkloadPlan(workload);
  if (plan.issues.length > 0) throw new Error(`k6 cannot run this workload: ${plan.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
  const script = workloadScriptPath(logPath);
  await writeFileAtomic(script, await k6WorkloadScript(workload, plan, workload.name));
  return { plan, script };
}

/**
 * When the harness should stop k6: once the stream the others end after has printed its results, plus their
 * tail, from the description. The scenario scripts print a result line for each import request alone, so
 * only a stream of imports, a fixed number of them, can be waited for.
 */
export function stopRule(description: ScenarioDescription): { stream: string; imports: number; tailMs: number } | null {
  const follower = description.streams.find((s) => s.end?.type === 'after-stream');
  if (follower?.end?.type !== 'after-stream') return null;
  const followed = follower.end.stream;
  const imports = description.streams.find((s) => s.name === followed);
  if (!imports || imports.request !== 'import' || imports.executor.type !== 'per-vu-iterations') return null;
  return { stream: imports.name, imports: imports.executor.vus * imports.executor.iterations, tailMs: follower.end.tailMs };
}

export interface K6DriverOptions {
  /** `--k6 <path>`; null: $LOCKBENCH_K6, else PATH. */
  k6Path: string | null;
}

export function createK6Driver(options: K6DriverOptions): LoadDriver {
  let binary: K6Binary | undefined;
  return {
    name: 'k6',
    async prepare(): Promise<DriverInfo> {
      try {
        binary = await findK6(options.k6Path);
      } catch (err) {
        if (err instanceof K6NotFoundError) throw new DriverUnavailableError(err.message);
        throw err;
      }
      return { name: 'k6', version: binary.version };
    },
    async run(input: DriverRunInput): Promise<DriverRun> {
      if (!binary) throw new Error('the k6 driver runs only after prepare()');
      const rawCsv = `${input.samplesPath}.k6.csv`;
      const workload = input.workload ? await prepareWorkload(input.workload, input.logPath) : null;
      // A workload's script sends to the target it is given, which the run layer has checked is this machine.
      if (!workload && input.env === undefined) throw new Error('the k6 driver reads the scenario from its environment, and none was given');
      const env: Record<string, string> = { ...(workload ? { BASE_URL: input.baseUrl } : input.env), SUMMARY_PATH: input.summaryPath };
      const log = createWriteStream(input.logPath);
      const startedAtMs = Date.now();
      const started = performance.now();
      // Its own process group: a Ctrl-C at the terminal reaches the harness only, which forwards exactly
      // one SIGINT (a second one would make k6 exit without writing its summary).
      const child = spawn(binary.path, k6RunArgs(workload ? { script: workload.script } : input.description.name, env), {
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
        env: { ...process.env, ...k6CsvEnv(rawCsv) },
      });
      // The load's t0, from which the SQL streams beside k6 start and the ends worked out before the run count:
      // a workload's script says it from its setup(), once every VU is initialised (k6 launched before that);
      // the scenarios' scripts say nothing, and nothing beside them waits for it.
      const streamEnds = workload?.plan.streamEnds ?? [];
      const loadStarted = (atMs: number) => {
        input.onStart?.(atMs);
        for (const end of streamEnds) if ('atMs' in end) input.onStreamEnd?.(end.stream, atMs + end.atMs);
      };
      let loadStartMs: number | null = null;
      if (!workload) loadStarted(startedAtMs);
      // A stream an SQL stream ends after, ended once its iterations are done (their lines read).
      const iterationEnds = streamEnds.flatMap((end) => ('iterations' in end ? [{ ...end, done: 0 }] : []));
      // Stopped with the run however it ends, even when the harness is killed.
      const release = child.pid === undefined ? () => undefined : guardProcessGroup(child.pid);
      child.stdout.pipe(log, { end: false });
      child.stderr.pipe(log, { end: false });

      let killTimer: NodeJS.Timeout | undefined;
      let tailTimer: NodeJS.Timeout | undefined;
      let stopping = false;
      const stop = () => {
        if (stopping) return;
        stopping = true;
        child.kill('SIGINT');
        killTimer = setTimeout(() => child.kill('SIGKILL'), K6_STOP_TIMEOUT_MS);
      };
      // The followed stream's end plus the tail: the scenario's own end, which k6 cannot see.
      let endedByTail = false;
      const rule = stopWatch(input.description, workload?.plan ?? null);
      let pending = '';
      let answered = 0;
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
        // Read complete lines only; keep the unfinished last one for the next chunk.
        pending += chunk;
        const complete = pending.lastIndexOf('\n') + 1;
        const lines = pending.slice(0, complete);
        pending = pending.slice(complete);
        if (workload && loadStartMs === null) {
          loadStartMs = loadStartIn(lines);
          if (loadStartMs !== null) loadStarted(loadStartMs);
        }
        for (const end of iterationEnds) {
          if (end.done >= end.iterations) continue;
          end.done += countIterationsDone(lines, end.stream);
          if (end.done >= end.iterations) input.onStreamEnd?.(end.stream, Date.now());
        }
        if (!rule || tailTimer) return;
        answered += rule.count(lines);
        input.onProgress?.({ done: { [rule.stream]: answered }, inFlight: 0, dropped: 0 });
        if (answered >= rule.expected) {
          tailTimer = setTimeout(() => {
            endedByTail = true;
            stop();
          }, rule.tailMs);
        }
      });
      const onAbort = () => stop();
      if (input.signal.aborted) onAbort();
      else input.signal.addEventListener('abort', onAbort, { once: true });

      const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: string }>((resolve) => {
        child.once('error', (err) => resolve({ code: null, signal: null, error: err.message }));
        child.once('close', (code, signal) => resolve({ code, signal }));
      }).finally(() => {
        release();
        clearTimeout(killTimer);
        clearTimeout(tailTimer);
        input.signal.removeEventListener('abort', onAbort);
      });
      await new Promise<void>((resolve) => log.end(resolve));
      const durationMs = performance.now() - started;

      const failures: string[] = [];
      let summary: SummaryFile | null = null;
      try {
        summary = JSON.parse(await readFile(input.summaryPath, 'utf8')) as SummaryFile;
        if (typeof summary.lockbench !== 'object' || summary.lockbench === null) {
          failures.push(`${input.summaryPath} has no "lockbench" block`);
          summary = null;
        }
      } catch (err) {
        failures.push(`k6 wrote no readable summary at ${input.summaryPath} (${(err as Error).message})`);
      }
      let samples: string | null = null;
      try {
        if (input.workload) {
          // The classified answers beside the samples, as the built-in driver writes them.
          const records = workloadRecordsFromK6Csv(await readFile(rawCsv, 'utf8'));
          await writeSamples(input.samplesPath, records.samples);
          if (input.answersPath) await writeFileAtomic(input.answersPath, `${JSON.stringify(records.answers)}\n`);
        } else {
          await writeSamples(input.samplesPath, await readK6Csv(rawCsv));
        }
        samples = input.samplesPath;
      } catch (err) {
        failures.push(`k6's CSV output could not be converted: ${(err as Error).message}`);
      } finally {
        await rm(rawCsv, { force: true });
      }
      const aborted = input.signal.aborted;
      // Exit 0, or 99 (thresholds crossed, judged by the harness), or stopped by this driver at the scenario's end.
      const ranToEnd = exit.code === 0 || exit.code === K6_THRESHOLDS_FAILED || endedByTail;
      if (!ranToEnd && !aborted) {
        failures.unshift(
          exit.error !== undefined
            ? `k6 could not start: ${exit.error}`
            : `k6 did not run to completion (exit ${exit.code}${exit.signal ? `, signal ${exit.signal}` : ''}); see ${input.logPath}`,
        );
      }
      return {
        completed: ranToEnd && !aborted && summary !== null,
        aborted,
        ...(failures.length > 0 ? { failure: failures.join('; ') } : {}),
        startedAtMs,
        durationMs,
        summary: summary?.lockbench ?? null,
        files: { summary: summary ? input.summaryPath : null, log: input.logPath, samples },
      };
    },
  };
}
