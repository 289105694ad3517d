/** The baseline file, written atomically; harness/reports/workload-baseline.ts renders a run compared with one. */
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Baseline } from '../model/baseline.ts';
import { writeFileAtomic } from '../shared/atomic.ts';

/** The baseline file's text: small, and readable in a diff. */
export function renderBaselineJson(baseline: Baseline): string {
  return `${JSON.stringify(baseline, null, 2)}\n`;
}

/** Writes the baseline atomically (harness/shared/atomic.ts), making its folder first. */
export async function saveBaseline(file: string, baseline: Baseline): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFileAtomic(file, renderBaselineJson(baseline));
}
