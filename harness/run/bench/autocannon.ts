/**
 * Runs autocannon (MIT) against a route as the benchmark's reference, in a child process
 * (./autocannon-child.ts). autocannon is a closed-model generator: a fixed number of connections each
 * send the next request when the last one is answered; `--overallRate` caps how many it starts per second.
 */
import { runCommand } from '../drivers/k6/find.ts';
import { fileURLToPath } from 'node:url';
import type { HttpCall } from '../../../scenarios/lib/requests.ts';
import type { AnsweredLoad } from '../../model/bench.ts';
import { tsxCommand } from '../target-process/target-process.ts';
import { reapedChildrenCpuMs } from './cpu.ts';

const CHILD_SCRIPT = fileURLToPath(new URL('./autocannon-child.ts', import.meta.url));

export interface AutocannonTask {
  baseUrl: string;
  /** The one request autocannon repeats. */
  call: HttpCall;
  connections: number;
  /** Requests per second over all connections; null: back to back on each connection. */
  overallRate: number | null;
  durationMs: number;
  timeoutMs: number;
}

/** What the child prints. */
export interface AutocannonRun {
  ok: number;
  failed: number;
  latenciesMs: number[];
}

/** What the CPU column counts for autocannon. */
const AUTOCANNON_CPU_SCOPE = "autocannon's child process, start to exit (Node and tsx start-up, the load, its report), from /proc cutime+cstime";

/** Runs autocannon as `task` says; what it answered, timed (harness/analyze/bench-figures.ts draws the figures). */
export async function runAutocannon(task: AutocannonTask): Promise<AnsweredLoad> {
  const { command, args } = tsxCommand(CHILD_SCRIPT, [JSON.stringify(task)]);
  // The bench's other children (the routes) run on: only autocannon is reaped in between.
  const cpuBefore = reapedChildrenCpuMs();
  const { exitCode: code, stdout, stderr, startError } = await runCommand(command, args);
  const cpuAfter = reapedChildrenCpuMs();
  if (startError !== undefined) throw new Error(`autocannon could not start: ${startError}`);
  if (code !== 0) throw new Error(`autocannon exited with code ${code}: ${stderr.trim().split('\n').slice(-5).join('\n')}`);
  const run = JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as AutocannonRun;
  return {
    kind: 'answers',
    mode: `closed model, ${task.connections} connection${task.connections === 1 ? '' : 's'}, ${task.overallRate === null ? 'back to back' : `--overallRate ${task.overallRate}`}`,
    ok: run.ok,
    failed: run.failed,
    latenciesMs: run.latenciesMs,
    cpuMs: cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore,
    cpuScope: AUTOCANNON_CPU_SCOPE,
    loadMs: task.durationMs,
  };
}
