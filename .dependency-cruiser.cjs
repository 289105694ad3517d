/**
 * The import rules of docs/architecture.md: data flows one way,
 * scripts -> plan -> run -> analyze -> reports, over one model and one shared module, and no import
 * circle anywhere. `npm run lint:deps` fails on any violation that is not in
 * .dependency-cruiser-known-violations.json; that list records where the code stood when the rules came
 * in, and only ever shrinks (`npm run lint:deps:known` rewrites it, to be run after removing violations,
 * never to admit new ones).
 *
 * Each layer is its folder (scenarios/lib/ aside: k6 runs it, so it stays in scenarios/, and two of its
 * files are named one by one: a file named in one layer is taken out of another layer's folder pattern).
 * A file in no layer (a new folder) is held only to the circle and test rules: give it a layer here.
 */

/**
 * Clock, percentile, atomic files, durations, entry points, thread barriers, the lock span both sides speak:
 * used by all, imports nothing of the project.
 */
const shared = ['^harness/shared/', '^scenarios/lib/env\\.ts$'];
/** The types every layer passes on: one RunResults, the plan's shape, what the observer returns, what the load scripts write. */
const model = ['^harness/model/', '^scenarios/lib/contract\\.ts$'];
/** Options resolved once, the target description, profiles, trials, the scenario descriptions, workloads. */
const plan = ['^harness/plan/', '^scenarios/lib/'];
/** Executes a plan: processes, threads, drivers, the observer, the checks on the database after the load. */
const run = ['^harness/run/'];
/** Numbers and codes from what a run measured: metrics, lock comparison, criteria, statistics, baselines. */
const analyze = ['^harness/analyze/'];
/** Every sentence, table and chart. */
const reports = ['^harness/reports/'];
/**
 * The model of the lock: plans the trials a sweep would run, predicts what they would measure and judges
 * and words that as a sweep would (prediction.json carries the recommendation's reason); only scripts import it.
 */
const predict = ['^harness/predict/'];

const LAYERS = { shared, model, plan, run, analyze, reports, predict };
/** Which layer may import which (besides itself); scripts/ may import any, target/ only the shared module. */
const MAY_IMPORT = {
  shared: [],
  model: ['shared'],
  plan: ['model', 'shared'],
  run: ['plan', 'model', 'shared'],
  analyze: ['model', 'shared'],
  reports: ['model', 'shared'],
  predict: ['plan', 'analyze', 'reports', 'model', 'shared'],
};

/** Test files and test support: they may import anything. */
const TESTS = ['\\.test\\.ts$', '(^|/)testing(/|\\.ts$)', '/fixtures/'];

/** A layer's files: its patterns, less the files another layer names one by one. */
function layer(name) {
  const exact = Object.entries(LAYERS)
    .filter(([other]) => other !== name)
    .flatMap(([, patterns]) => patterns.filter((p) => p.endsWith('\\.ts$') || p.includes('(')));
  // A pattern of this layer that names files is never taken out by another layer's folder pattern.
  const own = LAYERS[name];
  return { path: own, pathNot: exact.filter((p) => !own.includes(p)) };
}

const layerRules = Object.entries(MAY_IMPORT).flatMap(([from, allowed]) =>
  Object.keys(LAYERS)
    .filter((to) => to !== from && !allowed.includes(to))
    .map((to) => {
      const source = layer(from);
      return {
        name: `${from}-not-to-${to}`,
        comment: `docs/architecture.md: ${from} imports ${allowed.length === 0 ? 'nothing of the project' : allowed.join(', ')}, never ${to}`,
        severity: 'error',
        from: { path: source.path, pathNot: [...source.pathNot, ...TESTS] },
        to: { path: layer(to).path, pathNot: [...layer(to).pathNot, ...TESTS] },
      };
    }),
);

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'docs/architecture.md: no import circle; a type goes to the module that owns it',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'target-only-shared',
      comment: 'docs/architecture.md: target/ (the server under test) imports nothing of the harness but the shared module',
      severity: 'error',
      from: { path: '^target/', pathNot: TESTS },
      to: { path: '^(harness|scenarios|scripts)/', pathNot: shared },
    },
    {
      name: 'scenarios-self-contained',
      comment: 'docs/architecture.md: the k6 scripts and their lib run inside k6, which cannot load the harness or the target',
      severity: 'error',
      from: { path: '^scenarios/' },
      to: { path: '^(harness|target|scripts)/' },
    },
    {
      name: 'nothing-to-scripts',
      comment: 'docs/architecture.md: scripts/ is the top; nothing below imports it',
      severity: 'error',
      from: { path: '^(harness|target|scenarios)/', pathNot: TESTS },
      to: { path: '^scripts/' },
    },
    {
      name: 'not-to-test',
      comment: 'code that ships does not import tests or test support',
      severity: 'error',
      from: { path: '^(harness|target|scenarios|scripts)/', pathNot: TESTS },
      to: { path: TESTS },
    },
    ...layerRules,
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)node_modules/' },
    // Type-only imports count: a type is a dependency on the module that owns it.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
