// `npm run workload:check -- <file>`: validates a workload file (JSON or YAML) as a run would load it.
// stdout gets one JSON line: {"event":"workload","file","name","streams":[{name,kind,executor}],"criteria":[ids]}.
// A bad workload prints every problem with its field's path and exits 2.
// `--k6-script <out>` also checks it as `--driver k6` would, and writes the k6 script such a run writes.
import { resolve } from 'node:path';
import { writeFileAtomic } from '../harness/shared/atomic.ts';
import { k6WorkloadScript } from '../harness/run/drivers/k6/workload-script.ts';
import { k6WorkloadPlan } from '../harness/plan/workload/k6.ts';
import { loadWorkload, WorkloadError } from '../harness/plan/workload/load.ts';
import { runProgram } from './lib/cli.ts';
import { EXIT } from './lib/exit.ts';
import { parseArgs } from './lib/parse-args.ts';

async function main(): Promise<number> {
  const program = runProgram('workload:check', "Validates a workload file: every problem with the field's path and what was expected there.")
    .argument('<file>', 'the workload file (.json, .yaml or .yml)')
    .option('--k6-script <out>', 'also check that k6 can run it (--driver k6), and write the k6 script a run writes, to read or to run by hand')
    .addHelpText('after', `\nExit codes:\n  ${EXIT.pass}  the workload is valid (one JSON line on stdout)\n  ${EXIT.badUsage}  bad usage, or the workload is not valid (its problems on stderr)`);
  const usage = parseArgs(program);
  if (usage !== null) return usage;
  const { k6Script } = program.opts<{ k6Script?: string }>();
  try {
    const { workload, source } = loadWorkload(program.args[0]!);
    if (k6Script !== undefined) {
      const plan = k6WorkloadPlan(workload);
      if (plan.issues.length > 0) throw new WorkloadError(source, plan.issues);
      await writeFileAtomic(resolve(k6Script), await k6WorkloadScript(workload, plan, source));
    }
    const streams = workload.streams.map((s) => ({ name: s.name, kind: s.action.kind, executor: s.executor.type }));
    process.stdout.write(
      `${JSON.stringify({ event: 'workload', file: source, name: workload.name, streams, criteria: workload.criteria.map((c) => c.id), ...(k6Script !== undefined ? { k6Script: resolve(k6Script) } : {}) })}\n`,
    );
    return EXIT.pass;
  } catch (err) {
    if (err instanceof WorkloadError) {
      process.stderr.write(`workload:check: ${err.message}\n`);
      return EXIT.badUsage;
    }
    throw err;
  }
}

process.exitCode = await main();
