/**
 * The target's options: one registry of definitions (flag, environment variable, default, parser),
 * one resolve-and-validate function, and the resolved type the rest of the target trusts.
 */
import { UsageError } from '../harness/shared/usage-error.ts';

/** How an import's entries are grouped into write transactions. */
export type ImportMode = 'monolithic' | 'batched' | 'staged';
/** How concurrent write transactions of the target wait for SQLite's single write lock. */
export type WriteSchedulerKind = 'sqlite' | 'fifo';
/** Where DB work runs: piscina worker threads, or the event loop itself. */
export type ExecutorKind = 'pool' | 'inline';
/** Whether a DB connection is kept per worker, or opened (with its pragmas) for every request. */
export type ConnectionPolicy = 'pooled' | 'per-request';
/** How write transactions begin. */
export type BeginMode = 'immediate' | 'deferred';
export type SynchronousMode = 'OFF' | 'NORMAL' | 'FULL' | 'EXTRA';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export const IMPORT_MODES: readonly ImportMode[] = ['monolithic', 'batched', 'staged'];
export const WRITE_SCHEDULERS: readonly WriteSchedulerKind[] = ['sqlite', 'fifo'];
export const EXECUTORS: readonly ExecutorKind[] = ['pool', 'inline'];
export const CONNECTION_POLICIES: readonly ConnectionPolicy[] = ['pooled', 'per-request'];
export const BEGIN_MODES: readonly BeginMode[] = ['immediate', 'deferred'];
export const SYNCHRONOUS_MODES: readonly SynchronousMode[] = ['OFF', 'NORMAL', 'FULL', 'EXTRA'];
export const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** Everything the target can be told; every field optional, resolved by {@link resolveTargetOptions}. */
export interface TargetOptionsInput {
  host?: string;
  port?: number;
  dbPath?: string;
  importMode?: ImportMode;
  batchSize?: number;
  prepareMs?: number;
  writeMs?: number;
  scheduler?: WriteSchedulerKind;
  executor?: ExecutorKind;
  poolSize?: number;
  connections?: ConnectionPolicy;
  busyTimeoutMs?: number;
  begin?: BeginMode;
  synchronous?: SynchronousMode;
  walAutocheckpoint?: number;
  cacheSize?: number;
  mmapSize?: number;
  logLevel?: LogLevel;
  maxBodyBytes?: number;
  maxImportEntries?: number;
}

export type TargetOptions = Required<TargetOptionsInput>;

/** Address the server binds; loopback so load never leaves the machine. */
export const DEFAULT_HOST = '127.0.0.1';
/** TCP port; 0 asks the OS for any free port. */
export const DEFAULT_PORT = 3000;
/** Database file, created and seeded on start when missing. */
export const DEFAULT_DB_PATH = 'lockbench-target.db';
/** The investigation's proposed fix. */
export const DEFAULT_IMPORT_MODE: ImportMode = 'batched';
/** Entries per write transaction; the investigation's IMPORT_BATCH_SIZE. */
export const DEFAULT_BATCH_SIZE = 10;
/** Per-artifact preparation work (I/O, parsing) that `staged` moves out of the lock, in milliseconds. */
export const DEFAULT_PREPARE_MS = 29;
/** Per-artifact work that always happens inside the lock (an ORM flush), in milliseconds. */
export const DEFAULT_WRITE_MS = 1;
export const DEFAULT_SCHEDULER: WriteSchedulerKind = 'sqlite';
export const DEFAULT_EXECUTOR: ExecutorKind = 'pool';
/** DB worker threads, like a web framework's thread pool. */
export const DEFAULT_POOL_SIZE = 8;
export const DEFAULT_CONNECTIONS: ConnectionPolicy = 'pooled';
/** How long SQLite's busy handler retries before SQLITE_BUSY, in milliseconds. */
export const DEFAULT_BUSY_TIMEOUT_MS = 10_000;
export const DEFAULT_BEGIN: BeginMode = 'immediate';
export const DEFAULT_SYNCHRONOUS: SynchronousMode = 'NORMAL';
/** WAL pages before an automatic checkpoint. */
export const DEFAULT_WAL_AUTOCHECKPOINT = 1000;
/** SQLite cache_size; negative values are KiB (-64000 = 64 MB). */
export const DEFAULT_CACHE_SIZE = -64_000;
/** Memory-mapped I/O size in bytes (256 MiB). */
export const DEFAULT_MMAP_SIZE = 268_435_456;
export const DEFAULT_LOG_LEVEL: LogLevel = 'info';
/**
 * Largest request body accepted, in bytes (4 MiB); larger bodies get 413 before they are parsed. An
 * import of {@link DEFAULT_MAX_IMPORT_ENTRIES} entries with a few children each fits.
 */
export const DEFAULT_MAX_BODY_BYTES = 4_194_304;
/** Most entries one import may carry; more get 400, so no single import holds the lock without bound. */
export const DEFAULT_MAX_IMPORT_ENTRIES = 5_000;

export const DEFAULT_TARGET_OPTIONS: TargetOptions = {
  host: DEFAULT_HOST,
  port: DEFAULT_PORT,
  dbPath: DEFAULT_DB_PATH,
  importMode: DEFAULT_IMPORT_MODE,
  batchSize: DEFAULT_BATCH_SIZE,
  prepareMs: DEFAULT_PREPARE_MS,
  writeMs: DEFAULT_WRITE_MS,
  scheduler: DEFAULT_SCHEDULER,
  executor: DEFAULT_EXECUTOR,
  poolSize: DEFAULT_POOL_SIZE,
  connections: DEFAULT_CONNECTIONS,
  busyTimeoutMs: DEFAULT_BUSY_TIMEOUT_MS,
  begin: DEFAULT_BEGIN,
  synchronous: DEFAULT_SYNCHRONOUS,
  walAutocheckpoint: DEFAULT_WAL_AUTOCHECKPOINT,
  cacheSize: DEFAULT_CACHE_SIZE,
  mmapSize: DEFAULT_MMAP_SIZE,
  logLevel: DEFAULT_LOG_LEVEL,
  maxBodyBytes: DEFAULT_MAX_BODY_BYTES,
  maxImportEntries: DEFAULT_MAX_IMPORT_ENTRIES,
};

/** A bad option value of the target; `option` names the flag so the message can say how to fix it. */
export class OptionError extends UsageError {
  readonly code = 'BAD_OPTION';
  constructor(
    readonly option: string,
    message: string,
  ) {
    super(message, option);
    this.name = 'OptionError';
  }
}

type Kind =
  | { type: 'string' }
  | { type: 'int'; min: number; max?: number }
  | { type: 'number'; min: number }
  | { type: 'choice'; choices: readonly string[] };

/** One option: its key in {@link TargetOptionsInput}, its flag, its environment variable, and what it models. */
export interface OptionDefinition {
  key: keyof TargetOptionsInput;
  flag: string;
  env: string;
  kind: Kind;
  description: string;
}

export const OPTION_DEFINITIONS: readonly OptionDefinition[] = [
  { key: 'host', flag: '--host', env: 'HOST', kind: { type: 'string' }, description: 'address to bind' },
  { key: 'port', flag: '--port', env: 'PORT', kind: { type: 'int', min: 0, max: 65535 }, description: 'TCP port; 0 picks any free port' },
  { key: 'dbPath', flag: '--db', env: 'DB_PATH', kind: { type: 'string' }, description: 'SQLite database file; created and seeded when missing' },
  {
    key: 'importMode', flag: '--import-mode', env: 'IMPORT_MODE', kind: { type: 'choice', choices: IMPORT_MODES },
    description: 'monolithic: one transaction for all entries; batched: one transaction per batch; staged: prepare outside any transaction, then write batches',
  },
  { key: 'batchSize', flag: '--batch-size', env: 'IMPORT_BATCH_SIZE', kind: { type: 'int', min: 1 }, description: 'entries per write transaction in batched and staged modes' },
  { key: 'prepareMs', flag: '--prepare-ms', env: 'ARTIFACT_PREPARE_MS', kind: { type: 'number', min: 0 }, description: 'per-artifact preparation work in ms (inside the lock except in staged mode)' },
  { key: 'writeMs', flag: '--write-ms', env: 'ARTIFACT_WRITE_MS', kind: { type: 'number', min: 0 }, description: 'per-artifact work in ms that is always inside the lock (ORM flush)' },
  {
    key: 'scheduler', flag: '--scheduler', env: 'WRITE_SCHEDULER', kind: { type: 'choice', choices: WRITE_SCHEDULERS },
    description: "sqlite: writers contend through busy_timeout polling; fifo: writers wait in an in-process first-in-first-out queue",
  },
  {
    key: 'executor', flag: '--executor', env: 'DB_EXECUTOR', kind: { type: 'choice', choices: EXECUTORS },
    description: 'pool: DB work on piscina worker threads (own connection each); inline: on the event loop, stalling every route while it waits',
  },
  { key: 'poolSize', flag: '--pool-size', env: 'DB_POOL_SIZE', kind: { type: 'int', min: 1, max: 256 }, description: 'DB worker threads in the pool executor' },
  {
    key: 'connections', flag: '--connections', env: 'DB_CONNECTIONS', kind: { type: 'choice', choices: CONNECTION_POLICIES },
    description: 'pooled: one connection per worker; per-request: open a connection and apply the pragmas for every request',
  },
  { key: 'busyTimeoutMs', flag: '--busy-timeout-ms', env: 'BUSY_TIMEOUT_MS', kind: { type: 'int', min: 0 }, description: 'SQLite busy_timeout in ms before a waiting writer gets SQLITE_BUSY' },
  {
    key: 'begin', flag: '--begin', env: 'TX_BEGIN', kind: { type: 'choice', choices: BEGIN_MODES },
    description: 'immediate: take the write lock at BEGIN; deferred: at the first write (read-to-write upgrades can fail with SQLITE_BUSY_SNAPSHOT)',
  },
  { key: 'synchronous', flag: '--synchronous', env: 'SQLITE_SYNCHRONOUS', kind: { type: 'choice', choices: SYNCHRONOUS_MODES }, description: 'PRAGMA synchronous' },
  { key: 'walAutocheckpoint', flag: '--wal-autocheckpoint', env: 'SQLITE_WAL_AUTOCHECKPOINT', kind: { type: 'int', min: 0 }, description: 'PRAGMA wal_autocheckpoint in pages (0 disables)' },
  { key: 'cacheSize', flag: '--cache-size', env: 'SQLITE_CACHE_SIZE', kind: { type: 'int', min: Number.MIN_SAFE_INTEGER }, description: 'PRAGMA cache_size (negative: KiB)' },
  { key: 'mmapSize', flag: '--mmap-size', env: 'SQLITE_MMAP_SIZE', kind: { type: 'int', min: 0 }, description: 'PRAGMA mmap_size in bytes' },
  { key: 'logLevel', flag: '--log-level', env: 'LOG_LEVEL', kind: { type: 'choice', choices: LOG_LEVELS }, description: 'pino log level (logs go to stderr)' },
  { key: 'maxBodyBytes', flag: '--max-body-bytes', env: 'MAX_BODY_BYTES', kind: { type: 'int', min: 1 }, description: 'largest request body in bytes; larger ones get 413' },
  { key: 'maxImportEntries', flag: '--max-import-entries', env: 'MAX_IMPORT_ENTRIES', kind: { type: 'int', min: 1 }, description: 'most entries one import may carry; more get 400' },
];

const DEFINITIONS_BY_KEY = new Map(OPTION_DEFINITIONS.map((d) => [d.key, d]));

function describeExpected(kind: Kind): string {
  switch (kind.type) {
    case 'string':
      return 'a non-empty string';
    case 'int':
      return kind.max === undefined ? `an integer >= ${kind.min}` : `an integer from ${kind.min} to ${kind.max}`;
    case 'number':
      return `a number >= ${kind.min}`;
    case 'choice':
      return `one of ${kind.choices.join(', ')}`;
  }
}

function validateValue(def: OptionDefinition, value: unknown): void {
  const { kind } = def;
  const ok =
    (kind.type === 'string' && typeof value === 'string' && value.length > 0) ||
    (kind.type === 'int' && Number.isInteger(value) && (value as number) >= kind.min && (kind.max === undefined || (value as number) <= kind.max)) ||
    (kind.type === 'number' && typeof value === 'number' && Number.isFinite(value) && value >= kind.min) ||
    (kind.type === 'choice' && typeof value === 'string' && kind.choices.includes(value));
  if (!ok) {
    throw new OptionError(def.flag, `${def.flag} (${def.env}) must be ${describeExpected(kind)}, got ${JSON.stringify(value)}`);
  }
}

/** Fills defaults and validates; unknown keys and out-of-range values throw {@link OptionError}. */
export function resolveTargetOptions(input: TargetOptionsInput = {}): TargetOptions {
  for (const key of Object.keys(input)) {
    if (!DEFINITIONS_BY_KEY.has(key as keyof TargetOptionsInput)) {
      const known = OPTION_DEFINITIONS.map((d) => d.key).join(', ');
      throw new OptionError(key, `unknown option "${key}"; known options: ${known}`);
    }
  }
  const resolved = { ...DEFAULT_TARGET_OPTIONS };
  for (const def of OPTION_DEFINITIONS) {
    const value = input[def.key];
    if (value === undefined) continue;
    validateValue(def, value);
    (resolved as Record<string, unknown>)[def.key] = value;
  }
  return resolved;
}

/** Converts a flag's or environment variable's text to the option's type; the result is validated later. */
export function parseOptionText(def: OptionDefinition, text: string): unknown {
  const trimmed = text.trim();
  if (def.kind.type === 'int' || def.kind.type === 'number') {
    // Decimal only: Number() would also read "0x10" as 16 and "1e3" as 1000.
    const decimal = def.kind.type === 'int' ? /^-?\d+$/ : /^-?\d+(\.\d+)?$/;
    if (!decimal.test(trimmed)) {
      throw new OptionError(def.flag, `${def.flag} (${def.env}) must be ${describeExpected(def.kind)}, got "${text}"`);
    }
    return Number(trimmed);
  }
  if (def.key === 'synchronous') return trimmed.toUpperCase();
  return trimmed;
}

/** Reads the options that are set in an environment (e.g. `process.env`). */
export function optionsFromEnv(env: Record<string, string | undefined>): TargetOptionsInput {
  const input: Record<string, unknown> = {};
  for (const def of OPTION_DEFINITIONS) {
    const text = env[def.env];
    if (text !== undefined && text !== '') input[def.key] = parseOptionText(def, text);
  }
  return input as TargetOptionsInput;
}

/** The default of an option as shown in `--help`. */
export function defaultText(def: OptionDefinition): string {
  return String(DEFAULT_TARGET_OPTIONS[def.key]);
}
