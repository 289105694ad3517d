/**
 * The driver benchmark's reference load: autocannon 9 run through its API in a process of its own, so
 * its CPU is its own. Its summary keeps latency in whole milliseconds, too coarse for a sub-millisecond
 * route, so this records every response's time from autocannon's `response` event (fractional ms from
 * process.hrtime) and prints one JSON line: `AutocannonRun`. Input: one JSON argument, `AutocannonTask`.
 */
import autocannon from 'autocannon';
import type { AutocannonRun, AutocannonTask } from './autocannon.ts';

const task = JSON.parse(process.argv[2] ?? '') as AutocannonTask;
const latenciesMs: number[] = [];
let ok = 0;
let failed = 0;
const instance = autocannon(
  {
    url: `${task.baseUrl}${task.call.path}`,
    method: task.call.method,
    headers: { ...task.call.headers },
    ...(task.call.body === null ? {} : { body: task.call.body }),
    connections: task.connections,
    // With a rate, autocannon would add made-up latencies for requests it deems late (its correction
    // for coordinated omission); the comparison is of measured service times. Without one (null) it
    // sends back to back, where that correction does not apply.
    ...(task.overallRate === null ? {} : { overallRate: task.overallRate, ignoreCoordinatedOmission: true }),
    duration: task.durationMs / 1000,
    timeout: task.timeoutMs / 1000,
  },
  (err, result) => {
    if (err) {
      process.stderr.write(`${err.stack ?? err.message}\n`);
      process.exit(1);
    }
    const run: AutocannonRun = { ok, failed: failed + result.errors + result.timeouts, latenciesMs };
    process.stdout.write(`${JSON.stringify(run)}\n`);
  },
);
instance.on('response', (_client, statusCode, _bytes, responseTime) => {
  latenciesMs.push(responseTime);
  if (statusCode >= 200 && statusCode < 300) ok++;
  else failed++;
});
