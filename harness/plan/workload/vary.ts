/**
 * A sweep over a workload's own figures: `--vary streams.<name>.rate=1,2,4,...` (a concurrency ladder),
 * `streams.<name>.vus` (per-vu-iterations, constant-vus), `streams.<name>.iterations`. A point's stream settings change the workload a
 * trial runs; its other settings go to the target as before.
 */
import type { VarySettings } from '../sweep.ts';
import type { LoadedWorkload, WorkloadStream } from '../../model/workload-plan.ts';

/** `streams.<stream>.<field>`: a figure of one stream a sweep may vary. */
const STREAM_SETTING = /^streams\.([A-Za-z][A-Za-z0-9_-]*)\.(rate|vus|iterations)$/;

/** The executor fields that exist for each executor a run carries out. */
const FIELDS: Readonly<Record<string, readonly string[]>> = {
  'constant-arrival-rate': ['rate'],
  'per-vu-iterations': ['vus', 'iterations'],
  'constant-vus': ['vus'],
};

export function isStreamSetting(key: string): boolean {
  return STREAM_SETTING.test(key);
}

/** The streams' figures a sweep of `workload` may vary: `streams.<name>.<field>`, by what each stream's executor has. */
export function streamSettingNames(loaded: LoadedWorkload): string[] {
  return loaded.workload.streams.flatMap((s) => (FIELDS[s.executor.type] ?? []).map((f) => `streams.${s.name}.${f}`));
}

/** The target's settings and the workload's stream figures, each value of the latter a number > 0 (whole for VUs and iterations). */
export function workloadVarySettings(loaded: LoadedWorkload, target: VarySettings): VarySettings {
  const names = streamSettingNames(loaded);
  return {
    keyOf: (name) => (names.includes(name) ? name : isStreamSetting(name) ? undefined : target.keyOf(name)),
    known: `${target.known}; the workload's streams: ${names.join(', ')}`,
    value(key, text) {
      if (!names.includes(key)) return target.value(key, text);
      const value = Number(text);
      const whole = !key.endsWith('.rate');
      if (!Number.isFinite(value) || value <= 0 || (whole && !Number.isInteger(value))) {
        throw new Error(`${key}: expected ${whole ? 'a whole number >= 1' : 'a number > 0'}, got "${text}"`);
      }
      return value;
    },
  };
}

/** A point's settings split: the stream figures for the workload, the rest for the target. */
export function splitStreamSettings<T>(settings: Readonly<Record<string, T>>): { target: Record<string, T>; streams: Record<string, number> } {
  const target: Record<string, T> = {};
  const streams: Record<string, number> = {};
  for (const [key, value] of Object.entries(settings)) {
    if (isStreamSetting(key) && typeof value === 'number') streams[key] = value;
    else target[key] = value;
  }
  return { target, streams };
}

function withFigure(stream: WorkloadStream, field: string, value: number): WorkloadStream {
  const e = stream.executor;
  if (e.type === 'constant-arrival-rate' && field === 'rate') {
    // The in-flight bounds grow with the rate, as the loader derived them from it.
    const scale = value / e.rate;
    return { ...stream, executor: { ...e, rate: value, preAllocatedVUs: Math.max(1, Math.ceil(e.preAllocatedVUs * scale)), maxVUs: Math.max(1, Math.ceil(e.maxVUs * scale)) } };
  }
  if (e.type === 'per-vu-iterations' && (field === 'vus' || field === 'iterations')) return { ...stream, executor: { ...e, [field]: value } };
  if (e.type === 'constant-vus' && field === 'vus') return { ...stream, executor: { ...e, vus: value } };
  throw new Error(`streams.${stream.name}.${field} cannot be varied on a ${e.type} stream`);
}

/** The workload with a point's stream figures (`{ 'streams.orders.rate': 8 }`) set. */
export function withStreamSettings(loaded: LoadedWorkload, settings: Readonly<Record<string, number>>): LoadedWorkload {
  const entries = Object.entries(settings);
  if (entries.length === 0) return loaded;
  const streams = loaded.workload.streams.map((stream) =>
    entries.reduce((s, [key, value]) => {
      const [, name, field] = key.match(STREAM_SETTING) ?? [];
      return name === stream.name ? withFigure(s, field!, value) : s;
    }, stream),
  );
  return { ...loaded, workload: { ...loaded.workload, streams } };
}
