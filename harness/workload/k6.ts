/**
 * A workload's request streams as k6's `options.scenarios`, for `--driver k6`: the executors are k6's
 * own, so they map field for field. What k6 cannot do is said per stream, as a code: an SQL stream
 * writes from connections the harness opens beside k6, and a stream that ends after another is given
 * its longest duration while the harness stops k6 once the other has finished (as it does today).
 */
import type { Scenario } from 'k6/options';
import { ITERATE } from '../../scenarios/lib/k6-options.ts';
import type { Workload, WorkloadStream } from '../model/workload-plan.ts';

export type K6Note = { stream: string; code: 'sql-stream-beside-k6' | 'ends-after-stopped-by-harness' };

export interface K6Mapping {
  scenarios: Record<string, Scenario>;
  notes: K6Note[];
}

const ms = (value: number): string => `${Math.round(value)}ms`;

function scenarioOf(stream: WorkloadStream): Scenario {
  const common = { exec: ITERATE, startTime: ms(stream.startTimeMs), gracefulStop: ms(stream.gracefulStopMs), tags: { stream: stream.name, ...stream.tags } };
  const e = stream.executor;
  switch (e.type) {
    case 'constant-arrival-rate':
      return { executor: e.type, rate: e.rate, timeUnit: ms(e.timeUnitMs), duration: ms(e.durationMs), preAllocatedVUs: e.preAllocatedVUs, maxVUs: e.maxVUs, ...common };
    case 'ramping-arrival-rate':
      return {
        executor: e.type,
        startRate: e.startRate,
        timeUnit: ms(e.timeUnitMs),
        stages: e.stages.map((s) => ({ target: s.target, duration: ms(s.durationMs) })),
        preAllocatedVUs: e.preAllocatedVUs,
        maxVUs: e.maxVUs,
        ...common,
      };
    case 'per-vu-iterations':
      return { executor: e.type, vus: e.vus, iterations: e.iterations, maxDuration: ms(e.maxDurationMs), ...common };
    case 'constant-vus':
      return { executor: e.type, vus: e.vus, duration: ms(e.durationMs), ...common };
  }
}

/** k6's scenarios of the workload's request streams, and what the harness does beside k6. */
export function k6Scenarios(workload: Workload): K6Mapping {
  const scenarios: Record<string, Scenario> = {};
  const notes: K6Note[] = [];
  for (const stream of workload.streams) {
    if (stream.action.kind === 'sql') {
      notes.push({ stream: stream.name, code: 'sql-stream-beside-k6' });
      continue;
    }
    scenarios[stream.name] = scenarioOf(stream);
    if (stream.endsAfter) notes.push({ stream: stream.name, code: 'ends-after-stopped-by-harness' });
  }
  return { scenarios, notes };
}
