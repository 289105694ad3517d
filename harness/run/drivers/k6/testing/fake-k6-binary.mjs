#!/usr/bin/env node
/**
 * A stand-in for the k6 binary, for testing the driver's plumbing where no k6 is installed: `version`
 * answers as k6 does; `run` writes the CSV and summary that $FAKE_K6_PLAN (a JSON file) holds, prints
 * the `load-start` line a workload script's setup() prints (at the plan's `loadStartAtMs`, else now) and
 * its `iteration-done` console lines as k6's logger would, and then either exits or waits to be stopped
 * with SIGINT, as k6 does. It records the arguments it was given beside the plan.
 */
import { readFileSync, writeFileSync } from 'node:fs';

const [command, ...args] = process.argv.slice(2);
if (command === 'version') {
  process.stdout.write('k6 v1.3.0 (fake, linux/amd64)\n');
  process.exit(0);
}
const planPath = process.env.FAKE_K6_PLAN;
const plan = JSON.parse(readFileSync(planPath, 'utf8'));
const env = {};
args.forEach((arg, i) => {
  if (args[i - 1] === '-e') env[arg.slice(0, arg.indexOf('='))] = arg.slice(arg.indexOf('=') + 1);
});
writeFileSync(`${planPath}.args.json`, JSON.stringify({ command, args, env }));
writeFileSync(process.env.K6_CSV_FILENAME, plan.csv);
writeFileSync(env.SUMMARY_PATH, JSON.stringify({ metrics: {}, lockbench: plan.summary }));
const say = (event) => process.stderr.write(`time="2026-12-07T12:00:00Z" level=info msg=${JSON.stringify(JSON.stringify(event))} source=console\n`);
// A workload's script (written as driver-<trial>.k6.js) has a setup() that says when the scenarios start.
if (args.at(-1)?.endsWith('.k6.js')) say({ event: 'load-start', atMs: plan.loadStartAtMs ?? Date.now() });
for (const stream of plan.iterationsDone) {
  say({ event: 'iteration-done', stream });
}
if (plan.waitForSigint) {
  process.once('SIGINT', () => process.exit(0));
  setInterval(() => undefined, 1000);
}
