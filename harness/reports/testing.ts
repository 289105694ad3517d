/**
 * Test support: two recorded default runs, and variants of them.
 *
 * {@link recordedDefaultRun}: the results.json of a real default run of today's code, every profile judged
 * by the seed workload (`profiles[].workload`, `criteria` empty): `npm run scenario:concurrent -- --profiles
 * before,staged --artifacts 40` (builtin driver, lock observer every 250 us, 2 busy CPUs), as written but for
 * the report folder's absolute path. The reports are tested on it.
 *
 * {@link recordedResults}: the results.json of an earlier real default run with the lock observer (k6
 * v2.2.0, 2 CPUs, observer every 250 us), written before trials carried a workload: its figures (metrics,
 * the observer's comparison, integrity) are what the analysis, the baselines and the cross-check rules are
 * tested on, beside the `before` spans of the same run (harness/run/fixtures/spans-before.json). That run
 * predates each hold's own bounds, the sampling error per hold end and the holders' own timing in the
 * comparison: it allowed every figure one sample gap (`resolutionMs`) either way and the summed holds 2 gaps
 * x sqrt(holds). Its rules are kept in today's structure: bounds of the observed figure +- one gap, a
 * sampling error of gap x sqrt(holds) / 2, no allowance for the holders' own timing
 * (`selfTimingOverheadMs` 0), so its `allowed` figures follow from them as recorded. Its holds compared come
 * from its notes, which said them in words. Its profiles' notes were the measurement notes the run layer
 * then wrote into results.json; harness/reports/notes.ts says those from the figures now, so they are left out.
 */
import { readFileSync } from 'node:fs';
import type { LocksObserved, ProfileResult, RunResults } from '../model/results.ts';

/** Today's default run, judged by its seed workload (see the module's comment). */
export function recordedDefaultRun(): RunResults {
  return JSON.parse(readFileSync(new URL('./fixtures/results-concurrent.json', import.meta.url), 'utf8')) as RunResults;
}

/** The earlier default run whose figures the analysis is tested on (see the module's comment). */
export function recordedResults(): RunResults {
  return JSON.parse(readFileSync(new URL('../run/fixtures/results-concurrent-k6.json', import.meta.url), 'utf8')) as RunResults;
}

/**
 * The results.json of a real run from a workload: the FastAPI example (examples/fastapi-sqlalchemy) from
 * its own workload.yaml, profiles monolithic and batched (gated), builtin driver, lock observer on, 2 CPUs,
 * as written but for the repository's and the report folder's absolute paths.
 */
export function recordedWorkloadResults(): RunResults {
  return JSON.parse(readFileSync(new URL('./fixtures/results-workload.json', import.meta.url), 'utf8')) as RunResults;
}

/** When the recorded workload run's imports window opened, epoch ms: a round figure, as reports show lengths only. */
const IMPORTS_FROM_MS = 1_765_000_000_000;

/** The criterion edits-p99 as the recorded workload's file gives it. */
const WINDOWED = { stream: 'catalog-edits', percentile: 99, windowStream: 'source-imports' } as const;

/**
 * The recorded workload run as a run written since windowed criteria keep their window: edits-p99 (the
 * catalog edits' p99 inside the source imports' window) with the window and the whole run beside it, from
 * the recorded figures: the window is as long as imports-wall, the whole run is the catalog-edits stream's.
 * That run did not keep the in-window p50: `p50Ms` gives it, by profile.
 */
export function recordedWindowedResults(p50Ms: Readonly<Record<string, number>> = { monolithic: 4_720.4, batched: 3_402 }): RunResults {
  const results = recordedWorkloadResults();
  for (const profile of results.profiles) {
    const { criteria, streams } = profile.workload!;
    const edits = criteria.find((c) => c.id === 'edits-p99')!;
    const wallMs = criteria.find((c) => c.id === 'imports-wall')!.measured!;
    const stream = streams.find((s) => s.stream === 'catalog-edits')!;
    edits.windowed = {
      ...WINDOWED,
      window: { startMs: IMPORTS_FROM_MS, endMs: IMPORTS_FROM_MS + wallMs },
      p50Ms: p50Ms[profile.name] ?? null,
      wholeRun: { measured: stream.p99Ms, p50Ms: stream.p50Ms, counted: edits.basis!.of },
    };
  }
  return results;
}

function gatedProfile(results: RunResults): ProfileResult {
  return results.profiles.find((p) => p.gated)!;
}

/** Today's recorded run with the gated profile failing its workload's `criterionId`, measured at 4,321. */
export function withGatedFailure(criterionId: string): RunResults {
  const results = recordedDefaultRun();
  const staged = gatedProfile(results);
  const criterion = staged.workload!.criteria.find((c) => c.id === criterionId)!;
  criterion.pass = false;
  criterion.measured = 4_321;
  staged.pass = false;
  results.pass = false;
  return results;
}

/** Today's recorded run as if the gated profile's target had reported its longest hold 20 ms longer than the lock was held. */
export function withCrossCheckFault(): RunResults {
  const results = recordedDefaultRun();
  const observed = gatedProfile(results).observed as LocksObserved;
  const max = observed.comparison.figures.find((f) => f.id === 'holdMaxMs')!;
  max.selfReported = max.observed! + 20;
  max.difference = -20;
  max.fault = true;
  observed.comparison.fault = true;
  observed.crossCheck = { outcome: 'fault', faults: ['holdMaxMs'], warnings: [] };
  return results;
}

/**
 * Today's recorded run as if the observer could not run on this machine: the workload's lock criteria
 * judged on the holders' own spans, at the self-reported figure.
 */
export function withObserverUnavailable(): RunResults {
  const results = recordedDefaultRun();
  const reason = 'the lock observer could not start: UNSUPPORTED_PLATFORM: observing SQLite locks is not supported on darwin-arm64';
  for (const profile of results.profiles) {
    const metrics = profile.metrics!;
    const selfReported = metrics.maxLockHoldSelfReportedMs;
    profile.observed = { status: 'unavailable', intervalUs: 250, reason, crossCheck: { outcome: 'not-checked', because: 'not-observed', warnings: [] } };
    profile.metrics = { ...metrics, maxLockHoldMs: selfReported, maxLockHoldSource: 'self-reported', maxLockHoldObservedMs: null };
    profile.workload!.lockSource = 'self-reported';
    const lockHold = profile.workload!.criteria.find((c) => c.id === 'lock-hold')!;
    Object.assign(lockHold, { measured: selfReported, pass: selfReported !== null && selfReported < (lockHold.threshold as number) });
  }
  return results;
}

/**
 * Today's recorded run as if Ctrl-C had come during the first profile's load: `before` incomplete (0 of 5
 * imports answered, 80 rows committed by imports still running, integrity_check ok), the gated `staged`
 * never run.
 */
export function withInterruptedRun(): RunResults {
  const results = recordedDefaultRun();
  results.complete = false;
  results.incompleteReason = 'interrupted (SIGINT/SIGTERM)';
  results.pass = false;
  const [before, ...rest] = results.profiles;
  Object.assign(before!, {
    status: 'incomplete',
    error: 'interrupted',
    pass: false,
    metrics: { ...before!.metrics, importWallMs: null, artifactsExpected: 0, artifactsFound: 80, integrityOk: false },
  });
  before!.workload!.criteria = before!.workload!.criteria.map((c) => ({ ...c, pass: false, notJudged: 'partial-run' }));
  before!.reliability = {
    requests: { sent: 125, succeeded: 115, failed: 10, byStatus: { '200': 115, '0': 10 }, byError: { aborted: 10 } },
    droppedIterations: 0,
    sqliteErrors: {},
    rows: { acknowledged: 0, stored: 80 },
    integrityOk: false,
    integrityCheckOk: true,
  };
  if (before!.observed) before!.observed.crossCheck = { outcome: 'not-checked', because: 'partial-run', warnings: [] };
  for (const profile of rest) {
    Object.assign(profile, {
      status: 'not-run',
      error: 'interrupted before it ran',
      pass: false,
      reliability: null,
      sendLag: null,
      resources: null,
      observed: null,
      phases: [],
      metrics: Object.fromEntries(Object.entries(profile.metrics!).map(([key]) => [key, key === 'busyErrors' ? {} : null])),
      load: null,
      importWindow: {
        startEpochMs: null,
        endEpochMs: null,
        durationMs: null,
        catalog: { inWindow: null, total: null, p50Ms: null, p99Ms: null, reason: { code: 'samples-not-read' } },
        workflowWrites: { inWindow: null, total: null, p50Ms: null, p99Ms: null, reason: { code: 'writers-did-not-report' } },
      },
      workflowWriters: null,
      integrity: null,
      targetLocks: null,
    });
    // As the analysis writes a trial that never ran: its workload's criteria, none measured, none judged.
    profile.workload = {
      ...profile.workload!,
      lockSource: 'none',
      streams: profile.workload!.streams.map((st) => ({ ...st, requests: 0, successes: 0, p50Ms: null, p99Ms: null, acknowledged: null })),
      criteria: profile.workload!.criteria.map(({ basis: _basis, windowed: _windowed, ...c }) => ({ ...c, measured: null, pass: false, notJudged: 'not-run' })),
    };
  }
  return results;
}

/**
 * The recorded run's profiles as if a Django shop had been run from its own workload: two profiles of its
 * target description (transaction mode deferred and immediate, the second gated), streams `orders` (HTTP,
 * constant arrival rate, ending after `restock`), `restock` (HTTP, one VU) and `stock-report` (SQL, a lock
 * holder). Nothing in it speaks of imports, catalog, artifacts or workflows.
 */
export function shopWorkloadResults(): RunResults {
  const results = recordedResults();
  const profile = (base: ProfileResult, name: string, transactionMode: string, gated: boolean): ProfileResult => ({
    ...base,
    name,
    gated,
    config: { flags: { transactionMode, workers: '2' }, target: null },
    criteria: [],
    notes: [],
    workload: {
      name: 'shop',
      source: 'examples/shop/workload.yaml',
      definition: {
        description: 'orders at 50/s while stock is restocked every 2 s',
        streams: [
          {
            name: 'orders',
            executor: { type: 'constant-arrival-rate', rate: 50, timeUnitMs: 1000, durationMs: 120_000, preAllocatedVUs: 50, maxVUs: 250 },
            startTimeMs: 0,
            endsAfter: { stream: 'restock', tailMs: 1000 },
            action: { kind: 'http', method: 'POST', path: '/orders/{order}' },
          },
          {
            name: 'restock',
            executor: { type: 'per-vu-iterations', vus: 1, iterations: 5, maxDurationMs: 60_000 },
            startTimeMs: 500,
            endsAfter: null,
            action: { kind: 'http', method: 'POST', path: '/restock' },
          },
          {
            name: 'stock-report',
            executor: { type: 'constant-arrival-rate', rate: 1, timeUnitMs: 1000, durationMs: 10_000, preAllocatedVUs: 1, maxVUs: 1 },
            startTimeMs: 0,
            endsAfter: null,
            action: { kind: 'sql', statements: 0, procedure: null, transaction: 'exclusive', holdMs: 200, threads: 1 },
          },
        ],
      },
      busyTimeoutMs: 5000,
      lockSource: 'observed',
      streams: [
        { stream: 'orders', kind: 'http', requests: 3000, successes: 2990, partial: 0, lockErrors: { total: 10, fast: 7, timedOut: 3, unknown: 0 }, otherErrors: 0, p50Ms: 12, p99Ms: 480, acknowledged: null },
        { stream: 'restock', kind: 'http', requests: 5, successes: 5, partial: 0, lockErrors: { total: 0, fast: 0, timedOut: 0, unknown: 0 }, otherErrors: 0, p50Ms: 900, p99Ms: 1200, acknowledged: 500 },
        { stream: 'stock-report', kind: 'sql', requests: 10, successes: 10, partial: 0, lockErrors: { total: 0, fast: 0, timedOut: 0, unknown: 0 }, otherErrors: 0, p50Ms: 201, p99Ms: 204, acknowledged: 10 },
      ],
      criteria: [{ id: 'orders-p99', type: 'latency', comparison: '<', threshold: 300, measured: 480, unit: 'ms', pass: false }],
    },
  });
  const [first, second] = results.profiles;
  return {
    ...results,
    options: { ...results.options, target: 'examples/shop/target.json', workload: 'examples/shop/workload.yaml' },
    targetDescription: {
      name: 'django-shop',
      source: 'examples/shop/target.json',
      kind: 'described',
      start: { command: '/usr/bin/gunicorn', args: ['shop.wsgi', '--bind', '127.0.0.1:{port}', '--workers', '2'] },
      settings: [
        { name: 'transactionMode', description: 'how Django opens its transactions' },
        { name: 'workers', description: 'gunicorn worker processes' },
      ],
      profiles: [
        { name: 'deferred', summary: "Django 3.2's default: read, then upgrade to a write" },
        { name: 'immediate', summary: 'BEGIN IMMEDIATE: wait for the write lock up front' },
      ],
    },
    profiles: [profile(first!, 'deferred', 'deferred', false), profile(second!, 'immediate', 'immediate', true)],
  };
}
