/**
 * The user's own k6 as a load driver: runs the scenario's k6 script (scenarios/<name>.ts, built from the
 * same description the built-in driver runs) as a child process, reads the summary its handleSummary
 * writes, and converts k6's CSV output into the driver-neutral samples file. k6's own threshold verdict
 * (exit 99) is not the gate: the harness judges the criteria.
 *
 * k6 cannot end a scenario when another has finished, so the rate streams are given their maximum
 * duration, and this driver stops k6 (SIGINT: k6 ends its scenarios and still writes its summary) once
 * every import has printed its `import-result` line and the tail has passed.
 */
import { spawn } from 'node:child_process';
import { guardProcessGroup } from '../../target-process/guard.ts';
import { createWriteStream } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { SummaryFile } from '../../../scenarios/lib/contract.ts';
import { IMPORT_STREAM, type ScenarioDescription } from '../../../scenarios/lib/scenario.ts';
import { writeSamples } from '../samples.ts';
import { DriverUnavailableError, type DriverInfo, type DriverRunInput, type LoadDriver } from '../types.ts';
import type { DriverRun } from '../../model/driver-run.ts';
import { k6CsvEnv, readK6Csv } from './csv.ts';
import { findK6, K6NotFoundError, type K6Binary } from './find.ts';

/** k6's exit code when thresholds were crossed: a result, not a failure to run. */
export const K6_THRESHOLDS_FAILED = 99;
/** How long k6 may take to stop after SIGINT (it still writes its summary) before SIGKILL, in ms. */
export const K6_STOP_TIMEOUT_MS = 30_000;

/** The k6 script that runs each scenario. */
export function k6Script(scenario: ScenarioDescription['name']): string {
  return fileURLToPath(new URL(`../../../scenarios/${scenario}.ts`, import.meta.url));
}

/** `-e NAME=value` pairs in a stable order. */
export function k6EnvArgs(env: Record<string, string>): string[] {
  return Object.entries(env).flatMap(([name, value]) => ['-e', `${name}=${value}`]);
}

/** The arguments of `k6 run` for a scenario. */
export function k6RunArgs(scenario: ScenarioDescription['name'], env: Record<string, string>): string[] {
  // --quiet: no progress bar redrawn every 100 ms; k6 shares two cores with the target it measures.
  // --no-usage-report: a load run never reaches the network.
  return ['run', '--quiet', '--no-color', '--no-usage-report', '--out', 'csv', ...k6EnvArgs(env), k6Script(scenario)];
}

/**
 * The `import-result` lines k6's console logger printed in `text` (logfmt: `msg="<escaped JSON>"`).
 * Counted to know when the imports have answered.
 */
export function countImportResults(text: string): number {
  let count = 0;
  for (const m of text.matchAll(/\bmsg="((?:[^"\\]|\\.)*)"/g)) {
    if (m[1]?.includes('\\"event\\":\\"import-result\\"')) count++;
  }
  return count;
}

/** When the harness should stop k6: the imports' count and the tail, from the description. */
export function stopRule(description: ScenarioDescription): { imports: number; tailMs: number } | null {
  const follower = description.streams.find((s) => s.end?.type === 'after-stream' && s.end.stream === IMPORT_STREAM);
  const imports = description.streams.find((s) => s.name === IMPORT_STREAM);
  if (!follower || follower.end?.type !== 'after-stream' || !imports || imports.executor.type !== 'per-vu-iterations') return null;
  return { imports: imports.executor.vus * imports.executor.iterations, tailMs: follower.end.tailMs };
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
      const env = { ...input.env, SUMMARY_PATH: input.summaryPath };
      const log = createWriteStream(input.logPath);
      const startedAtMs = Date.now();
      const started = performance.now();
      // Its own process group: a Ctrl-C at the terminal reaches the harness only, which forwards exactly
      // one SIGINT (a second one would make k6 exit without writing its summary).
      const child = spawn(binary.path, k6RunArgs(input.description.name, env), {
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
        env: { ...process.env, ...k6CsvEnv(rawCsv) },
      });
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
      // The imports' end plus the tail: the scenario's own end, which k6 cannot see.
      let endedByTail = false;
      const rule = stopRule(input.description);
      let pending = '';
      let answered = 0;
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
        if (!rule || tailTimer) return;
        // Count complete lines only; keep the unfinished last one for the next chunk.
        pending += chunk;
        const complete = pending.lastIndexOf('\n') + 1;
        answered += countImportResults(pending.slice(0, complete));
        pending = pending.slice(complete);
        input.onProgress?.({ done: { [IMPORT_STREAM]: answered }, inFlight: 0, dropped: 0 });
        if (answered >= rule.imports) {
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
        await writeSamples(input.samplesPath, await readK6Csv(rawCsv));
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
