/**
 * The built-in driver's executors, with k6's semantics, over an injected transport and clock:
 * - per-vu-iterations: each VU runs its iterations back to back (closed model);
 * - constant-vus: each VU runs iterations back to back until the duration is over (closed model);
 * - constant-arrival-rate: arrival i is scheduled at `t0 + i / rate` on one timeline, so there is no
 *   drift; an arrival that finds `maxVUs` iterations running is a dropped iteration. A late arrival is
 *   sent late and keeps its scheduled time, so a stall shows as response time instead of vanishing;
 * - ramping-arrival-rate: the same, on the timeline of its stages (harness/run/arrivals.ts).
 * A stream with a `startTimeMs` starts that long after t0; its duration counts from its own start.
 * A stream that ends after another stops at that one's end plus the tail: a request stream's when its last
 * iteration has answered, an SQL stream's when its schedule ends (`sqlStreams`), as the side writers end it.
 * Requests still in flight when a stream ends are awaited up to their timeout, not cancelled; an abort
 * (Ctrl-C) cancels them. Errors are data: every request ends as a sample, never as a thrown error.
 * Every iteration is built (its request body serialized) ahead of its scheduled time: the first ones of
 * every stream (of every VU) before t0, each later one while the one before it is in flight or its due
 * time is awaited, and none before every stream's first sends have been handed over at t0. Built at t0,
 * the five 100-entry import bodies sent the first catalog update and read 10-17 ms late.
 * At t0 every stream's first sends go out in one pass of the event loop: the arrivals on a timeline first,
 * then the VUs' first iterations (each send there costs a few tenths of a ms, and five imports sent first
 * made the first catalog update and read 2-3 ms late, where an import's latency is seconds). A turn of the
 * loop between them let whatever had come in meanwhile run first: on a busy machine 30-80 ms of wake-ups
 * and answers, the first of which closed the connections reserved for the imports.
 */
import type { HttpAnswer, HttpCall, Iteration, IterationOutcome } from '../../../../scenarios/lib/requests.ts';
import { iterationFor, type TargetRoutes } from '../../../../scenarios/lib/requests.ts';
import type { ConstantArrivalRateExecutor, ConstantVusExecutor, PerVuIterationsExecutor, RampingArrivalRateExecutor, ScenarioDescription, StreamDescription } from '../../../../scenarios/lib/scenario.ts';
import { arrivalOffsets } from '../../arrivals.ts';
import type { RequestSample } from '../../../model/results.ts';
import type { WorkloadSample } from '../../../model/workload-samples.ts';
import type { WorkloadIterations } from '../../workload/iteration.ts';
import { sqlStreamEnds, type SqlStreamTimeline } from '../../sql-stream-ends.ts';

/** Longest single sleep of a rate stream, in ms, so that a moved end or an abort is noticed soon. */
const MAX_SLEEP_MS = 100;

/** What the transport reports for one call: an answer, or a client-side error code. */
export interface TransportResult {
  status: number;
  body: string | null;
  /** Epoch ms when the first byte was sent; null when it never was. */
  sentMs: number | null;
  endMs: number;
  error: string | null;
}

/** Sends one call relative to the base URL; never throws. */
export interface Transport {
  send(call: HttpCall, timeoutMs: number, signal: AbortSignal): Promise<TransportResult>;
}

/** Epoch milliseconds with sub-millisecond resolution, and a way to wait until a moment. */
export interface Clock {
  now(): number;
  /** Resolves at `epochMs` (or soon after), or early when `signal` aborts. */
  sleepUntil(epochMs: number, signal: AbortSignal): Promise<void>;
}

/** Per-stream counts. */
export interface StreamCounts {
  /** Iterations started. */
  iterations: number;
  /** Arrivals not started because every VU was busy. */
  dropped: number;
  /** Iterations finished. */
  completed: number;
}

export interface EngineResult {
  startedAtMs: number;
  endedAtMs: number;
  aborted: boolean;
  samples: RequestSample[];
  /** Each answer of a workload's stream, classified by the workload's rules as it was read. */
  classified: WorkloadSample[];
  outcomes: { stream: string; outcome: IterationOutcome }[];
  streams: Record<string, StreamCounts>;
}

export interface EngineOptions {
  transport: Transport;
  clock: Clock;
  signal: AbortSignal;
  /** A foreign target's routes (its description); absent for the built-in target. */
  routes?: TargetRoutes;
  /** Streams whose requests a workload's templates make, by stream name; their answers are classified as read. */
  workload?: Readonly<Record<string, WorkloadIterations>>;
  /**
   * The workload's SQL streams on the load's timeline, as the side writers run them: a request stream that
   * ends after one of them stops at its schedule's end (worked out as the writers work it out, from t0 and
   * the request streams ended so far) plus the tail.
   */
  sqlStreams?: readonly SqlStreamTimeline[];
  /** Called once with t0 (epoch ms), when the timeline begins. */
  onStart?: (startedAtMs: number) => void;
  /** Called once per stream when it has finished (epoch ms): its last iteration answered, as a stream ending after it sees it. */
  onStreamEnd?: (stream: string, endedAtMs: number) => void;
  /** Called when a request ends or an arrival is dropped (cheap: for progress lines). */
  onChange?: (state: { streams: Record<string, StreamCounts>; inFlight: number }) => void;
}

/** Counts and results shared by every stream runner of one run. */
interface RunState {
  options: EngineOptions;
  description: ScenarioDescription;
  samples: RequestSample[];
  classified: WorkloadSample[];
  outcomes: { stream: string; outcome: IterationOutcome }[];
  streams: Record<string, StreamCounts>;
  inFlight: number;
  /** Cancels in-flight requests: only on abort. */
  cancel: AbortController;
  /** Resolves once every stream's first sends due at t0 have been handed to the transport; no iteration is built before. */
  firstSendsOut: Promise<void>;
}

function changed(state: RunState): void {
  state.options.onChange?.({ streams: state.streams, inFlight: state.inFlight });
}

/** Resolves after the event loop has polled for I/O once. */
function turnOfTheLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Builds iteration `n` (0-based, counted over the whole stream): its calls and their bodies. */
function build(state: Pick<RunState, 'description' | 'options'>, stream: StreamDescription, n: number): Iteration {
  const own = state.options.workload?.[stream.name];
  return own ? own.iteration(n) : iterationFor(stream.request, state.description.settings, n, state.options.routes);
}

/** Runs one built iteration (one call, or a chain), recording a sample per call. */
async function runIteration(state: RunState, stream: StreamDescription, iteration: Iteration, scheduledMs: number): Promise<void> {
  // A workload's stream: each answer is classified by its rules as it is read, with its body.
  const own = state.options.workload?.[stream.name];
  const counts = state.streams[stream.name]!;
  counts.iterations++;
  state.inFlight++;
  const answers: HttpAnswer[] = [];
  let call: HttpCall | null = iteration.first;
  while (call !== null) {
    const startEpochMs = state.options.clock.now();
    const result = await state.options.transport.send(call, stream.timeoutMs, state.cancel.signal);
    state.samples.push({
      stream: stream.name,
      // A chained call was not scheduled: it follows the answer before it.
      scheduledMs: answers.length === 0 ? scheduledMs : null,
      sentMs: result.sentMs,
      endMs: result.endMs,
      status: result.status,
      error: result.error,
    });
    // The import window starts when the first import request was sent, not when it was handed to the client.
    const answer = { status: result.status, body: result.body, startEpochMs: result.sentMs ?? startEpochMs, endEpochMs: result.endMs };
    answers.push(answer);
    if (own) state.classified.push(own.sample(answer, { scheduledMs: answers.length === 1 ? scheduledMs : null, sentMs: result.sentMs }));
    call = state.cancel.signal.aborted ? null : iteration.next(answers);
  }
  state.outcomes.push({ stream: stream.name, outcome: iteration.outcome(answers) });
  state.inFlight--;
  counts.completed++;
  changed(state);
}

/** The iterations each stream starts with (one per VU for the closed-model executors), built before t0. */
function firstIterations(state: Pick<RunState, 'description' | 'options'>): Map<string, Iteration[]> {
  return new Map(
    state.description.streams.map((stream) => {
      const executor = stream.executor;
      const firsts =
        executor.type === 'per-vu-iterations'
          ? Array.from({ length: executor.iterations > 0 ? executor.vus : 0 }, (_, v) => build(state, stream, v * executor.iterations))
          : executor.type === 'constant-vus'
            ? Array.from({ length: executor.vus }, (_, n) => build(state, stream, n))
            : [build(state, stream, 0)];
      return [stream.name, firsts];
    }),
  );
}

/** k6's per-vu-iterations: VU v runs iterations v*iterations .. back to back until done or maxDuration. */
async function runPerVuIterations(state: RunState, stream: StreamDescription, executor: PerVuIterationsExecutor, t0: number, firsts: readonly Iteration[]): Promise<void> {
  const { clock, signal } = state.options;
  const deadline = t0 + executor.maxDurationMs;
  // Due already (at t0): the first sends go out in this pass, not a turn of the loop later.
  if (clock.now() < t0) await waitUntil(state, t0);
  const vu = async (v: number) => {
    let next = firsts[v];
    for (let i = 0; i < executor.iterations && next !== undefined; i++) {
      const now = clock.now();
      if (signal.aborted || now >= deadline) return;
      // The call is handed to the transport before this returns; the next is built while it is in flight.
      const running = runIteration(state, stream, next, i === 0 ? t0 : now);
      await state.firstSendsOut;
      next = i + 1 < executor.iterations ? build(state, stream, v * executor.iterations + i + 1) : undefined;
      await running;
    }
  };
  await Promise.all(Array.from({ length: executor.vus }, (_, v) => vu(v)));
}

/** Resolves at `epochMs` (at once when it has passed), or early on abort. */
async function waitUntil(state: RunState, epochMs: number): Promise<void> {
  const { clock, signal } = state.options;
  while (clock.now() < epochMs && !signal.aborted) await clock.sleepUntil(epochMs, signal);
}

/**
 * k6's constant-vus: `vus` VUs each run iterations back to back, numbered over the whole stream, from t0
 * until `endAt()`; an iteration running at the end is awaited, not cut short (as k6's gracefulStop).
 */
async function runConstantVus(state: RunState, stream: StreamDescription, executor: ConstantVusExecutor, t0: number, endAt: () => number, firsts: readonly Iteration[]): Promise<void> {
  const { clock, signal } = state.options;
  if (clock.now() < t0) await waitUntil(state, t0);
  // The first iteration of each VU was built before t0; each VU builds its next one while its call is in flight.
  let taken = 0;
  const take = (): Iteration => {
    const n = taken++;
    return firsts[n] ?? build(state, stream, n);
  };
  const vu = async () => {
    let next = take();
    for (;;) {
      const now = clock.now();
      if (signal.aborted || now >= endAt()) return;
      const running = runIteration(state, stream, next, now);
      await state.firstSendsOut;
      next = take();
      await running;
    }
  };
  await Promise.all(Array.from({ length: executor.vus }, () => vu()));
}

/**
 * k6's constant-arrival-rate and ramping-arrival-rate: arrivals on the stream's timeline from t0.
 * `endAt()` is read before each arrival: it moves earlier once the stream this one follows has finished
 * (plus the tail).
 */
async function runArrivalRate(
  state: RunState,
  stream: StreamDescription,
  executor: ConstantArrivalRateExecutor | RampingArrivalRateExecutor,
  t0: number,
  endAt: () => number,
  first: Iteration,
): Promise<void> {
  const { clock, signal } = state.options;
  const counts = state.streams[stream.name]!;
  const offsets = arrivalOffsets(executor);
  // A ramp's timeline ends with its stages, its last arrival exactly at their end (where the area under
  // the rate reaches its total): that one is started. A constant rate's arrival at the end is not.
  const ended = executor.type === 'ramping-arrival-rate' ? (due: number) => due > endAt() : (due: number) => due >= endAt();
  const running = new Set<Promise<void>>();
  // Arrival i is built before its due time is awaited: as soon as arrival i - 1 was sent or dropped.
  let next = first;
  arrivals: for (let i = 0; ; i++) {
    const offset = offsets.next();
    if (offset.done) break;
    const due = t0 + offset.value;
    let slept = false;
    // Sleep in short steps: the end can move earlier while waiting for a distant arrival.
    while (clock.now() < due) {
      if (signal.aborted || ended(due)) break arrivals;
      await clock.sleepUntil(Math.min(due, clock.now() + MAX_SLEEP_MS), signal);
      slept = true;
    }
    // An arrival already due still lets the answers that came in be read first: without a turn of the
    // event loop a backlog would go out in one synchronous burst, and iterations whose answers had
    // arrived would still hold their VUs, so arrivals would be dropped with VUs in fact free. The first
    // arrival, due at t0, has no answers to wait for: a turn there put it behind every other stream's
    // first sends (the five imports' bodies written first).
    if (!slept && i > 0) await turnOfTheLoop();
    if (signal.aborted || ended(due)) break;
    if (running.size >= executor.maxVUs) {
      counts.dropped++;
      changed(state);
    } else {
      const iteration = runIteration(state, stream, next, due).finally(() => running.delete(iteration));
      running.add(iteration);
    }
    await state.firstSendsOut;
    next = build(state, stream, i + 1);
  }
  await Promise.all(running);
}

/** Runs every stream of the description to its end; resolves when all iterations have ended. */
export async function runDescription(description: ScenarioDescription, options: EngineOptions): Promise<EngineResult> {
  const { clock, signal } = options;
  const cancel = new AbortController();
  const onAbort = () => cancel.abort();
  signal.addEventListener('abort', onAbort, { once: true });
  let firstSendsHandedOver = (): void => undefined;
  const firstSendsOut = new Promise<void>((resolve) => (firstSendsHandedOver = resolve));
  const state: RunState = {
    options,
    description,
    samples: [],
    classified: [],
    outcomes: [],
    streams: Object.fromEntries(description.streams.map((s) => [s.name, { iterations: 0, dropped: 0, completed: 0 }])),
    inFlight: 0,
    cancel,
    firstSendsOut,
  };
  const firsts = firstIterations(state);
  const t0 = clock.now();
  options.onStart?.(t0);
  // When each stream finished, for the streams that end after another one (plus a tail).
  const finishedAt = new Map<string, number>();
  // The SQL streams' ends: known from their schedules, and worked out again each time a request stream
  // they may end after has finished (never a timer or a message: t0 and those ends are known here).
  const sqlTimelines = options.sqlStreams ?? [];
  let sqlEnds = sqlStreamEnds(sqlTimelines, t0, finishedAt);
  const endedAt = (stream: string): number => finishedAt.get(stream) ?? sqlEnds.get(stream) ?? Number.POSITIVE_INFINITY;
  const startOf = (stream: StreamDescription): number => t0 + (stream.startTimeMs ?? 0);
  const endOf = (stream: StreamDescription): (() => number) => {
    const start = startOf(stream);
    const end = stream.end;
    // A constant-vus stream without an end of its own stops after its duration.
    if (end === undefined) {
      const at = stream.executor.type === 'constant-vus' ? start + stream.executor.durationMs : Number.POSITIVE_INFINITY;
      return () => at;
    }
    if (end.type === 'duration') return () => start + end.durationMs;
    return () => Math.min(start + end.maxDurationMs, endedAt(end.stream) + end.tailMs);
  };
  // Each runner hands its sends due at t0 to the transport before its first await: the arrivals on a
  // timeline first, then the VUs' first iterations, all in this one pass (the head of this file says why).
  const closedModel = (stream: StreamDescription) => stream.executor.type === 'per-vu-iterations' || stream.executor.type === 'constant-vus';
  const startOrder = [...description.streams.filter((s) => !closedModel(s)), ...description.streams.filter(closedModel)];
  try {
    const runs = startOrder.map(async (stream) => {
      const executor = stream.executor;
      const built = firsts.get(stream.name)!;
      const start = startOf(stream);
      if (executor.type === 'per-vu-iterations') await runPerVuIterations(state, stream, executor, start, built);
      else if (executor.type === 'constant-vus') await runConstantVus(state, stream, executor, start, endOf(stream), built);
      else await runArrivalRate(state, stream, executor, start, endOf(stream), built[0]!);
      const endedAtMs = clock.now();
      finishedAt.set(stream.name, endedAtMs);
      if (sqlTimelines.length > 0) sqlEnds = sqlStreamEnds(sqlTimelines, t0, finishedAt);
      options.onStreamEnd?.(stream.name, endedAtMs);
    });
    firstSendsHandedOver();
    await Promise.all(runs);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
  return {
    startedAtMs: t0,
    endedAtMs: clock.now(),
    aborted: signal.aborted,
    samples: state.samples.sort((a, b) => (a.sentMs ?? a.endMs) - (b.sentMs ?? b.endMs)),
    classified: state.classified,
    outcomes: state.outcomes,
    streams: state.streams,
  };
}
