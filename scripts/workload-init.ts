// `npm run workload:init -- --openapi <url|file> [--out workload.yaml]`: a starting workload with one
// stream per operation of an OpenAPI document, for the user to edit. Without --out the YAML goes to stdout.
// Exit 2 on bad usage, a document that cannot be read or is not OpenAPI, or an --out that exists (without --force).
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { InvalidArgumentError, Option } from 'commander';
import { writeFileAtomic } from '../harness/shared/atomic.ts';
import { WORKLOAD_SCHEMA_FILE } from '../harness/plan/workload/json-schema.ts';
import { parseWorkload, WorkloadError } from '../harness/plan/workload/load.ts';
import { DURATION_PATTERN } from '../scenarios/lib/env.ts';
import { DEFAULT_INIT_DURATION, DEFAULT_INIT_RATE, OpenApiError, workloadFromOpenApi, workloadYaml } from '../harness/plan/workload/openapi.ts';
import { number, runProgram } from './lib/cli.ts';
import { EXIT } from './lib/exit.ts';
import { parseArgs } from './lib/parse-args.ts';

/** How long fetching the document may take, in ms. */
const FETCH_TIMEOUT_MS = 30_000;

class InitError extends Error {}

function duration(text: string): string {
  if (!DURATION_PATTERN.test(text)) throw new InvalidArgumentError(`expected a duration such as 500ms, 30s or 1m30s, got "${text}"`);
  return text;
}

async function readDocument(from: string): Promise<string> {
  if (/^https?:\/\//.test(from)) {
    let res: Response;
    try {
      res = await fetch(from, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
    } catch (err) {
      throw new InitError(`--openapi: cannot fetch ${from}: ${(err as Error).message}`);
    }
    if (!res.ok) throw new InitError(`--openapi: ${from} answered HTTP ${res.status}`);
    return res.text();
  }
  try {
    return await readFile(from, 'utf8');
  } catch (err) {
    throw new InitError(`--openapi: cannot read ${from}: ${(err as Error).message}`);
  }
}

async function main(): Promise<number> {
  const program = runProgram('workload:init', 'Writes a starting workload from an OpenAPI document: one stream per operation, bodies from its examples or types.')
    .requiredOption('--openapi <url|file>', 'the OpenAPI document (JSON or YAML), e.g. http://127.0.0.1:8000/openapi.json')
    .option('--out <file>', 'where to write the workload (YAML); stdout when left out')
    .option('--force', 'overwrite --out when it exists', false)
    .addOption(new Option('--rate <n>', 'arrivals per second of each stream').argParser(number('--rate')).default(DEFAULT_INIT_RATE))
    .addOption(new Option('--duration <d>', 'how long each stream runs, e.g. 30s').argParser(duration).default(DEFAULT_INIT_DURATION))
    .addHelpText('after', `\nExit codes:\n  ${EXIT.pass}  written\n  ${EXIT.badUsage}  bad usage, a document that cannot be read or is not OpenAPI, or --out exists (use --force)`);
  const usage = parseArgs(program);
  if (usage !== null) return usage;
  const opts = program.opts<{ openapi: string; out?: string; force: boolean; rate: number; duration: string }>();
  try {
    const out = opts.out === undefined ? null : resolve(opts.out);
    if (out !== null && existsSync(out) && !opts.force) throw new InitError(`--out: ${out} exists; give --force to overwrite it`);
    const workload = await workloadFromOpenApi(await readDocument(opts.openapi), { rate: opts.rate, duration: opts.duration });
    // What is written must load: a flag value the format refuses (a bad --duration) stops here.
    parseWorkload(workload, opts.openapi, process.cwd());
    const schema = out === null ? WORKLOAD_SCHEMA_FILE : relative(dirname(out), WORKLOAD_SCHEMA_FILE);
    const text = workloadYaml(workload, schema, opts.openapi);
    if (out === null) process.stdout.write(text);
    else {
      await writeFileAtomic(out, text);
      process.stderr.write(`workload:init: wrote ${Object.keys(workload.streams).length} streams to ${out}\n`);
    }
    return EXIT.pass;
  } catch (err) {
    if (err instanceof InitError || err instanceof OpenApiError || err instanceof WorkloadError) {
      process.stderr.write(`workload:init: ${err.message}\n`);
      return EXIT.badUsage;
    }
    throw err;
  }
}

process.exitCode = await main();
