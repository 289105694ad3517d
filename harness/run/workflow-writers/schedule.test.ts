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

describe('the writers schedule given an end while it runs', () => {
  it('issues no write due at or after the end it is given, and keeps those due before', () => {
    const schedule = writeSchedule(1_000, 10, 60_000);
    // The stream it ends after ended at 1 230 ms, plus a 500-ms tail.
    schedule.endAt(1_230 + 500);
    const due = issued(schedule);
    expect(due).toEqual([1_000, 1_100, 1_200, 1_300, 1_400, 1_500, 1_600, 1_700]);
    expect(due.every((t) => t < 1_730)).toBe(true);
  });

  it('keeps its own duration when the end given is later, and an earlier end once given', () => {
    const schedule = writeSchedule(0, 10, 1_000);
    schedule.endAt(5_000);
    expect(issued(schedule)).toHaveLength(10);
    schedule.endAt(300);
    schedule.endAt(800);
    expect(issued(schedule)).toEqual([0, 100, 200]);
  });

  it('ends a schedule without a duration, and issues nothing when the end is before its start', () => {
    const open = writeSchedule(0, 100, null);
    expect(issued(open, 500)).toHaveLength(500);
    open.endAt(50);
    expect(issued(open)).toEqual([0, 10, 20, 30, 40]);
    const late = writeSchedule(2_000, 10, 60_000);
    late.endAt(1_500);
    expect(issued(late)).toEqual([]);
  });
});
