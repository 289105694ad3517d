/**
 * The profiles `scenario:concurrent` runs (README "`scenario:concurrent`"): each is a set of
 * target flags, kept as data so adding one is adding an entry.
 */
import { OPTION_DEFINITIONS, type ConnectionPolicy, type ImportMode, type TargetOptionsInput, type WriteSchedulerKind } from '../../target/options.ts';

/** The target flags a profile sets (the run-wide work model, --prepare-ms and --write-ms, is added per run). */
export interface ProfileFlags {
  importMode: ImportMode;
  /** Entries per write transaction; absent where the import mode has no batches. */
  batchSize?: number;
  scheduler: WriteSchedulerKind;
  connections: ConnectionPolicy;
  /** SQLite busy timeout of the target's connections and of the workflow writers, in ms. */
  busyTimeoutMs: number;
  /** PRAGMA wal_autocheckpoint in pages; absent: the target's default (1000); 0 turns checkpoints off. */
  walAutocheckpoint?: number;
}

export interface ProfileDefinition {
  name: string;
  /** What the profile models, in a line. */
  summary: string;
  flags: ProfileFlags;
}

export const PROFILES: readonly ProfileDefinition[] = [
  {
    name: 'before',
    summary: 'the investigated service: 100 artifacts in one transaction, a session factory per request, 30 s timeout',
    flags: { importMode: 'monolithic', scheduler: 'sqlite', connections: 'per-request', busyTimeoutMs: 30_000 },
  },
  {
    name: 'seed-fix',
    summary: "the investigation's proposed fix: batches of 10, singleton sessions, 10 s timeout",
    flags: { importMode: 'batched', batchSize: 10, scheduler: 'sqlite', connections: 'pooled', busyTimeoutMs: 10_000 },
  },
  {
    name: 'staged',
    summary: 'prepare outside the lock, write batches of 10 through an in-process FIFO write queue',
    flags: { importMode: 'staged', batchSize: 10, scheduler: 'fifo', connections: 'pooled', busyTimeoutMs: 10_000 },
  },
  {
    name: 'no-checkpoint',
    summary: 'staged with automatic WAL checkpoints off (wal_autocheckpoint 0): for the soak, to show the WAL growing unbounded',
    flags: { importMode: 'staged', batchSize: 10, scheduler: 'fifo', connections: 'pooled', busyTimeoutMs: 10_000, walAutocheckpoint: 0 },
  },
];

export const PROFILE_NAMES: readonly string[] = PROFILES.map((p) => p.name);

/** The profiles a scenario runs when --profiles is not given. */
export const DEFAULT_PROFILES: Readonly<Record<'concurrent' | 'smoke' | 'soak', readonly string[]>> = {
  concurrent: ['before', 'seed-fix', 'staged'],
  smoke: ['before', 'seed-fix', 'staged'],
  soak: ['staged', 'no-checkpoint'],
};

/** The profiles gated by default: the fix the project proposes. */
export const DEFAULT_GATED_PROFILES: readonly string[] = ['staged'];

export function findProfile(name: string): ProfileDefinition | undefined {
  return PROFILES.find((p) => p.name === name);
}

/** Target options (a profile's flags, with whatever the run adds) as command-line arguments, in the target's option order. */
export function profileArgs(flags: TargetOptionsInput): string[] {
  const args: string[] = [];
  for (const def of OPTION_DEFINITIONS) {
    const value = flags[def.key];
    if (value !== undefined) args.push(def.flag, String(value));
  }
  return args;
}

/** The same options as `{ "--flag": "value" }`, as recorded in results.json. */
export function profileFlagRecord(flags: TargetOptionsInput): Record<string, string> {
  const args = profileArgs(flags);
  const record: Record<string, string> = {};
  for (let i = 0; i < args.length; i += 2) record[args[i]!] = args[i + 1]!;
  return record;
}
