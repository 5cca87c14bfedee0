import { describe, expect, it } from 'vitest';
import { addWorkingDays, bankHoliday, isWorkingDay, nonWorkingReason } from './calendar-days.js';
import { checkTimetable, planOccurrences, toLocalIso } from './timetable.js';
import type { RruleTimetable } from './types.js';

const tt = (rrule: string, start = '10:00', extra: Partial<RruleTimetable> = {}): RruleTimetable => ({
  kind: 'rrule', rrule, start, minutes: 120, from: '2020-01-01', ...extra,
});
const year = (t: RruleTimetable, y: number) => planOccurrences('p', t, `${y}-01-01T00:00:00.000Z`, `${y + 1}-01-01T00:00:00.000Z`);
const local = (t: RruleTimetable, y: number) => year(t, y).map((m) => toLocalIso(m.start));

describe('bank holidays of England and Wales', () => {
  it.each([
    ['2027-05-03', 'Early May bank holiday'],
    ['2022-06-03', 'Queen’s Platinum Jubilee'],
    ['2022-09-19', "Queen Elizabeth's Funeral Day"],
    ['2023-05-08', "King Charles III's Coronation"],
    ['2027-12-28', 'Boxing Day (substitute day)'],
    ['2035-08-27', 'Summer bank holiday'],
  ])('%s is %s', (date, name) => {
    expect(bankHoliday(date)).toBe(name);
    expect(isWorkingDay(date)).toBe(false);
  });

  it('does not count Scotland’s holidays (2 January, St Andrew’s Day)', () => {
    expect(bankHoliday('2029-01-02')).toBeNull();
    expect(bankHoliday('2027-11-30')).toBeNull();
  });

  it('names weekends, and counts working days both ways', () => {
    expect(nonWorkingReason('2027-01-30')).toBe('weekend: Saturday');
    expect(nonWorkingReason('2027-01-31')).toBe('weekend: Sunday');
    expect(addWorkingDays('2027-05-07', 1)).toBe('2027-05-10');
    expect(addWorkingDays('2027-05-04', -1)).toBe('2027-04-30');
    expect(addWorkingDays('2027-12-24', 1)).toBe('2027-12-29');
    expect(addWorkingDays('2027-05-03', 0)).toBe('2027-05-04');
    expect(addWorkingDays('2027-05-20', -10)).toBe('2027-05-06');
  });
});

describe('planning a timetable on known dates', () => {
  it('moves a first-Monday panel off the Early May bank holiday 2027, and says so', () => {
    const may = year(tt('FREQ=MONTHLY;BYDAY=1MO'), 2027).find((m) => m.occurrence === '2027-05-03');
    expect(may).toEqual({
      id: 'p.2027-05-03', panelId: 'p', occurrence: '2027-05-03',
      start: '2027-05-04T09:00:00.000Z', end: '2027-05-04T11:00:00.000Z',
      moved: { from: '2027-05-03T09:00:00.000Z', reason: 'bank holiday: Early May bank holiday' },
    });
  });

  it('keeps a 10:00 panel at 10:00 local on both sides of the 2027 clock changes', () => {
    const starts = local(tt('FREQ=WEEKLY;BYDAY=TH'), 2027);
    expect(starts).toContain('2027-03-25T10:00:00+00:00');
    expect(starts).toContain('2027-04-01T10:00:00+01:00');
    expect(starts).toContain('2027-10-28T10:00:00+01:00');
    expect(starts).toContain('2027-11-04T10:00:00+00:00');
    expect(starts.every((s) => s.slice(11, 19) === '10:00:00')).toBe(true);
  });

  it('moves back when the next working day is in the next month', () => {
    // 31 January 2027 is a Sunday; Monday 1 February is another month.
    const jan = year(tt('FREQ=MONTHLY;BYMONTHDAY=-1'), 2027).find((m) => m.occurrence === '2027-01-31');
    expect(toLocalIso(jan!.start)).toBe('2027-01-29T10:00:00+00:00');
    expect(jan!.moved?.reason).toBe('weekend: Sunday');
  });

  it('steps over Christmas, Boxing Day and their substitute days', () => {
    const dec = year(tt('FREQ=MONTHLY;BYMONTHDAY=25'), 2027).find((m) => m.occurrence === '2027-12-25');
    expect(toLocalIso(dec!.start)).toBe('2027-12-29T10:00:00+00:00');
    expect(dec!.moved?.reason).toBe('bank holiday: Christmas Day');
  });

  it('moves off the one-off holidays of 2022 and 2023', () => {
    const jubilee = year(tt('FREQ=MONTHLY;BYDAY=1FR'), 2022).find((m) => m.occurrence === '2022-06-03');
    expect(toLocalIso(jubilee!.start)).toBe('2022-06-06T10:00:00+01:00');
    const coronation = year(tt('FREQ=MONTHLY;BYDAY=2MO'), 2023).find((m) => m.occurrence === '2023-05-08');
    expect(toLocalIso(coronation!.start)).toBe('2023-05-09T10:00:00+01:00');
    expect(coronation!.moved?.reason).toBe("bank holiday: King Charles III's Coronation");
  });

  it('plans a fortnightly rule from its anchor', () => {
    const starts = local(tt('FREQ=WEEKLY;INTERVAL=2;BYDAY=TH', '10:00', { from: '2027-01-07' }), 2027).slice(0, 3);
    expect(starts).toEqual(['2027-01-07T10:00:00+00:00', '2027-01-21T10:00:00+00:00', '2027-02-04T10:00:00+00:00']);
  });

  it('plans only inside the window and leaves out the past', () => {
    const ms = planOccurrences('p', tt('FREQ=MONTHLY;BYDAY=2TU'), '2027-03-09T10:00:00.001Z', '2027-05-11T09:00:00.000Z');
    expect(ms.map((m) => m.occurrence)).toEqual(['2027-04-13']);
    const edge = planOccurrences('p', tt('FREQ=MONTHLY;BYDAY=2TU'), '2027-03-09T10:00:00.000Z', '2027-05-11T09:00:00.001Z');
    expect(edge.map((m) => m.occurrence)).toEqual(['2027-03-09', '2027-04-13', '2027-05-11']);
  });
});

describe('checking that a timetable meets every month', () => {
  it.each([
    'FREQ=MONTHLY;BYDAY=2TU',
    'FREQ=MONTHLY;BYDAY=-1FR',
    'FREQ=MONTHLY;BYMONTHDAY=15',
    'FREQ=WEEKLY;BYDAY=WE',
    'FREQ=WEEKLY;INTERVAL=2;BYDAY=TH',
    'FREQ=WEEKLY;INTERVAL=4;BYDAY=MO',
    'RRULE:FREQ=MONTHLY;BYDAY=1MO',
  ])('accepts %s', (rule) => {
    expect(checkTimetable(tt(rule))).toEqual({ ok: true, value: undefined });
  });

  it.each([
    ['FREQ=MONTHLY;INTERVAL=2;BYDAY=2TU', 'NOT_MONTHLY'],
    ['FREQ=MONTHLY;BYDAY=5MO', 'NOT_MONTHLY'],
    ['FREQ=MONTHLY;BYMONTHDAY=31', 'NOT_MONTHLY'],
    ['FREQ=MONTHLY;BYMONTHDAY=30', 'NOT_MONTHLY'],
    ['FREQ=YEARLY', 'NOT_MONTHLY'],
    ['FREQ=WEEKLY;INTERVAL=5;BYDAY=TH', 'NOT_MONTHLY'],
    ['FREQ=MONTHLY;BYMONTH=1,2,3,4,5,6,7,8,9,10,11;BYDAY=1MO', 'NOT_MONTHLY'],
    ['FREQ=MONTHLY;BYDAY=2TU;COUNT=12', 'RULE_ENDS'],
    ['FREQ=MONTHLY;BYDAY=2TU;UNTIL=20301231T000000Z', 'RULE_ENDS'],
    ['FREQ=HOURLY', 'INVALID_RRULE'],
    ['FREQ=MONTHLY;BYDAY=2TU;BYHOUR=10', 'INVALID_RRULE'],
    ['every second tuesday', 'INVALID_RRULE'],
    ['', 'INVALID_RRULE'],
  ])('refuses %s (%s)', (rule, code) => {
    const r = checkTimetable(tt(rule));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe(code);
  });

  it('names the first empty month', () => {
    const r = checkTimetable(tt('FREQ=MONTHLY;INTERVAL=3;BYDAY=1WE'));
    expect(r.ok ? '' : r.error.message).toMatch(/leaves 2020-02 without a meeting.*when-necessary/);
  });
});
