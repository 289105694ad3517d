/**
 * A scenario description as k6's `options.scenarios`. Every stream runs the scripts' one exported
 * `iterate` function; k6 names each scenario after its stream, which is how `iterate` finds it. A stream
 * that ends when another has finished (plus a tail) is given its maximum duration: the harness stops
 * k6 once the imports have answered and the tail has passed (see harness/run/drivers/k6).
 */
import type { Scenario } from 'k6/options';
import type { ScenarioDescription, StreamDescription } from './scenario.ts';

/** The name of the exported function every stream executes. */
export const ITERATE = 'iterate';

const ms = (value: number): string => `${Math.round(value)}ms`;

function k6Scenario(stream: StreamDescription): Scenario {
  const e = stream.executor;
  const start = stream.startTimeMs ? { startTime: ms(stream.startTimeMs) } : {};
  if (e.type === 'per-vu-iterations') {
    return { executor: 'per-vu-iterations', exec: ITERATE, vus: e.vus, iterations: e.iterations, maxDuration: ms(e.maxDurationMs), tags: stream.tags, ...start };
  }
  const end = stream.end;
  if (e.type === 'constant-vus') {
    return { executor: 'constant-vus', exec: ITERATE, vus: e.vus, duration: ms(end?.type === 'duration' ? end.durationMs : e.durationMs), tags: stream.tags, ...start };
  }
  const vus = { preAllocatedVUs: e.preAllocatedVUs, maxVUs: e.maxVUs, gracefulStop: ms(e.gracefulStopMs), tags: stream.tags, ...start };
  if (e.type === 'ramping-arrival-rate') {
    return { executor: 'ramping-arrival-rate', exec: ITERATE, startRate: e.startRate, timeUnit: '1s', stages: e.stages.map((s) => ({ target: s.target, duration: ms(s.durationMs) })), ...vus };
  }
  const durationMs = end === undefined ? 0 : end.type === 'duration' ? end.durationMs : end.maxDurationMs;
  return { executor: 'constant-arrival-rate', exec: ITERATE, rate: e.rate, timeUnit: '1s', duration: ms(durationMs), ...vus };
}

export function k6Scenarios(description: ScenarioDescription): Record<string, Scenario> {
  return Object.fromEntries(description.streams.map((s) => [s.name, k6Scenario(s)]));
}
