/**
 * Test support for report.html: the earlier recorded k6 default run (harness/run/fixtures/results-concurrent-k6.json)
 * with its `before` spans (harness/run/fixtures/spans-before.json) and `staged` request samples, a baseline
 * comparison built on it, a long run made up to check the charts stay small, and run folders recorded whole
 * (default runs, a small sweep, a foreign target; ./fixtures/README.md) with every profile's and trial's spans and samples.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseSamplesCsv } from '../../model/samples-file.ts';
import type { RequestSample as SampleRow } from '../../model/results.ts';
import { recordedResults } from '../testing.ts';
import { reportResultsOf, type BaselineComparison, type ReportHtmlInput, type ReportResults } from './input.ts';
import type { SweepResults } from '../../model/sweep.ts';
import type { SpansFile, Timeline } from '../../model/timeline.ts';
import { readTimelines } from '../../run/timelines.ts';

export function recordedSpans(): SpansFile {
  return JSON.parse(readFileSync(new URL('../../run/fixtures/spans-before.json', import.meta.url), 'utf8')) as SpansFile;
}

/** The import window's start in the run the staged samples were recorded in (harness/run/fixtures/results-concurrent.json). */
const SAMPLES_WINDOW_START_MS = 1795853696889;

/**
 * The `staged` request samples of a default run (converted from k6's CSV output: stream = scenario,
 * sent = end - http_req_duration), recorded in a run of the same day, moved onto the clock of the
 * recorded results so they line up with its import window.
 */
export function recordedSamples(results: ReportResults = reportResultsOf(recordedResults())): SampleRow[] {
  const rows = parseSamplesCsv(readFileSync(new URL('./fixtures/samples-staged.csv', import.meta.url), 'utf8'));
  const shift = results.profiles.find((p) => p.name === 'staged')!.importWindow!.startEpochMs! - SAMPLES_WINDOW_START_MS;
  return rows.map((r) => ({ ...r, sentMs: r.sentMs === null ? null : r.sentMs + shift, endMs: r.endMs + shift, scheduledMs: r.scheduledMs === null ? null : r.scheduledMs + shift }));
}

/** The holders the recorded `before` spans contain, as the timeline labels its rows. */
export const RECORDED_BEFORE_ROWS = [
  'target 1831: import 1',
  'target 1831: import 2',
  'target 1831: import 3',
  'target 1831: import 4',
  'target 1831: import 5',
  'target 1831: catalog updates',
  'writers 1814',
];

/**
 * The timeline rows of the recorded foreign run: Django under gunicorn, one row per worker that held the
 * write lock (in the order they first held it), then the workload's SQL stream, whose writers time their own holds.
 */
export const FOREIGN_ROWS = ['gunicorn worker 29138', 'gunicorn worker 29140', 'gunicorn worker 29139', 'workflow-executions'];

/** The recorded default run: `before` with its spans, `staged` with its samples, `seed-fix` with neither. */
export function recordedReportInput(): ReportHtmlInput {
  const results: ReportResults = reportResultsOf(recordedResults());
  const timelines: Timeline[] = [
    { id: 'before', spans: recordedSpans(), samples: null },
    { id: 'staged', spans: null, samples: recordedSamples(results) },
  ];
  return { results, timelines };
}

function spread(median: number, relative: number, repeats: number) {
  return { median, min: median * (1 - relative), max: median * (1 + relative), ci95: [median * (1 - relative), median * (1 + relative)] as [number, number], confidence: 0.75, samples: repeats };
}

/** A run folder recorded as it was written (spans trimmed to what the page draws, see fixtures/README.md). */
export type RecordedRun = 'concurrent' | 'sweep' | 'foreign' | 'seed-workload';

/**
 * A recorded run's report input, read as the run reads it: its results.json and, per profile or trial,
 * the spans and samples files it names. `concurrent`: a default run (before, seed-fix, staged), judged by
 * its seed workload; `sweep`: `--base staged --batch-sizes 5,25 --repeat 2 --seed 7`; `foreign`: the Django
 * example under gunicorn from its own workload, its `wal-immediate` profile, its holds attributed to streams;
 * `seed-workload`: an earlier default run whose profiles carry the seed workload's result and no scenario
 * criteria, as the workload judges it.
 */
export async function recordedRunInput(run: RecordedRun): Promise<ReportHtmlInput> {
  const dir = fileURLToPath(new URL(`./fixtures/${run}/`, import.meta.url));
  const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as SweepResults;
  return { results: reportResultsOf(results), timelines: await readTimelines(dir, results) };
}

/** This run against an earlier one that held the lock less long: per metric old and new. */
export function baselineReportInput(): ReportHtmlInput {
  const input = recordedReportInput();
  const metric = (name: string, profile: string, old: number, now: number, verdict: string) => ({ metric: name, profile, old, new: now, changePct: ((now - old) / old) * 100, verdict });
  const baseline: BaselineComparison = {
    source: 'baselines/staged.json',
    metrics: [
      metric('importWallMs', 'staged', 3010, 3031, 'no significant change'),
      metric('maxLockHoldMs', 'staged', 9.8, 13.95, 'worse'),
      metric('catalogP99Ms', 'staged', 61.9, 55.4, 'better'),
      { metric: 'workflowWriteP99Ms', profile: 'staged', old: spread(65, 0.1, 3), new: spread(80, 0.12, 3), changePct: 23, verdict: 'too few samples' },
    ],
  };
  return { ...input, results: { ...input.results, baseline } };
}

/**
 * A long run made up from the recorded one: the `before` spans and `staged` samples repeated `times`
 * over, one after the other, for every profile.
 */
export function longReportInput(times: number): ReportHtmlInput {
  const { results } = recordedReportInput();
  const spans = recordedSpans();
  const recorded = recordedSamples(results);
  // Onto the spans' clock, so both charts cover the same stretch of time.
  const onSpans = spans.observed!.windowStartMs - recorded.reduce((min, r) => Math.min(min, r.sentMs ?? r.endMs), Infinity);
  const samples = recorded.map((r) => ({ ...r, sentMs: r.sentMs === null ? null : r.sentMs + onSpans, endMs: r.endMs + onSpans }));
  const spanStep = spans.observed!.windowEndMs - spans.observed!.windowStartMs;
  const sampleStep = samples.reduce((max, r) => Math.max(max, r.endMs), 0) - samples.reduce((min, r) => Math.min(min, r.sentMs ?? r.endMs), Infinity);
  const shifted = <T extends { startMs: number; endMs: number }>(list: readonly T[], by: number): T[] => list.map((s) => ({ ...s, startMs: s.startMs + by, endMs: s.endMs + by }));
  const repeat = <T>(make: (i: number) => T[]) => Array.from({ length: times }, (_, i) => make(i)).flat();
  const longSpans: SpansFile = {
    target: repeat((i) => shifted(spans.target, i * spanStep)),
    workflowWriters: repeat((i) => shifted(spans.workflowWriters, i * spanStep)),
    observed: { ...spans.observed!, windowEndMs: spans.observed!.windowStartMs + times * spanStep, writeSpans: repeat((i) => shifted(spans.observed!.writeSpans, i * spanStep)) },
  };
  const longSamples = repeat((i) => samples.map((r) => ({ ...r, sentMs: r.sentMs === null ? null : r.sentMs + i * sampleStep, endMs: r.endMs + i * sampleStep })));
  return { results, timelines: results.profiles.map((p) => ({ id: p.name, spans: longSpans, samples: longSamples })) };
}
