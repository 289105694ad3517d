import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { concurrentConfig } from '../../../scenarios/lib/config.ts';
import { iterationFor } from '../../../scenarios/lib/requests.ts';
import { concurrentScenario } from '../../../scenarios/lib/scenario.ts';
import { DEFAULT_MAX_IN_FLIGHT, DEFAULT_WRITER_THREADS } from '../../plan/workflow-writers.ts';
import { DEFAULT_WORKFLOW_RATE } from '../../plan/options.ts';
import { loadCriteria } from '../../plan/criteria.ts';
import { loadWorkload } from '../../plan/workload/load.ts';
import { renderRequest } from '../../plan/workload/render.ts';
import type { HttpAction } from '../../model/workload-plan.ts';
import { toScenarioDescription } from '../../plan/workload/scenario.ts';

const SEED_WORKLOAD = fileURLToPath(new URL('../../../scenarios/concurrent.workload.json', import.meta.url));

describe('the concurrent scenario as a workload', () => {
  const { workload } = loadWorkload(SEED_WORKLOAD);
  const today = concurrentScenario(concurrentConfig({}));

  it('converts to the scenario description scenarios/lib builds today, stream for stream', () => {
    const converted = toScenarioDescription(workload, 'concurrent');
    expect(converted.ok).toBe(true);
    if (!converted.ok) return;
    expect(converted.description).toEqual(today);
  });

  it('gives the workflow writers what the run gives them today', () => {
    const converted = toScenarioDescription(workload, 'concurrent');
    if (!converted.ok) throw new Error(JSON.stringify(converted.refusals));
    expect(converted.writers).toEqual({
      stream: 'workflow',
      writesPerSecond: DEFAULT_WORKFLOW_RATE,
      threads: DEFAULT_WRITER_THREADS,
      maxInFlight: DEFAULT_MAX_IN_FLIGHT,
      sqlWrite: null,
      busyTimeoutMs: null,
    });
  });

  // The templates must say what the request builders send, byte for byte, or switching would change the load.
  it.each([
    ['imports', 5],
    ['catalog', 805],
    ['reads', 12],
  ] as const)('renders the %s stream as today\'s requests, iterations 0..%i', (name, iterations) => {
    const stream = workload.streams.find((s) => s.name === name)!;
    const kind = today.streams.find((s) => s.name === name)!.request;
    for (let n = 0; n < iterations; n++) {
      const rendered = renderRequest(stream.action as HttpAction, workload.seed, name, n);
      const call = iterationFor(kind, today.settings, n).first;
      expect({ method: rendered.method, path: rendered.path, body: rendered.body === null ? null : JSON.stringify(rendered.body) }).toEqual({
        method: call.method,
        path: call.path,
        body: call.body,
      });
      expect(rendered.headers).toEqual(call.headers);
    }
  });

  it('judges what harness/plan/criteria.json judges: the same ids, comparisons and thresholds', () => {
    const today = loadCriteria();
    expect(workload.criteria.map((c) => c.id)).toEqual(today.map((c) => c.id));
    for (const criterion of today) {
      const ours = workload.criteria.find((c) => c.id === criterion.id)!;
      // no-loss compares with a measured figure (the acknowledged rows); the others with a number.
      if (typeof criterion.threshold !== 'number') expect(ours.type).toBe('no-loss');
      else expect(ours).toMatchObject({ comparison: criterion.comparison, threshold: criterion.threshold });
    }
  });
});
