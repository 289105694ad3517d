/**
 * Named defaults of the scenarios, each overridable by the environment variable named in its comment.
 * Plain constants with no k6 imports, so the harness can use the same values.
 */

/** Where the target listens (env BASE_URL). */
export const DEFAULT_BASE_URL = 'http://127.0.0.1:3000';
/** Concurrent imports, one VU each, into sources src-1..src-N (env IMPORTS; the target seeds src-1..src-8). */
export const DEFAULT_IMPORTS = 5;
/** Entries (artifacts) per import (env ARTIFACTS). */
export const DEFAULT_ARTIFACTS = 100;
/** Every n-th entry is composite (env COMPOSITE_EVERY; 0 = none). */
export const DEFAULT_COMPOSITE_EVERY = 5;
/** Children of each composite entry (env CHILDREN). */
export const DEFAULT_CHILDREN = 3;
/** Catalog updates per second, sent on schedule whatever the latency (env CATALOG_RATE): every 50 ms. */
export const DEFAULT_CATALOG_RATE = 20;
/** Catalog entry ids 1..N the updates cycle through (env CATALOG_ENTRIES; the target seeds 1..400). */
export const DEFAULT_CATALOG_ENTRIES = 400;
/** Artifact reads per second (env READ_RATE; 0 = no reads). */
export const DEFAULT_READ_RATE = 5;
/**
 * The catalog and read streams run until the imports have answered plus this tail (env TAIL), so that
 * the requests the imports held up are answered and measured, and the run ends soon after.
 */
export const DEFAULT_TAIL = '1s';
/** The longest the catalog and read streams run, whatever the imports do (env MAX_DURATION). */
export const DEFAULT_MAX_DURATION = '120s';
/**
 * Rate-stream VUs created up front (k6 allocates more, up to the maximum, when they are all busy):
 * this many seconds' worth of arrivals.
 */
export const PREALLOCATED_VU_SECONDS = 20;
/** Timeout of one import request (env IMPORT_TIMEOUT). */
export const DEFAULT_IMPORT_TIMEOUT = '120s';
/** Timeout of one catalog update or read (env REQUEST_TIMEOUT). */
export const DEFAULT_REQUEST_TIMEOUT = '60s';
/** Artifacts per read (env READ_LIMIT). */
export const DEFAULT_READ_LIMIT = 20;

/** Source the smoke import writes into (env SMOKE_SOURCE). */
export const DEFAULT_SMOKE_SOURCE = 'src-8';
/** Entries in the smoke import (env SMOKE_ARTIFACTS); every third one is composite, with 2 children. */
export const DEFAULT_SMOKE_ARTIFACTS = 3;
/** Catalog entry the smoke updates (env SMOKE_CATALOG_ENTRY). */
export const DEFAULT_SMOKE_CATALOG_ENTRY = 1;

/** How long the soak scenario runs (env DURATION). */
export const DEFAULT_SOAK_DURATION = '30s';
/** Imports started per second in the soak (env IMPORT_RATE), each writing new rows. */
export const DEFAULT_SOAK_IMPORT_RATE = 0.5;
