/**
 * Turns one profile's measurements (k6 summary, the target's lock statistics, the workflow writers,
 * the integrity check) into the headline metrics the criteria judge. Pure: tested on recorded data.
 */
import type { SummaryFile } from '../../scenarios/lib/contract.ts';

export type { SummaryFile };
import type { ErrorCounts, IntegrityResult, ProfileMetrics, TargetLockStats, WorkflowWriterResult } from '../results.ts';

export interface ProfileMeasurements {
  summary: SummaryFile | null;
  locks: Omit<TargetLockStats, 'spans'> | null;
  writers: Omit<WorkflowWriterResult, 'spans'> | null;
  integrity: IntegrityResult | null;
  /** From import_jobs (server clock), for the note that cross-checks the client's figure. */
  importJobsWallMs: number | null;
}

/** The k6 scenario whose latency the catalog criteria judge. */
export const CATALOG_SCENARIO = 'catalog';

/** Error codes that mean "the write lock could not be had" (SQLITE_BUSY and its extended codes). */
export function isBusyCode(code: string): boolean {
  return code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED');
}

function maxOf(...values: (number | null | undefined)[]): number | null {
  const present = values.filter((v): v is number => typeof v === 'number');
  return present.length === 0 ? null : Math.max(...present);
}

function mergeBusy(target: ErrorCounts, writers: ErrorCounts): ErrorCounts {
  const merged: ErrorCounts = { ...target };
  for (const [code, n] of Object.entries(writers)) if (isBusyCode(code)) merged[code] = (merged[code] ?? 0) + n;
  return merged;
}

export function profileMetrics(m: ProfileMeasurements): ProfileMetrics {
  const lockbench = m.summary?.lockbench ?? null;
  return {
    // The client's clock: from the first import request's start to the last answer (k6).
    importWallMs: lockbench?.imports.wallMs ?? null,
    // Any write-lock hold the run saw: the target's (imports, catalog, workflow routes) and the writers'.
    // Without the target's figures the longest hold is unknown, whatever the writers saw.
    maxLockHoldMs: m.locks === null ? null : maxOf(m.locks.holds.maxMs, m.writers?.lockHold.maxMs),
    lockHoldP99Ms: m.locks?.holds.p99Ms ?? null,
    catalogP50Ms: lockbench?.latency[CATALOG_SCENARIO]?.p50Ms ?? null,
    catalogP99Ms: lockbench?.latency[CATALOG_SCENARIO]?.p99Ms ?? null,
    workflowWriteP99Ms: m.writers?.latency.p99Ms ?? null,
    requestSuccessRate: lockbench?.requestSuccessRate ?? null,
    busyErrors: mergeBusy(m.locks?.busyErrors ?? {}, m.writers?.errorsByCode ?? {}),
    artifactsExpected: lockbench?.imports.artifactsAcknowledged ?? null,
    artifactsFound: m.integrity?.artifacts.found ?? null,
    integrityOk: m.integrity?.ok ?? null,
  };
}

/** What a reader should know about where the figures came from and what they leave out. */
export function measurementNotes(m: ProfileMeasurements): string[] {
  const notes: string[] = [];
  const lockbench = m.summary?.lockbench;
  if (lockbench) {
    const imports = lockbench.imports;
    notes.push(
      `import wall from the k6 client clock (first import request sent to last answer): ${imports.wallMs === null ? 'not measured' : `${Math.round(imports.wallMs)} ms`}; ` +
        `import_jobs (server clock) says ${m.importJobsWallMs === null ? 'not measured' : `${Math.round(m.importJobsWallMs)} ms`}`,
    );
    if (imports.wallMs === null) {
      notes.push(`only ${imports.completed + imports.partial + imports.failed + imports.errored} of ${imports.expected} imports answered`);
    }
    if (imports.partial + imports.failed + imports.errored > 0) {
      notes.push(`imports: ${imports.completed} completed, ${imports.partial} partial, ${imports.failed} failed, ${imports.errored} errored`);
    }
    const crossed = lockbench.thresholds.filter((t) => !t.ok);
    if (crossed.length > 0) notes.push(`k6 thresholds crossed: ${crossed.map((t) => `${t.metric} ${t.expression}`).join(', ')}`);
    for (const [name, latency] of Object.entries(lockbench.latency)) {
      if (latency.droppedIterations > 0) {
        notes.push(`${name}: ${latency.droppedIterations} requests were never sent (k6 had no free VU): latency is understated`);
      }
    }
  }
  if (m.writers) {
    if (m.writers.notIssued > 0) {
      notes.push(`workflow writers: ${m.writers.notIssued} of ${m.writers.scheduled} scheduled writes not issued (in-flight bound reached)`);
    }
    if (m.writers.failed > 0) {
      const codes = Object.entries(m.writers.errorsByCode).map(([code, n]) => `${code} ${n}`).join(', ');
      notes.push(`workflow writers: ${m.writers.failed} writes failed (${codes})`);
    }
  }
  for (const problem of m.integrity?.problems ?? []) notes.push(`integrity: ${problem}`);
  return notes;
}
