/**
 * Runs a generated workload script's stream functions in Node under the fake k6 modules of ./fake-k6:
 * the script is bundled with them by esbuild and run in a worker thread (k6's requests are synchronous, so
 * the thread waits on each while the test's target answers from the test's own thread).
 */
import { build, type Plugin } from 'esbuild';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { RecordedSample } from './fake-k6/state.ts';

const FAKE = (name: string) => fileURLToPath(new URL(`./fake-k6/${name}.ts`, import.meta.url));
const K6_MODULES: Record<string, string> = { k6: FAKE('index'), 'k6/http': FAKE('http'), 'k6/execution': FAKE('execution'), 'k6/metrics': FAKE('metrics') };

const fakeK6: Plugin = {
  name: 'fake-k6',
  setup(b) {
    b.onResolve({ filter: /^k6(\/.*)?$/ }, (args) => {
      const path = K6_MODULES[args.path];
      return path ? { path } : { errors: [{ text: `the fake k6 has no module ${args.path}` }] };
    });
  },
};

/** Which iterations of which stream to run, in order. */
export interface ScriptCall {
  stream: string;
  exec: string;
  n: number;
}

export interface ScriptRun {
  samples: RecordedSample[];
  /** The script's `options` export. */
  options: unknown;
  /** The names of the functions it exports. */
  functions: string[];
}

export async function runScriptFunctions(script: string, env: Record<string, string>, calls: readonly ScriptCall[]): Promise<ScriptRun> {
  const dir = mkdtempSync(join(tmpdir(), 'lockbench-k6-script-'));
  try {
    writeFileSync(join(dir, 'script.js'), script);
    const entry = `
      import { parentPort, workerData } from 'node:worker_threads';
      import { fake } from ${JSON.stringify(FAKE('state'))};
      globalThis.__ENV = workerData.env;
      const script = await import('./script.js');
      for (const call of workerData.calls) {
        fake.scenario.name = call.stream;
        fake.scenario.iterationInTest = call.n;
        script[call.exec]();
      }
      parentPort.postMessage({
        samples: fake.samples,
        options: JSON.parse(JSON.stringify(script.options)),
        functions: Object.keys(script).filter((name) => typeof script[name] === 'function'),
      });
    `;
    await build({
      stdin: { contents: entry, resolveDir: dir, loader: 'js' },
      bundle: true,
      format: 'esm',
      platform: 'node',
      plugins: [fakeK6],
      outfile: join(dir, 'run.mjs'),
      logLevel: 'silent',
    });
    const worker = new Worker(join(dir, 'run.mjs'), { workerData: { env, calls } });
    return await new Promise<ScriptRun>((resolve, reject) => {
      worker.once('message', (message: ScriptRun) => resolve(message));
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`the script's worker exited (${code}) before it answered`)));
    }).finally(() => worker.terminate());
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
