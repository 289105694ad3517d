// A DB worker thread of the `pool` executor: one TaskRunner (and so one connection) per thread.
import { workerData } from 'node:worker_threads';
import { TaskRunner, type RunnerConfig, type ThreadTask } from './runner.ts';
import type { DbTask } from '../db/tasks.ts';

const runner = new TaskRunner(workerData as RunnerConfig);

export default function runTask(task: DbTask | ThreadTask) {
  return runner.run(task);
}
