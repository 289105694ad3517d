/**
 * The k6 script of a workload, for `--driver k6 --workload` and for reading: one JavaScript file that k6
 * runs as it is, with the workload's request streams as data, `options.scenarios` from the workload's
 * executors (../../workload/k6.ts), one exported function per request stream and a handleSummary that
 * writes the summary the harness reads. The code that renders the templates and classifies the answers is
 * the built-in driver's own (./workload-runtime.ts), bundled in by esbuild: k6 imports only its own
 * modules (k6, k6/http, k6/execution, k6/metrics) and nothing from node_modules.
 */
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import type { K6WorkloadPlan } from '../../../plan/workload/k6.ts';
import type { Workload } from '../../../model/workload-plan.ts';
import type { ScriptWorkload } from './workload-protocol.ts';

const RUNTIME = fileURLToPath(new URL('./workload-runtime.ts', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../../..', import.meta.url));

/** The workload's data as the script carries it: the request streams, and which of them the harness follows. */
export function scriptWorkload(workload: Workload, plan: K6WorkloadPlan): ScriptWorkload {
  const streams: ScriptWorkload['streams'] = {};
  for (const stream of workload.streams) {
    if (stream.action.kind !== 'http') continue;
    const followed = plan.stop?.stream === stream.name || plan.streamEnds.some((e) => e.stream === stream.name && 'iterations' in e);
    streams[stream.name] = { action: stream.action, followed };
  }
  return { name: workload.name, seed: workload.seed, lockErrors: workload.lockErrors && { fastBelowMs: workload.lockErrors.fastBelowMs }, streams };
}

/** The script's own part, before bundling: what a reader looks for at its end. */
export function scriptEntry(workload: Workload, plan: K6WorkloadPlan): string {
  const data = scriptWorkload(workload, plan);
  const lines = [
    `import { loadStart, scriptOptions, streamFunction, workloadSummary } from ${JSON.stringify(RUNTIME)};`,
    '',
    `const workload = ${JSON.stringify(data, null, 2)};`,
    '',
    `export const options = scriptOptions(${JSON.stringify(plan.scenarios, null, 2)});`,
    '',
    ...Object.entries(plan.exec).map(([stream, name]) => `export const ${name} = streamFunction(workload, ${JSON.stringify(stream)});`),
    '',
    'export function setup() {',
    '  loadStart();',
    '}',
    '',
    'export function handleSummary(data) {',
    '  return workloadSummary(workload, data);',
    '}',
    '',
  ];
  return lines.join('\n');
}

/** What the script says of itself at its top. */
function banner(workload: Workload, plan: K6WorkloadPlan, source: string): string {
  const stop = plan.stop
    ? [`// Run by hand, the streams that end after "${plan.stop.stream}" run their whole duration: lockbench stops k6 once its ${plan.stop.iterations} iterations are done plus ${plan.stop.tailMs} ms.`]
    : [];
  return [
    `// The workload ${JSON.stringify(workload.name)} (${source}) as a k6 script, written by lockbench for \`--driver k6 --workload\`.`,
    '// Run it by hand with: k6 run -e BASE_URL=http://127.0.0.1:PORT [-e SUMMARY_PATH=summary.json] <this file>',
    "// Its own part (the workload's streams, options.scenarios, one function per request stream) is at the end;",
    "// above it, lockbench's template and answer code, bundled so that k6 needs nothing but its own modules.",
    ...stop,
  ].join('\n');
}

/** The whole script: its own part with the runtime bundled in. Throws when esbuild cannot build it. */
export async function k6WorkloadScript(workload: Workload, plan: K6WorkloadPlan, source: string): Promise<string> {
  const result = await build({
    stdin: { contents: scriptEntry(workload, plan), resolveDir: REPO_ROOT, sourcefile: 'workload.k6.js', loader: 'js' },
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    mainFields: ['module', 'main'],
    // k6's own modules are k6's to provide.
    external: ['k6', 'k6/*'],
    target: 'es2020',
    legalComments: 'inline',
    banner: { js: banner(workload, plan, source) },
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}
