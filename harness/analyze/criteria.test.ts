import { describe, expect, it } from 'vitest';
import { evaluateCriteria } from './criteria.ts';
import { loadCriteria, parseCriteria } from '../plan/criteria.ts';
import type { ProfileMetrics } from '../model/results.ts';

const passing: ProfileMetrics = {
  importWallMs: 3200,
  maxLockHoldMs: 21,
  maxLockHoldSource: 'observed',
  maxLockHoldObservedMs: 21,
  maxLockHoldSelfReportedMs: 20.6,
  lockHoldP99Ms: 18,
  catalogP50Ms: 3,
  catalogP99Ms: 70,
  catalogP50AllMs: 2,
  catalogP99AllMs: 20,
  workflowWriteP99Ms: 12,
  workflowWriteP99AllMs: 5,
  requestSuccessRate: 1,
  busyErrors: {},
  artifactsExpected: 500,
  artifactsFound: 500,
  integrityOk: true,
};

function byId(metrics: ProfileMetrics) {
  return new Map(evaluateCriteria(loadCriteria(), metrics).map((c) => [c.id, c]));
}

describe('criteria file', () => {
  it('holds the README criteria', () => {
    expect(loadCriteria().map((c) => c.id)).toEqual(['lock-hold', 'import-wall', 'catalog-p99', 'success', 'workflow-p99', 'no-loss']);
  });

  it('rejects an unknown metric by path', () => {
    const bad = { criteria: [{ id: 'x', description: '', metric: 'nope', comparison: '<', threshold: 1, unit: 'ms' }] };
    expect(() => parseCriteria(bad, 'bad.json')).toThrow(/bad.json: criteria.0.metric/);
  });

  it('rejects a duplicated id', () => {
    const one = { id: 'x', description: '', metric: 'importWallMs', comparison: '<', threshold: 1, unit: 'ms' };
    expect(() => parseCriteria({ criteria: [one, one] })).toThrow(/"x" appears twice/);
  });
});

describe('evaluateCriteria', () => {
  it('passes every criterion on figures inside the thresholds', () => {
    const results = evaluateCriteria(loadCriteria(), passing);
    expect(results.every((r) => r.pass)).toBe(true);
    expect(results.find((r) => r.id === 'lock-hold')).toMatchObject({ measured: 21, threshold: 500, comparison: '<', unit: 'ms' });
  });

  it('says where a figure measured one of two ways came from', () => {
    expect(byId(passing).get('lock-hold')).toMatchObject({ basis: 'observed', measured: 21 });
    expect(byId({ ...passing, maxLockHoldSource: 'self-reported', maxLockHoldMs: 20.6 }).get('lock-hold')).toMatchObject({ basis: 'self-reported', measured: 20.6, pass: true });
    expect(byId(passing).get('import-wall')).not.toHaveProperty('basis');
  });

  it('fails at the threshold itself for a strict bound', () => {
    expect(byId({ ...passing, maxLockHoldMs: 500 }).get('lock-hold')?.pass).toBe(false);
    expect(byId({ ...passing, requestSuccessRate: 0.995 }).get('success')?.pass).toBe(true);
    expect(byId({ ...passing, requestSuccessRate: 0.98 }).get('success')?.pass).toBe(false);
  });

  it('fails a criterion whose figure was not measured, saying so', () => {
    const result = byId({ ...passing, catalogP99Ms: null }).get('catalog-p99');
    expect(result).toMatchObject({ pass: false, measured: null, reason: 'catalogP99Ms was not measured' });
  });

  it('judges the latency criteria on the in-window figures, not the whole-run ones', () => {
    const diluted = byId({ ...passing, catalogP99Ms: 600, catalogP99AllMs: 40, workflowWriteP99Ms: 1500, workflowWriteP99AllMs: 90 });
    expect(diluted.get('catalog-p99')).toMatchObject({ pass: false, metric: 'catalogP99Ms', measured: 600 });
    expect(diluted.get('workflow-p99')).toMatchObject({ pass: false, metric: 'workflowWriteP99Ms', measured: 1500 });
  });

  it('compares no-loss against the acknowledged rows and requires integrity', () => {
    const lost = byId({ ...passing, artifactsFound: 490 }).get('no-loss');
    expect(lost).toMatchObject({ pass: false, measured: 490, threshold: 500, thresholdMetric: 'artifactsExpected' });

    const corrupt = byId({ ...passing, integrityOk: false }).get('no-loss');
    expect(corrupt?.pass).toBe(false);
    expect(corrupt?.reason).toMatch(/integrityOk/);

    const unchecked = byId({ ...passing, artifactsExpected: null }).get('no-loss');
    expect(unchecked).toMatchObject({ pass: false, reason: 'artifactsExpected was not measured' });
  });
});
