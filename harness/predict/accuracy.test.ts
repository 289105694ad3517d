import { describe, expect, it } from 'vitest';
import { compareMetric } from './accuracy.ts';

const range = (median: number, min = median, max = median) => ({ median, min, max });

describe('prediction beside measurement', () => {
  it('holds import wall and max hold to 10 % of the measured median', () => {
    expect(compareMetric('importWallMs', range(3_000), range(3_290)).verdict).toBe('hit');
    expect(compareMetric('importWallMs', range(3_000), range(3_310)).verdict).toBe('miss');
    expect(compareMetric('maxLockHoldMs', range(100), range(89)).verdict).toBe('miss');
  });

  it('lets a p99 hit within 30 % or inside the measured min–max', () => {
    expect(compareMetric('catalogP99Ms', range(100, 40, 300), range(250)).verdict).toBe('hit');
    expect(compareMetric('catalogP99Ms', range(100, 90, 110), range(125)).verdict).toBe('hit');
    expect(compareMetric('workflowWriteP99Ms', range(100, 90, 110), range(140)).verdict).toBe('miss');
  });

  it('holds success to half a point, and only reports busy errors', () => {
    expect(compareMetric('requestSuccessRate', range(0.995), range(0.999)).verdict).toBe('hit');
    expect(compareMetric('requestSuccessRate', range(0.99), range(0.996)).verdict).toBe('miss');
    expect(compareMetric('busyErrors', range(3), range(0)).verdict).toBe('no-target');
  });

  it('says when the two ranges do not overlap, and when a side was not measured', () => {
    expect(compareMetric('catalogP99Ms', range(100, 90, 110), range(125, 120, 130)).disagrees).toBe(true);
    expect(compareMetric('catalogP99Ms', range(100, 90, 110), range(125, 105, 130)).disagrees).toBe(false);
    expect(compareMetric('importWallMs', null, range(1)).verdict).toBe('not-measured');
  });
});
