/**
 * The workload a scenario carries on a described target (`--target <file>` without `--workload`): the
 * scenario's own (the seed, or the soak's file, with the run's flags set on it), adapted to what the
 * description says of the app. Each request stream takes the description's status lists for the request
 * it sends as its answer rules, the import's acknowledged count is the field the description names, its
 * method and path are the description's templates (an adapter's mapping is said as such), and the side
 * writers' stream is the description's `sql.workflowWrite` (none when it gives none). The criteria stay
 * the scenario's, so a described target is judged as the built-in one is; the no-loss count of a described
 * target is its `sql.artifactsPerSource` over the imported sources (harness/run/target-checks.ts). The
 * driver still runs the scenario's description through the description's mapper: the templates here
 * only say what ran.
 */
import type { Json } from '../model/json.ts';
import type { AnswerRules, HttpAction, LoadedWorkload, SqlAction, WorkloadCriterion, WorkloadStream } from '../model/workload-plan.ts';
import type { RequestKind as ScenarioRequestKind, ScenarioDescription } from '../../scenarios/lib/scenario.ts';
import type { LoadedTargetDescription } from './targets/load.ts';
import { scenarioMapping, type RequestKind, type TargetDescription } from './targets/schema.ts';
import { fillJson, fillText, type PlaceholderValue } from './targets/templates.ts';
import { JSON_HEADERS } from './targets/mapping.ts';

/** The description's request each of the scenario's request kinds is mapped onto; the smoke check has none. */
const DESCRIBED_REQUEST: Readonly<Record<ScenarioRequestKind, RequestKind | null>> = {
  import: 'import',
  rollingImport: 'import',
  catalogUpdate: 'catalogUpdate',
  artifactRead: 'artifactRead',
  smoke: null,
  workload: null,
};

/**
 * How the description's placeholders read in the scenario workloads' own values (their `source`, `entry`,
 * `status`, `n` and `entries` generators), so a template filled with them says what each request sent.
 */
function placeholderTexts(settings: ScenarioDescription['settings']): Record<RequestKind, Record<string, PlaceholderValue>> {
  return {
    import: { sourceId: 'src-{source}', entries: '{entries}' },
    catalogUpdate: { entryId: '{entry}', status: '{status}', title: 'Catalog entry {entry} (update {n})' },
    artifactRead: { sourceId: 'src-{source}', limit: settings.readLimit },
  };
}

/**
 * The import's entries list (`{{entries}}`) as the workload's body writes it: its own `{entries}` value, which
 * its list generator fills. Each entry keeps the scenario's fields there; the description's `entry` and
 * `child` templates shape it on the wire, as the mapper does.
 */
function entriesAsValue(template: Json): Json {
  if (template === '{{entries}}') return '{entries}';
  if (Array.isArray(template)) return template.map(entriesAsValue);
  if (template !== null && typeof template === 'object') return Object.fromEntries(Object.entries(template).map(([k, v]) => [k, entriesAsValue(v)]));
  return template;
}

/** What each answer means, by the description's status lists: a lock timeout is a lock error; any other status an error. */
function describedAnswers(description: TargetDescription, kind: RequestKind): AnswerRules {
  const lists = scenarioMapping(description).requests[kind]?.status;
  if (lists === undefined) return {};
  return {
    success: { status: [...lists.success] },
    ...(lists.partial.length > 0 ? { partial: { status: [...lists.partial] } } : {}),
    ...(lists.lockTimeout.length > 0 ? { lockError: { status: [...lists.lockTimeout] } } : {}),
  };
}

/**
 * The request a stream sends, as the description's templates write it (the mapper's headers too); where the
 * adapter maps requests, or the description has no such request (every one then fails), it says so instead.
 */
function describedRequest(loaded: LoadedTargetDescription, kind: RequestKind, action: HttpAction, texts: Record<string, PlaceholderValue>): HttpAction {
  const { description } = loaded;
  const route = scenarioMapping(description).requests[kind];
  const unsent = { ...action, headers: {}, body: null };
  if (description.adapter !== undefined) return { ...unsent, method: 'mapped', path: `by the adapter ${description.adapter} (${kind})` };
  if (route?.method === undefined || route.path === undefined) return { ...unsent, method: 'none', path: `(the target description has no requests.${kind})` };
  const body = route.body === undefined ? null : fillJson(entriesAsValue(route.body), texts);
  return { ...action, method: route.method, path: fillText(route.path, texts), headers: { ...(body !== null ? JSON_HEADERS : {}), ...route.headers }, body };
}

/** A request stream of the scenario on this target: its answers, acknowledged count and templates the description's. */
function describedHttpStream(loaded: LoadedTargetDescription, stream: WorkloadStream & { action: HttpAction }, kind: RequestKind, texts: Record<string, PlaceholderValue>): WorkloadStream {
  const { description } = loaded;
  const action = describedRequest(loaded, kind, stream.action, texts);
  // The drivers count what the description's import answers acknowledge: its field, or (none named) every entry of a success.
  const acknowledged = kind === 'import' ? (scenarioMapping(description).requests.import.importedField ?? null) : null;
  return { ...stream, action: { ...action, answers: describedAnswers(description, kind), acknowledged } };
}

/**
 * The side writers' stream as the run starts them on this target: the description's statements; without
 * `sql.workflowWrite` none run, so none is written (rate 0, no thread) and a criterion on its writes is not measured.
 */
function describedSqlStream(description: TargetDescription, stream: WorkloadStream & { action: SqlAction }): WorkloadStream {
  const write = description.sql.workflowWrite;
  const action: SqlAction = { ...stream.action, procedure: null, statements: write ? [...write.statements] : [], ...(write ? {} : { threads: 0 }) };
  const executor = write || stream.executor.type !== 'constant-arrival-rate' ? stream.executor : { ...stream.executor, rate: 0 };
  return { ...stream, executor, action };
}

/**
 * The no-loss criteria count the rows the description's `sql.artifactsPerSource` finds (its text, for the
 * reader; the target's checks run it per imported source and sum it); without it the count is not run.
 */
function describedCriterion(description: TargetDescription, criterion: WorkloadCriterion): WorkloadCriterion {
  return criterion.type === 'no-loss' ? { ...criterion, count: description.sql.artifactsPerSource ?? '' } : criterion;
}

/**
 * The scenario's workload adapted to a described target. `scenario` is the description the driver runs
 * from the same options: its streams say which request each of the workload's streams sends.
 */
export function describedWorkload(carried: LoadedWorkload, loaded: LoadedTargetDescription, scenario: ScenarioDescription): LoadedWorkload {
  const { description } = loaded;
  const texts = placeholderTexts(scenario.settings);
  const streams = carried.workload.streams.map((stream): WorkloadStream => {
    if (stream.action.kind === 'sql') return describedSqlStream(description, stream as WorkloadStream & { action: SqlAction });
    const sent = scenario.streams.find((s) => s.name === stream.name);
    const kind = sent === undefined ? null : DESCRIBED_REQUEST[sent.request];
    // lockbench's own scenarios and files: a stream the scenario does not send as a described request is a defect.
    if (kind === null) throw new Error(`${carried.source}: stream "${stream.name}" sends no request a target description maps (the ${scenario.name} scenario runs on the built-in target only)`);
    return describedHttpStream(loaded, stream as WorkloadStream & { action: HttpAction }, kind, texts[kind]);
  });
  const adapted = `Adapted to the target description ${description.name}: its routes, its status lists, what its imports acknowledge, its SQL.`;
  return {
    ...carried,
    source: `${carried.source}, adapted to ${loaded.source}`,
    workload: {
      ...carried.workload,
      description: carried.workload.description === null ? adapted : `${carried.workload.description} ${adapted}`,
      streams,
      criteria: carried.workload.criteria.map((c) => describedCriterion(description, c)),
    },
  };
}
