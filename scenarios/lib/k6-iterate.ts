/**
 * One iteration of a stream, sent with k6/http: the calls and verdicts of ./requests.ts, recorded as
 * k6 metrics (./metrics.ts), checks, and one `import-result` JSON line per import on the k6 console.
 */
import { check } from 'k6';
import exec from 'k6/execution';
import http, { type RefinedResponse, type ResponseType } from 'k6/http';
import { recordImport, recordRequest } from './metrics.ts';
import { iterationFor, type HttpAnswer, type HttpCall } from './requests.ts';
import { streamNamed, type ScenarioDescription, type StreamDescription } from './scenario.ts';

type Response = RefinedResponse<ResponseType | undefined>;

/** The body as text, or null when there was no answer (k6 status 0). */
function bodyText(res: Response): string | null {
  if (res.status === 0) return null;
  return typeof res.body === 'string' ? res.body : null;
}

function send(baseUrl: string, stream: StreamDescription, call: HttpCall): HttpAnswer {
  const startEpochMs = Date.now();
  const res = http.request(call.method, `${baseUrl}${call.path}`, call.body, {
    headers: { ...call.headers },
    timeout: `${stream.timeoutMs}ms`,
    tags: { name: call.route },
  });
  return { status: res.status, body: bodyText(res), startEpochMs, endEpochMs: Date.now() };
}

/** Runs iteration `exec.scenario.iterationInTest` of the stream k6 is executing. */
export function iterate(description: ScenarioDescription, baseUrl: string): void {
  const stream = streamNamed(description, exec.scenario.name);
  if (!stream) throw new Error(`no stream named ${exec.scenario.name} in the ${description.name} scenario`);
  const iteration = iterationFor(stream.request, description.settings, exec.scenario.iterationInTest);
  const answers: HttpAnswer[] = [];
  for (let call: HttpCall | null = iteration.first; call !== null; call = iteration.next(answers)) {
    answers.push(send(baseUrl, stream, call));
  }
  const outcome = iteration.outcome(answers);
  for (const ok of outcome.successes) recordRequest(ok);
  if (outcome.import) console.log(JSON.stringify(recordImport(outcome.import)));
  if (outcome.checks) {
    check(null, Object.fromEntries(Object.entries(outcome.checks).map(([name, passed]) => [name, () => passed])));
  }
}
