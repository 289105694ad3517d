import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { concurrentConfig } from '../../../scenarios/lib/config.ts';
import { k6Scenarios as todaysK6Scenarios } from '../../../scenarios/lib/k6-options.ts';
import { durationMs } from '../../../scenarios/lib/env.ts';
import { concurrentScenario } from '../../../scenarios/lib/scenario.ts';
import { k6Scenarios } from './k6.ts';
import { loadWorkload, parseWorkload } from './load.ts';
import { DURATION_PATTERN } from '../../../scenarios/lib/env.ts';

const { workload: seed } = loadWorkload(fileURLToPath(new URL('../../../scenarios/concurrent.workload.json', import.meta.url)));

describe('a workload as k6 scenarios', () => {
  it('gives the seed workload the scenarios the k6 script builds today, with its start time said', () => {
    const { scenarios, notes } = k6Scenarios(seed);
    const today = todaysK6Scenarios(concurrentScenario(concurrentConfig({})));
    // Durations compare by length ("1s" is "1000ms"); k6 gives per-vu-iterations a 30 s gracefulStop when none is said.
    const same = (scenario: object) =>
      Object.fromEntries(Object.entries({ gracefulStop: '30s', ...scenario }).filter(([k]) => k !== 'startTime').map(([k, v]) => [k, typeof v === 'string' && DURATION_PATTERN.test(v) ? durationMs(v) : v]));
    expect(Object.keys(scenarios)).toEqual(Object.keys(today));
    for (const [name, s] of Object.entries(today)) expect(same(scenarios[name]!)).toEqual(same(s));
    expect(Object.values(scenarios).map((s) => s.startTime)).toEqual(['0ms', '0ms', '0ms']);
    expect(notes).toEqual([
      { stream: 'catalog', code: 'ends-after-stopped-by-harness' },
      { stream: 'reads', code: 'ends-after-stopped-by-harness' },
      { stream: 'workflow', code: 'sql-stream-beside-k6' },
    ]);
  });

  it('maps a ramping arrival rate and constant VUs field for field', () => {
    const { workload } = parseWorkload(
      {
        name: 'ladder',
        streams: {
          ladder: { executor: 'ramping-arrival-rate', startRate: 1, timeUnit: '1s', stages: [{ target: 256, duration: '1m' }], maxVUs: 300, request: { method: 'GET', path: '/p' } },
          browse: { executor: 'constant-vus', vus: 4, duration: '30s', startTime: '5s', request: { method: 'GET', path: '/q' }, tags: { team: 'shop' } },
        },
      },
      'ladder',
      '.',
    );
    expect(k6Scenarios(workload).scenarios).toEqual({
      ladder: expect.objectContaining({ executor: 'ramping-arrival-rate', startRate: 1, timeUnit: '1000ms', stages: [{ target: 256, duration: '60000ms' }], preAllocatedVUs: 300, maxVUs: 300 }),
      browse: expect.objectContaining({ executor: 'constant-vus', vus: 4, duration: '30000ms', startTime: '5000ms', tags: { stream: 'browse', team: 'shop' } }),
    });
  });
});
