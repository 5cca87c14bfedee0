import { describe, expect, it } from 'vitest';
import { groupBy, groupByMeeting } from './group.js';

describe('grouping rows', () => {
  it('groups by meeting, keeping each group in the rows’ order and the meetings in first-seen order', () => {
    const rows = [
      { meetingId: 'm2', forceId: 'a' },
      { meetingId: 'm1', forceId: 'a' },
      { meetingId: 'm2', forceId: 'b' },
      { meetingId: 'm1', forceId: 'c' },
    ];
    const by = groupByMeeting(rows);
    expect([...by.keys()]).toEqual(['m2', 'm1']);
    expect(by.get('m2')!.map((r) => r.forceId)).toEqual(['a', 'b']);
    expect(by.get('m1')!.map((r) => r.forceId)).toEqual(['a', 'c']);
    expect(by.get('m3')).toBeUndefined();
    expect(groupByMeeting([]).size).toBe(0);
  });

  it('groups by any key in one pass, so many rows for one meeting stay cheap', () => {
    const rows = Array.from({ length: 100_000 }, (_, i) => ({ meetingId: 'm', i }));
    const one = groupByMeeting(rows).get('m')!;
    expect(one).toHaveLength(100_000);
    expect(one[99_999]!.i).toBe(99_999);
    expect(groupBy([1, 2, 3, 4, 5], (n) => n % 2)).toEqual(new Map([[1, [1, 3, 5]], [0, [2, 4]]]));
  });
});
