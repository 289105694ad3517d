import { describe, expect, it } from 'vitest';
import { writeSchedule } from './schedule.ts';

/** Every write the schedule issues, in order; `limit` stops a schedule without an end. */
function issued(schedule: ReturnType<typeof writeSchedule>, limit = 10_000): number[] {
  const due: number[] = [];
  for (let i = 0; i < limit && !schedule.over(i); i++) due.push(schedule.dueAt(i));
  return due;
}

describe('the writers schedule', () => {
  it('issues writes at the rate for the duration from the start, none due at or after its end', () => {
    const due = issued(writeSchedule(1_000, 20, 5_000));
    expect(due).toHaveLength(100);
    expect(due[0]).toBe(1_000);
    expect(due.at(-1)).toBe(1_000 + 4_950);
    expect(due.every((t) => t < 1_000 + 5_000)).toBe(true);
  });

  it('does not issue the write due exactly at the end, with a rate that does not divide a second evenly', () => {
    const schedule = writeSchedule(0, 3, 1_000);
    expect(issued(schedule)).toHaveLength(3);
    expect(schedule.over(3)).toBe(true);
    expect(schedule.over(4)).toBe(true);
  });

  it('issues a write at the start of a duration shorter than one interval, and nothing for no duration', () => {
    expect(issued(writeSchedule(0, 1, 200))).toEqual([0]);
    expect(issued(writeSchedule(0, 1, 0))).toEqual([]);
  });

  it('without a duration goes on until the writers are stopped', () => {
    expect(issued(writeSchedule(0, 100, null), 500)).toHaveLength(500);
  });
});
