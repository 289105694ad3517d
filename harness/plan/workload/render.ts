/**
 * A request stream's iteration n as an HTTP call: its values drawn, its templates filled. Pure: the
 * same workload, stream and n give the same call in any thread.
 */
import { valuesAt } from './generators.ts';
import type { HttpAction } from '../../model/workload-plan.ts';
import { fillJson, fillText } from './template.ts';

/** One request, relative to the target's base URL. */
export interface RenderedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  /** The JSON body as sent; null when the stream sends none. */
  body: unknown;
}

/** Iteration `n` (from 0, over the whole stream) of a request stream. */
export function renderRequest(action: HttpAction, seed: number, stream: string, n: number): RenderedRequest {
  const scope = { n, ...valuesAt(action.values, { seed, place: stream, n, scope: { n } }) };
  return {
    method: action.method,
    path: fillText(action.path, scope, encodeURIComponent),
    headers: Object.fromEntries(Object.entries(action.headers).map(([k, v]) => [k, fillText(v, scope)])),
    body: action.body === null ? null : fillJson(action.body, scope),
  };
}
