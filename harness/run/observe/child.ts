/**
 * Entry of the observer's own process (started by startObserver). Speaks JSON lines on stdout:
 *   {"event":"ready","pid","shmPath","command"}   once the first sample is taken
 *   {"event":"progress","progress":{...}}          every progressEveryMs, when started with --progress
 *   {"event":"result","result":{...}}              after a stop, or when durationMs has passed
 *   {"event":"error","code","message"}             instead of ready/result when observing is impossible
 * Stops on SIGTERM, SIGINT, or end of stdin (so it never outlives a parent that died).
 */
import { isObserveError } from './errors.ts';
import type { ObserveOptions } from './options.ts';
import { startObserverSession } from './session.ts';
import type { Observation, ObserveProgress } from '../../model/lock-observation.ts';

export type ObserverChildEvent =
  | { event: 'ready'; pid: number; shmPath: string; command: string }
  | { event: 'progress'; progress: ObserveProgress }
  | { event: 'result'; result: Observation }
  | { event: 'error'; code: string; message: string };

const emit = (event: ObserverChildEvent) => process.stdout.write(`${JSON.stringify(event)}\n`);

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index === -1 ? undefined : process.argv[index + 1];
}

async function main(): Promise<void> {
  const options = JSON.parse(argument('--options') ?? '{}') as ObserveOptions;
  const wantProgress = process.argv.includes('--progress');
  try {
    const session = await startObserverSession(options, wantProgress ? (progress) => emit({ event: 'progress', progress }) : undefined);
    const stop = () => void session.stop().catch(() => undefined);
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
    process.stdin.once('end', stop);
    process.stdin.resume();
    emit({ event: 'ready', pid: process.pid, shmPath: session.shmPath, command: session.command });
    const result = await session.finished;
    emit({ event: 'result', result });
  } catch (err) {
    const code = isObserveError(err) ? err.code : 'OBSERVER_FAILED';
    emit({ event: 'error', code, message: err instanceof Error ? err.message : String(err) });
    // The error event above says why; the parent reads that, never this status.
    process.exitCode = 1;
  } finally {
    process.stdin.destroy();
  }
}

void main();
