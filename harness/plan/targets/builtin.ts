/**
 * lockbench's own target (`npm run target`) as a target description, so the harness starts, drives
 * and checks it through the same path as any other. Its settings and profiles come from the target's
 * option registry and the profile list, so they cannot drift from them.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { entryPoint } from '../../shared/entry-points.ts';
import { SEED_CATALOG_COUNT, SEED_SOURCE_COUNT } from '../../../target/db/schema.ts';
import { OPTION_DEFINITIONS, type OptionDefinition } from '../../../target/options.ts';
import { DEFAULT_GATED_PROFILES, PROFILES } from '../profiles.ts';
import type { StartPlan } from '../launch-plan.ts';
import { parseTargetDescription, type LoadedTargetDescription } from './load.ts';
import type { TargetDescriptionInput } from './schema.ts';

/** Options the harness sets itself (or that say nothing about locking): not settings to vary. */
const NOT_SETTINGS: ReadonlySet<OptionDefinition['key']> = new Set(['host', 'port', 'dbPath', 'logLevel']);

type SettingInput = NonNullable<TargetDescriptionInput['settings']>[string];

function setting(def: OptionDefinition): SettingInput | undefined {
  const args = [def.flag, '{value}'];
  switch (def.kind.type) {
    case 'choice':
      return { type: 'enum', values: [...def.kind.choices], args, description: def.description };
    case 'int':
      return { type: 'integer', min: def.kind.min, ...(def.kind.max !== undefined ? { max: def.kind.max } : {}), args, description: def.description };
    case 'number':
      return { type: 'number', min: def.kind.min, args, description: def.description };
    case 'string':
      return undefined;
  }
}

const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));
/** The target's entry point, relative to the repository root. */
const TARGET_ENTRY = 'scripts/target.ts';

export const BUILTIN_TARGET_INPUT: TargetDescriptionInput = {
  name: 'lockbench-target',
  start: {
    command: '{node}',
    args: ['--import', 'tsx', TARGET_ENTRY, '--port', '0', '--db', '{database}'],
    cwd: REPO_ROOT,
    // The ready line carries the port the OS gave it.
    ready: { line: '^\\{"event":"ready","url":"(?<url>[^"]+)"', stream: 'stdout' },
  },
  database: '{workDir}/target.db',
  seeded: { sources: SEED_SOURCE_COUNT, catalogEntries: SEED_CATALOG_COUNT },
  health: { path: '/api/health' },
  requests: {
    import: {
      method: 'POST',
      path: '/api/marketplace/sources/{sourceId}/import',
      body: { entries: '{{entries}}' },
      importedField: 'imported',
      status: { success: [200], partial: [207], lockTimeout: [503] },
    },
    catalogUpdate: {
      method: 'PATCH',
      path: '/api/marketplace/catalog/{entryId}',
      body: { status: '{status}', title: '{title}' },
      status: { success: [200], lockTimeout: [503] },
    },
    artifactRead: {
      method: 'GET',
      path: '/api/artifacts?sourceId={sourceId}&limit={limit}',
      status: { success: [200], lockTimeout: [503] },
    },
  },
  sql: {
    artifactsPerSource: 'SELECT count(*) AS n FROM artifacts WHERE source_id = :sourceId',
    workflowWrite: {
      statements: [
        "INSERT INTO workflow_executions (id, workflow_id, status, origin, created_at, updated_at) VALUES (:executionId, 'wf-1', 'running', 'writer', :nowMs, :nowMs)",
      ],
      count: "SELECT count(*) AS n FROM workflow_executions WHERE origin = 'writer' AND id LIKE :executionIdPrefix || '-%'",
    },
  },
  settings: Object.fromEntries(
    OPTION_DEFINITIONS.filter((def) => !NOT_SETTINGS.has(def.key)).flatMap((def) => {
      const s = setting(def);
      return s ? [[def.key, s]] : [];
    }),
  ),
  profiles: Object.fromEntries(
    PROFILES.map((p) => [p.name, { summary: p.summary, settings: { ...p.flags }, gated: DEFAULT_GATED_PROFILES.includes(p.name) }]),
  ),
  locks: { path: '/api/health/locks?sinceMs={sinceMs}' },
};

/** The built-in target, validated like any description file. */
export const BUILTIN_TARGET: LoadedTargetDescription = parseTargetDescription(
  BUILTIN_TARGET_INPUT,
  'built-in target (harness/plan/targets/builtin.ts)',
  dirname(fileURLToPath(import.meta.url)),
);

/**
 * The built-in target's start plan with its bundle (harness/shared/entry-points.ts) in place of tsx and the
 * TypeScript entry, when one is built; the plan as it is otherwise.
 */
export function withBundledTarget(plan: StartPlan): StartPlan {
  const at = plan.args.indexOf(TARGET_ENTRY);
  const entry = entryPoint(join(REPO_ROOT, TARGET_ENTRY), { inherited: [] });
  if (at < 0 || !entry.bundled) return plan;
  return { ...plan, args: [...entry.execArgv, entry.file, ...plan.args.slice(at + 1)] };
}
