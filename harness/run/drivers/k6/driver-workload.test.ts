/**
 * The k6 driver running a workload, with a stand-in for the k6 binary (./testing/fake-k6-binary.mjs): the
 * script is written beside the run's files and handed to k6 with the target's URL, k6 is stopped once the
 * followed stream's iterations are done plus the tail, and k6's CSV becomes the samples file and the
 * answers file the built-in driver writes. That k6 itself runs the script is k6-end-to-end.test.ts' part.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadWorkload } from '../../../plan/workload/load.ts';
import { workloadScenario } from '../../workload/run.ts';
import type { WorkloadSample } from '../../../model/workload-samples.ts';
import { readSamples } from '../samples.ts';
import { countIterationsDone, createK6Driver, k6RunArgs, loadStartIn, workloadScriptPath } from './driver.ts';

const FAKE_K6 = fileURLToPath(new URL('./testing/fake-k6-binary.mjs', import.meta.url));
const WORKLOAD = fileURLToPath(new URL('../../../../examples/django-gunicorn/workload.yaml', import.meta.url));
const HEADER = 'metric_name,timestamp,metric_value,check,error,error_code,expected_response,group,method,name,proto,scenario,service,status,subproto,tls_version,url,extra_tags,metadata';

/** One request's two rows as k6 writes them: its duration, and its answer's class. */
function requestRows(stream: string, n: number, endMicros: number, status: number, outcome: string, extra = ''): string[] {
  return [
    `http_req_duration,${endMicros},12.500000,,,,true,,GET,GET /x,HTTP/1.1,${stream},,${status},,,http://127.0.0.1/x,,lockbench_n=${n}`,
    `lockbench_answer,${endMicros + 300},1.000000,,,,,,,,,${stream},,,,,,lock_failure=${outcome === 'lock-error' ? 'fast' : ''}&outcome=${outcome},lockbench_n=${n}${extra}`,
  ];
}

let dir: string;
const saved = process.env.FAKE_K6_PLAN;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'lockbench-k6-driver-'));
});
afterEach(() => {
  if (saved === undefined) delete process.env.FAKE_K6_PLAN;
  else process.env.FAKE_K6_PLAN = saved;
  rmSync(dir, { recursive: true, force: true });
});

describe('the k6 driver with a workload', () => {
  it('counts only the followed stream\'s iteration-done lines', () => {
    const line = (stream: string) => `time="t" level=info msg=${JSON.stringify(JSON.stringify({ event: 'iteration-done', stream }))} source=console`;
    expect(countIterationsDone([line('source-imports'), line('catalog-edits'), line('source-imports')].join('\n'), 'source-imports')).toBe(2);
    expect(countIterationsDone(line('source-imports-2'), 'source-imports')).toBe(0);
    expect(k6RunArgs({ script: '/runs/driver-a.k6.js' }, { BASE_URL: 'http://127.0.0.1:1' }).at(-1)).toBe('/runs/driver-a.k6.js');
    expect(workloadScriptPath('/runs/driver-batched.log')).toBe('/runs/driver-batched.k6.js');
  });

  it("reads the load's start from the line the script's setup() prints, and nothing from other lines", () => {
    const say = (event: unknown) => `time="t" level=info msg=${JSON.stringify(JSON.stringify(event))} source=console`;
    expect(loadStartIn([say({ event: 'iteration-done', stream: 'a' }), say({ event: 'load-start', atMs: 1_800_000_000_123 })].join('\n'))).toBe(1_800_000_000_123);
    expect(loadStartIn([say({ event: 'iteration-done', stream: 'load-start' }), say('load-start'), 'level=info msg="load-start {"'].join('\n'))).toBeNull();
  });

  it('writes the script beside the run, runs it on the target, stops k6 after the followed stream plus the tail, and writes samples and answers', { timeout: 60_000 }, async () => {
    const { workload } = loadWorkload(WORKLOAD);
    const base = 1_800_000_000_000_000;
    const csv = [
      HEADER,
      ...[0, 1, 2, 3, 4].flatMap((n) => requestRows('source-imports', n, base + n * 1000, 200, 'success', '&lockbench_acknowledged=100')),
      ...requestRows('catalog-edits', 0, base + 500, 500, 'lock-error'),
      ...requestRows('catalog-edits', 1, base + 700, 200, 'success'),
      // Stopped by k6's end between the request and its answer's sample: an error, as a cut request of the built-in driver.
      `http_req_duration,${base + 9000},0.000000,,,1050,,,PATCH,PATCH /x,,catalog-edits,,0,,,,,lockbench_n=2`,
    ].join('\n');
    const planPath = join(dir, 'plan.json');
    const loadStartAtMs = 1_800_000_000_000;
    writeFileSync(planPath, JSON.stringify({ csv, summary: { scenario: 'concurrent' }, loadStartAtMs, iterationsDone: Array(5).fill('source-imports'), waitForSigint: true }));
    process.env.FAKE_K6_PLAN = planPath;

    const driver = createK6Driver({ k6Path: FAKE_K6 });
    expect(await driver.prepare()).toEqual({ name: 'k6', version: '1.3.0' });
    const logPath = join(dir, 'driver-batched.log');
    const started: number[] = [];
    const ended: { stream: string; endedAtMs: number }[] = [];
    const beforeRun = Date.now();
    const run = await driver.run({
      onStart: (atMs) => started.push(atMs),
      onStreamEnd: (stream, endedAtMs) => ended.push({ stream, endedAtMs }),
      description: workloadScenario(workload, 'concurrent'),
      env: {},
      baseUrl: 'http://127.0.0.1:8123',
      workload,
      answersPath: join(dir, 'answers-batched.json'),
      samplesPath: join(dir, 'samples-batched.csv'),
      summaryPath: join(dir, 'driver-batched.json'),
      logPath,
      signal: new AbortController().signal,
    });
    expect(run.failure).toBeUndefined();
    // Ended by the driver (SIGINT after the tail), not by k6: still a completed run.
    expect(run.completed).toBe(true);
    // The SQL stream's t0 is the one the script said, not k6's spawn; the imports it ends after are told
    // ended once their five iteration-done lines were read.
    expect(started).toEqual([loadStartAtMs]);
    expect(ended.map((e) => e.stream)).toEqual(['source-imports']);
    expect(ended[0]!.endedAtMs).toBeGreaterThanOrEqual(beforeRun);
    const given = JSON.parse(readFileSync(`${planPath}.args.json`, 'utf8')) as { args: string[]; env: Record<string, string> };
    expect(given.args.at(-1)).toBe(workloadScriptPath(logPath));
    expect(given.env).toEqual({ BASE_URL: 'http://127.0.0.1:8123', SUMMARY_PATH: join(dir, 'driver-batched.json') });
    expect(existsSync(workloadScriptPath(logPath))).toBe(true);
    expect(readFileSync(workloadScriptPath(logPath), 'utf8')).toMatch(/export \{[^}]*stream_source_imports/);

    const samples = await readSamples(join(dir, 'samples-batched.csv'));
    expect(samples.map((s) => [s.stream, s.status])).toEqual([
      ...Array(5).fill(['source-imports', 200]),
      ['catalog-edits', 500],
      ['catalog-edits', 200],
      ['catalog-edits', 0],
    ]);
    const answers = JSON.parse(readFileSync(join(dir, 'answers-batched.json'), 'utf8')) as WorkloadSample[];
    expect(answers.map((a) => [a.stream, a.outcome, a.lockFailure, a.acknowledged])).toEqual([
      ...Array(5).fill(['source-imports', 'success', null, 100]),
      ['catalog-edits', 'lock-error', 'fast', null],
      ['catalog-edits', 'success', null, null],
      ['catalog-edits', 'error', null, null],
    ]);
    expect(answers[0]!.endMs - answers[0]!.sentMs!).toBeCloseTo(12.5, 6);
  });
});
