/** The k6 driver's parts that need no k6: its arguments, the scenario as k6 options, and when it stops k6. */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { concurrentConfig } from '../../../../scenarios/lib/config.ts';
import { k6Scenarios } from '../../../../scenarios/lib/k6-options.ts';
import { concurrentScenario, smokeScenario } from '../../../../scenarios/lib/scenario.ts';
import { countImportResults, createK6Driver, k6RunArgs, stopRule } from './driver.ts';
import { findK6, K6NotFoundError } from './find.ts';

const description = concurrentScenario(concurrentConfig({ IMPORTS: '5', CATALOG_RATE: '20', READ_RATE: '5', TAIL: '1s', MAX_DURATION: '120s' }));

describe('k6 run arguments', () => {
  it('never reach the network, write CSV samples and pass every setting as -e', () => {
    const args = k6RunArgs('concurrent', { BASE_URL: 'http://127.0.0.1:3000', IMPORTS: '5' });
    expect(args.slice(0, 6)).toEqual(['run', '--quiet', '--no-color', '--no-usage-report', '--out', 'csv']);
    expect(args).toContain('BASE_URL=http://127.0.0.1:3000');
    expect(args.at(-1)).toMatch(/scenarios\/concurrent\.ts$/);
  });
});

describe('the scenario description as k6 options', () => {
  it('maps each stream onto a k6 scenario of the same executor, running the one exported iterate()', () => {
    const scenarios = k6Scenarios(description);
    expect(Object.keys(scenarios)).toEqual(['imports', 'catalog', 'reads']);
    expect(scenarios.imports).toMatchObject({ executor: 'per-vu-iterations', exec: 'iterate', vus: 5, iterations: 1 });
    // k6 cannot end a stream when another finishes: it gets the maximum, and the driver stops k6.
    expect(scenarios.catalog).toMatchObject({ executor: 'constant-arrival-rate', exec: 'iterate', rate: 20, timeUnit: '1s', duration: '120000ms', maxVUs: 1200 });
    expect(k6Scenarios(smokeScenario({ artifacts: 3 }))).toMatchObject({ smoke: { executor: 'per-vu-iterations', vus: 1, iterations: 1 } });
  });

  it('stops k6 once every import has answered plus the tail', () => {
    expect(stopRule(description)).toEqual({ stream: 'imports', imports: 5, tailMs: 1_000 });
    expect(stopRule(smokeScenario({ artifacts: 3 }))).toBeNull();
    // The stream the others end after, by the description's names, not by the seed's.
    const renamed = {
      ...description,
      streams: description.streams.map((s) => ({
        ...s,
        name: s.name === 'imports' ? 'restocks' : s.name,
        ...(s.end?.type === 'after-stream' ? { end: { ...s.end, stream: 'restocks' } } : {}),
      })),
    };
    expect(stopRule(renamed)).toEqual({ stream: 'restocks', imports: 5, tailMs: 1_000 });
  });
});

describe("counting the imports' answers on k6's console", () => {
  it("reads k6's logfmt lines and counts only import-result events", () => {
    const line = (json: object) => `time="2026-11-30T10:00:00Z" level=info msg=${JSON.stringify(JSON.stringify(json))} source=console`;
    const text = [line({ event: 'import-result', sourceId: 'src-1' }), line({ event: 'other' }), line({ event: 'import-result', sourceId: 'src-2' })].join('\n');
    expect(countImportResults(text)).toBe(2);
    expect(countImportResults('')).toBe(0);
  });
});

describe('finding k6', () => {
  it('says how to install k6 when there is none, and never builds it', async () => {
    const error = await findK6(null, { PATH: '/nonexistent' }).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(K6NotFoundError);
    expect((error as Error).message).toMatch(/grafana\/k6/);
    expect((error as Error).message).toMatch(/setup-k6-action/);
    const missing = await findK6('/nonexistent/k6', {}).catch((err: unknown) => err);
    expect((missing as Error).message).toMatch(/--k6 \(\/nonexistent\/k6\) cannot be run/);
  });
});

describe('the k6 driver without a workload', () => {
  it('refuses to run k6 when it was given no environment to read the scenario from, before starting it', async () => {
    const driver = createK6Driver({ k6Path: fileURLToPath(new URL('./testing/fake-k6-binary.mjs', import.meta.url)) });
    await driver.prepare();
    const files = '/nonexistent/lockbench-k6-no-env';
    await expect(
      driver.run({ description, baseUrl: 'http://127.0.0.1:1', samplesPath: `${files}/s.csv`, summaryPath: `${files}/s.json`, logPath: `${files}/k6.log`, signal: new AbortController().signal }),
    ).rejects.toThrow('the k6 driver reads the scenario from its environment, and none was given');
  });
});
