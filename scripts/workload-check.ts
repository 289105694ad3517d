// `npm run workload:check -- <file>`: validates a workload file (JSON or YAML) as a run would load it.
// stdout gets one JSON line: {"event":"workload","file","name","streams":[{name,kind,executor}],"criteria":[ids]}.
// A bad workload prints every problem with its field's path and exits 2.
import { loadWorkload, WorkloadError } from '../harness/workload/load.ts';
import { runProgram } from './lib/cli.ts';
import { EXIT } from './lib/exit.ts';
import { parseArgs } from './lib/parse-args.ts';

function main(): number {
  const program = runProgram('workload:check', "Validates a workload file: every problem with the field's path and what was expected there.")
    .argument('<file>', 'the workload file (.json, .yaml or .yml)')
    .addHelpText('after', `\nExit codes:\n  ${EXIT.pass}  the workload is valid (one JSON line on stdout)\n  ${EXIT.badUsage}  bad usage, or the workload is not valid (its problems on stderr)`);
  const usage = parseArgs(program);
  if (usage !== null) return usage;
  try {
    const { workload, source } = loadWorkload(program.args[0]!);
    const streams = workload.streams.map((s) => ({ name: s.name, kind: s.action.kind, executor: s.executor.type }));
    process.stdout.write(`${JSON.stringify({ event: 'workload', file: source, name: workload.name, streams, criteria: workload.criteria.map((c) => c.id) })}\n`);
    return EXIT.pass;
  } catch (err) {
    if (err instanceof WorkloadError) {
      process.stderr.write(`workload:check: ${err.message}\n`);
      return EXIT.badUsage;
    }
    throw err;
  }
}

process.exitCode = main();
