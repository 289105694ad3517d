/**
 * The criteria file (harness/plan/criteria.json) as k6 thresholds. Read in init context: `open` resolves
 * paths from this module's folder.
 */

/** Comparisons a criterion may use; k6 threshold expressions accept the same operators. */
export const COMPARISONS = ['<', '<=', '>', '>=', '=='] as const;
export type Comparison = (typeof COMPARISONS)[number];

/** Where a criterion is visible to k6: a metric (tagged sub-metric allowed) and a summary stat. */
export interface K6Mapping {
  metric: string;
  /** `max`, `p(99)`, `rate`, `count`, ... */
  stat: string;
}

/** One entry of harness/plan/criteria.json (fields described in its `about`). */
export interface Criterion {
  id: string;
  description: string;
  metric: string;
  comparison: Comparison;
  threshold: number | boolean | { metric: string };
  unit: string;
  source: string;
  k6: K6Mapping | null;
  requires?: { metric: string; comparison: Comparison; threshold: number | boolean; unit: string }[];
}

/** Path of the criteria file, relative to this module. */
export const CRITERIA_FILE = '../../harness/plan/criteria.json';

/** Checks the parts of the file k6 relies on; a broken file stops k6 with a message naming the entry. */
export function parseCriteria(text: string): Criterion[] {
  const data = JSON.parse(text) as { criteria?: unknown };
  if (!Array.isArray(data.criteria)) throw new Error(`${CRITERIA_FILE}: expected an object with a "criteria" array`);
  return data.criteria.map((entry: Partial<Criterion>, i) => {
    const where = `${CRITERIA_FILE}: criteria[${i}] (${entry.id ?? 'no id'})`;
    if (typeof entry.id !== 'string' || typeof entry.metric !== 'string') throw new Error(`${where}: id and metric must be strings`);
    if (!COMPARISONS.includes(entry.comparison as Comparison)) {
      throw new Error(`${where}: comparison must be one of ${COMPARISONS.join(' ')}, got ${String(entry.comparison)}`);
    }
    if (entry.k6 !== null && entry.k6 !== undefined) {
      if (typeof entry.k6.metric !== 'string' || typeof entry.k6.stat !== 'string') throw new Error(`${where}: k6 needs metric and stat strings`);
      if (typeof entry.threshold !== 'number') throw new Error(`${where}: a criterion k6 judges needs a numeric threshold`);
    }
    return { ...entry, k6: entry.k6 ?? null } as Criterion;
  });
}

/** `{ 'http_req_duration{scenario:catalog}': ['p(99)<500'] }` from every criterion k6 can see. */
export function thresholdsFromCriteria(criteria: readonly Criterion[]): Record<string, string[]> {
  const thresholds: Record<string, string[]> = {};
  for (const c of criteria) {
    if (c.k6 === null) continue;
    (thresholds[c.k6.metric] ??= []).push(`${c.k6.stat}${c.comparison}${String(c.threshold)}`);
  }
  return thresholds;
}

/** The criteria, read once per VU in init context. */
export const CRITERIA: readonly Criterion[] = parseCriteria(open(CRITERIA_FILE));
