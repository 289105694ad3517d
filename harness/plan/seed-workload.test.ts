import { describe, expect, it } from 'vitest';
import { concurrentConfig } from '../../scenarios/lib/config.ts';
import { DEFAULT_CATALOG_ENTRIES } from '../../scenarios/lib/defaults.ts';
import { iterationFor } from '../../scenarios/lib/requests.ts';
import { concurrentScenario } from '../../scenarios/lib/scenario.ts';
import { resolveRunOptions } from './options.ts';
import { loadCriteria } from './criteria.ts';
import { seedRank, seedScenario, seedWorkload, type SeedOverrides } from './seed-workload.ts';

/** What scenarios/lib builds from the same settings as environment strings, as the run built it before. */
function fromEnv(o: SeedOverrides) {
  return concurrentScenario(
    concurrentConfig({
      IMPORTS: String(o.imports),
      ARTIFACTS: String(o.artifacts),
      CATALOG_RATE: String(o.catalogRate),
      READ_RATE: String(o.readRate),
      TAIL: o.tail,
      MAX_DURATION: o.maxDuration,
      CATALOG_ENTRIES: String(o.catalogEntries),
    }),
  );
}

const defaults = { ...resolveRunOptions({}), catalogEntries: DEFAULT_CATALOG_ENTRIES };

describe('the concurrent scenario from the seed workload', () => {
  it.each([
    ['the defaults', defaults],
    ['other counts, rates and durations', { ...defaults, imports: 3, artifacts: 37, catalogRate: 45, readRate: 11, tail: '2500ms', maxDuration: '1m30s', catalogEntries: 123 }],
    ['no reads', { ...defaults, readRate: 0 }],
  ])('is the description scenarios/lib builds, with %s', (_what, overrides) => {
    expect(seedScenario(overrides).description).toEqual(fromEnv(overrides));
  });

  // Fewer artifacts than one composite's spacing: the file's list sends no composite, so the description
  // says none (0 and 0 where scenarios/lib keeps its 5 and 3); what is sent is the same, request for request.
  it('sends what scenarios/lib sends when the imports carry no composite', () => {
    const overrides = { ...defaults, artifacts: 4 };
    const ours = seedScenario(overrides).description;
    const today = fromEnv(overrides);
    expect(ours.settings).toEqual({ ...today.settings, compositeEvery: 0, children: 0 });
    for (let n = 0; n < overrides.imports; n++) {
      expect(iterationFor('import', ours.settings, n).first).toEqual(iterationFor('import', today.settings, n).first);
    }
  });

  it('gives the workflow writers the run\'s rate, threads and bound', () => {
    const overrides = { ...defaults, workflowRate: 35, writerThreads: 3, writerMaxInFlight: 7 };
    expect(seedScenario(overrides).writers).toEqual({ stream: 'workflow', writesPerSecond: 35, threads: 3, maxInFlight: 7, sqlWrite: null, busyTimeoutMs: null });
  });

  it('keeps the seed\'s criteria whatever the flags', () => {
    const ids = (o: SeedOverrides) => seedWorkload(o).workload.criteria.map((c) => c.id);
    expect(ids({ ...defaults, readRate: 0, imports: 2 })).toEqual(ids(defaults));
    expect(ids(defaults)).toEqual(['lock-hold', 'import-wall', 'catalog-p99', 'success', 'workflow-p99', 'no-loss']);
  });

  it('ranks the default sweep by import wall, then catalog p99: criteria of harness/plan/criteria.json by their ids', () => {
    expect(seedRank()).toEqual([
      { criterion: 'import-wall', better: 'lower' },
      { criterion: 'catalog-p99', better: 'lower' },
    ]);
    const scenarioIds = loadCriteria().map((c) => c.id);
    for (const { criterion } of seedRank()) expect(scenarioIds).toContain(criterion);
  });
});
