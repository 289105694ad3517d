/**
 * Who held the write lock in a run from a workload, in the workload's words: per profile each process the
 * observer saw holding it (the workload's SQL stream by its name, not as "workflow writers"), and the
 * target's holds attributed to the streams whose requests were in flight. Generic over the streams: none
 * is known here by name.
 */
import type { LockHolderRole, ObservedHolder, ProfileResult, RunProfiles } from '../model/results.ts';
import { formatMs, type MsFormat } from './format.ts';
import { holderName } from './holder-name.ts';

/** A cell's figure: the column heading names the unit. */
const CELL_MS: MsFormat = { unit: false, missing: '-' };

const count = (n: number) => n.toLocaleString('en-US');
/** A share to the whole percent; a share that rounds to 0 but is not is "< 1 %". */
const percent = (share: number | null) => (share === null ? 'not measured' : share > 0 && share < 0.005 ? '< 1 %' : `${(share * 100).toFixed(0)} %`);

/** The side writers are the workload's SQL stream; without one they are named by their role. */
function roleName(role: LockHolderRole, profile: Pick<ProfileResult, 'workload'>): string {
  if (role === 'target') return 'target';
  if (role === 'other') return 'other process';
  // The SQL streams are threads of one process: the observer tells processes apart, not threads, so with
  // several streams a hold of that process is one of theirs, not known to be the first's.
  const sql = profile.workload?.streams.filter((s) => s.kind === 'sql') ?? [];
  if (sql.length === 0) return 'side writers';
  return `${sql.map((s) => s.stream).join(' or ')} (SQL)`;
}

function observedHolders(profile: ProfileResult): readonly ObservedHolder[] {
  return profile.observed?.status === 'observed' ? profile.observed.holders : [];
}

/** Per profile, every process seen holding the write lock, most held first: holder, process, holds, held ms, longest hold ms. */
export function lockHoldersTable(results: RunProfiles): { header: string[]; rows: string[][] } {
  const header = ['profile', 'holder', 'process', 'holds', 'held ms', 'longest hold ms'];
  const rows = results.profiles.flatMap((p) =>
    observedHolders(p).map((h) => [p.name, roleName(h.role, p), holderName(h), count(h.observed.spanCount), formatMs(h.observed.heldMs, CELL_MS), formatMs(h.observed.holdMaxMs, CELL_MS)]),
  );
  return { header, rows };
}

/**
 * Per profile, the target's holds by the stream of the requests in flight while each was held: holds (of
 * them exact), held ms, longest hold ms; on the profile's first row, how many of its holds were attributed
 * (exact / one of several of one stream / across streams / none) and the share of the held time they hold.
 */
export function holdAttributionTable(results: RunProfiles): { header: string[]; rows: string[][] } {
  const header = ['profile', 'stream', 'holds (exact)', 'held ms', 'longest hold ms', 'target holds attributed (exact / one of several / across streams / none)', 'held time attributed'];
  const rows = results.profiles.flatMap((p) => {
    const a = p.observed?.status === 'observed' ? p.observed.attribution : null;
    if (!a || a.holds === 0) return [];
    const summary = [`${count(a.exact + a.oneOf)} of ${count(a.holds)} (${count(a.exact)} / ${count(a.oneOf)} / ${count(a.ambiguous)} / ${count(a.none)})`, percent(a.attributedTimeShare)];
    const streams = a.byStream.map((s) => [s.stream, `${count(s.holds)} (${count(s.exact)})`, formatMs(s.heldMs, CELL_MS), formatMs(s.holdMaxMs, CELL_MS)]);
    // Holds seen, none of them attributed to one stream: the profile still gets its row, with its counts.
    const lines = streams.length > 0 ? streams : [['none attributed', '-', '-', '-']];
    return lines.map((cells, i) => [i === 0 ? p.name : '', ...cells, ...(i === 0 ? summary : ['', ''])]);
  });
  return { header, rows };
}

/** What the attribution table counts, said once under it. */
export const HOLD_ATTRIBUTION_LEGEND =
  "target holds by stream: each of the target's observed holds set against the requests in flight at the target for the whole of it " +
  '(exact: one request; one of several: several of one stream; across streams: of several streams); counted at the target, not per process';
