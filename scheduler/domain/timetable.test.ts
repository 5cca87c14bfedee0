import fc from 'fast-check';
import rrulePkg from 'rrule';
import { describe, expect, it } from 'vitest';
import { addDays, isWorkingDay } from './calendar-days.js';
import { localDate, planOccurrences, ruleDates, toLocalIso } from './timetable.js';
import { timetableClass } from './timetable-class.js';
import type { RruleTimetable } from './types.js';

const { RRule } = rrulePkg;
const tt = (rrule: string, start = '10:00', extra: Partial<RruleTimetable> = {}): RruleTimetable => ({
  kind: 'rrule', rrule, start, minutes: 120, from: '2020-01-01', ...extra,
});
const inYear = (t: RruleTimetable, y: number) => planOccurrences('p', t, `${y}-01-01T00:00:00.000Z`, `${y + 1}-01-01T00:00:00.000Z`);
const meetingOf = (t: RruleTimetable, occurrence: string) => {
  const m = inYear(t, Number(occurrence.slice(0, 4))).find((x) => x.occurrence === occurrence);
  if (!m) throw new Error(`no meeting from ${occurrence}`);
  return m;
};

describe('planning on known dates', () => {
  it('moves a first-Monday panel off the Early May bank holiday 2027 and records the move', () => {
    expect(meetingOf(tt('FREQ=MONTHLY;BYDAY=1MO'), '2027-05-03')).toEqual({
      id: 'p.2027-05-03', panelId: 'p', occurrence: '2027-05-03',
      start: '2027-05-04T09:00:00.000Z', end: '2027-05-04T11:00:00.000Z',
      moved: { from: '2027-05-03T09:00:00.000Z', reason: 'bank holiday: Early May bank holiday' },
    });
    expect(meetingOf(tt('FREQ=MONTHLY;BYDAY=1MO'), '2027-06-07').moved).toBeNull();
  });

  it.each([
    ['2027-03-25', '2027-03-25T10:00:00.000Z', '2027-03-25T10:00:00+00:00'],
    ['2027-04-01', '2027-04-01T09:00:00.000Z', '2027-04-01T10:00:00+01:00'],
    ['2027-10-28', '2027-10-28T09:00:00.000Z', '2027-10-28T10:00:00+01:00'],
    ['2027-11-04', '2027-11-04T10:00:00.000Z', '2027-11-04T10:00:00+00:00'],
  ])('keeps a 10:00 panel at 10:00 local across the 2027 clock changes: %s', (date, utc, local) => {
    const m = meetingOf(tt('FREQ=WEEKLY;BYDAY=TH'), date);
    expect(m.start).toBe(utc);
    expect(toLocalIso(m.start)).toBe(local);
  });

  it.each([
    ['2027-01-31', '2027-01-29T10:00:00+00:00', 'weekend: Sunday'],
    ['2027-07-31', '2027-07-30T10:00:00+01:00', 'weekend: Saturday'],
    ['2028-12-31', '2028-12-29T10:00:00+00:00', 'weekend: Sunday'],
  ])('moves the last day of the month back when the next working day is in the next month: %s', (date, local, reason) => {
    const m = meetingOf(tt('FREQ=MONTHLY;BYMONTHDAY=-1'), date);
    expect(toLocalIso(m.start)).toBe(local);
    expect(m.moved).toEqual({ from: `${date}T${local.endsWith('+01:00') ? '09' : '10'}:00:00.000Z`, reason });
  });

  it('moves a mid-month weekend date forward', () => {
    expect(toLocalIso(meetingOf(tt('FREQ=MONTHLY;BYMONTHDAY=15'), '2027-05-15').start)).toBe('2027-05-17T10:00:00+01:00');
  });

  it.each([
    ['FREQ=MONTHLY;BYMONTHDAY=25', '2027-12-25', '2027-12-29', 'bank holiday: Christmas Day'],
    ['FREQ=MONTHLY;BYMONTHDAY=27', '2027-12-27', '2027-12-29', 'bank holiday: Christmas Day (substitute day)'],
    ['FREQ=MONTHLY;BYMONTHDAY=28', '2027-12-28', '2027-12-29', 'bank holiday: Boxing Day (substitute day)'],
    ['FREQ=MONTHLY;BYMONTHDAY=27', '2022-12-27', '2022-12-28', 'bank holiday: Christmas Day (substitute day)'],
    ['FREQ=MONTHLY;BYDAY=1MO', '2022-01-03', '2022-01-04', "bank holiday: New Year's Day (substitute day)"],
    ['FREQ=MONTHLY;BYDAY=1FR', '2022-06-03', '2022-06-06', 'bank holiday: Queen’s Platinum Jubilee'],
    ['FREQ=MONTHLY;BYMONTHDAY=2', '2022-06-02', '2022-06-06', 'bank holiday: Spring bank holiday'],
    ['FREQ=MONTHLY;BYDAY=3MO', '2022-09-19', '2022-09-20', "bank holiday: Queen Elizabeth's Funeral Day"],
    ['FREQ=MONTHLY;BYDAY=2MO', '2023-05-08', '2023-05-09', "bank holiday: King Charles III's Coronation"],
  ])('%s moves %s to %s (%s)', (rule, date, to, reason) => {
    const m = meetingOf(tt(rule), date);
    expect(localDate(m.start)).toBe(to);
    expect(m.moved?.reason).toBe(reason);
  });

  it('plans by the moved start: a meeting moved into the window is in it, one moved out is not', () => {
    const t = tt('FREQ=MONTHLY;BYDAY=1MO');
    expect(planOccurrences('p', t, '2027-05-04T00:00:00.000Z', '2027-05-05T00:00:00.000Z').map((m) => m.id)).toEqual(['p.2027-05-03']);
    expect(planOccurrences('p', t, '2027-05-02T00:00:00.000Z', '2027-05-04T00:00:00.000Z')).toEqual([]);
    // The window is half-open, and its bounds may be written without milliseconds.
    expect(planOccurrences('p', t, '2027-05-04T09:00:00Z', '2027-05-04T09:00:01Z')).toHaveLength(1);
    expect(planOccurrences('p', t, '2027-04-01T00:00:00Z', '2027-05-04T09:00:00Z').map((m) => m.id)).toEqual(['p.2027-04-05']);
  });

  it('keeps only the first of two dates moved onto one day', () => {
    const ms = planOccurrences('p', tt('FREQ=DAILY'), '2027-04-30T00:00:00.000Z', '2027-05-06T00:00:00.000Z');
    expect(ms.map((m) => `${m.occurrence}>${localDate(m.start)}`)).toEqual([
      '2027-04-30>2027-04-30', '2027-05-01>2027-05-04', '2027-05-05>2027-05-05',
    ]);
  });

  it('keeps a fortnightly rule on its anchor years later', () => {
    const anchor = '2027-01-07';
    const ms = inYear(tt('FREQ=WEEKLY;INTERVAL=2;BYDAY=TH', '10:00', { from: anchor }), 2033);
    expect(ms.length).toBeGreaterThanOrEqual(26);
    for (const m of ms) expect((Date.parse(m.occurrence) - Date.parse(anchor)) / 86_400_000 % 14).toBe(0);
  });

  it('plans a 6-weekly panel (below the guidance) every 42 days, moved off Christmas Day, leaving months empty', () => {
    const ms = inYear(tt('FREQ=WEEKLY;INTERVAL=6;BYDAY=TU', '10:00', { from: '2029-01-23' }), 2029);
    const days = ms.map((m) => Date.parse(m.occurrence) / 86_400_000);
    expect(days.slice(1).map((d, i) => d - days[i]!)).toEqual(Array(8).fill(42));
    expect(ms.map((m) => localDate(m.start)).slice(-2)).toEqual(['2029-11-13', '2029-12-27']);
    expect(ms.at(-1)?.moved).toEqual({ from: '2029-12-25T10:00:00.000Z', reason: 'bank holiday: Christmas Day' });
    expect(new Set(ms.map((m) => m.start.slice(5, 7)))).not.toContain('02');
  });

  it('plans nothing before `from`, and nothing for an invalid rule', () => {
    expect(inYear(tt('FREQ=MONTHLY;BYDAY=2TU', '10:00', { from: '2027-06-01' }), 2027)[0]?.occurrence).toBe('2027-06-08');
    expect(inYear(tt('FREQ=MONTHLY;INTERVAL=2;COUNT=3'), 2027)).toEqual([]);
  });
});

describe('local times in Europe/London', () => {
  it.each([
    ['2027-05-04T09:00:00.000Z', '2027-05-04T10:00:00+01:00', '2027-05-04'],
    ['2027-01-04T10:00:00.000Z', '2027-01-04T10:00:00+00:00', '2027-01-04'],
    ['2027-05-03T23:30:00.000Z', '2027-05-04T00:30:00+01:00', '2027-05-04'],
    ['2027-01-03T23:30:00.000Z', '2027-01-03T23:30:00+00:00', '2027-01-03'],
    ['2027-03-28T00:59:59.999Z', '2027-03-28T00:59:59+00:00', '2027-03-28'],
    ['2027-03-28T01:00:00.000Z', '2027-03-28T02:00:00+01:00', '2027-03-28'],
  ])('%s is %s on %s', (utc, local, date) => {
    expect(toLocalIso(utc)).toBe(local);
    expect(localDate(utc)).toBe(date);
  });
});

const DAYS = ['MO', 'TU', 'WE', 'TH', 'FR'];
const hhmm = fc.integer({ min: 7 * 4, max: 18 * 4 }).map((q) => `${String(Math.floor(q / 4)).padStart(2, '0')}:${String((q % 4) * 15).padStart(2, '0')}`);
const anchor = (min: string, max: string) =>
  fc.date({ min: new Date(`${min}T00:00:00Z`), max: new Date(`${max}T00:00:00Z`), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
/** Rules that meet at least monthly: nth weekday, a day of the month up to 28, weekly up to four-weekly. */
const monthlyOrTighter = fc.oneof(
  fc.tuple(fc.constantFrom(1, 2, 3, 4, -1), fc.constantFrom(...DAYS)).map(([n, d]) => `FREQ=MONTHLY;BYDAY=${n}${d}`),
  fc.integer({ min: 1, max: 28 }).map((d) => `FREQ=MONTHLY;BYMONTHDAY=${d}`),
  fc.tuple(fc.integer({ min: 1, max: 4 }), fc.constantFrom(...DAYS)).map(([i, d]) => `FREQ=WEEKLY;INTERVAL=${i};BYDAY=${d}`),
);
const timetable = fc
  .record({ rrule: monthlyOrTighter, start: hhmm, minutes: fc.integer({ min: 30, max: 240 }), from: anchor('2020-01-01', '2024-12-31') })
  .map((t): RruleTimetable => ({ kind: 'rrule', ...t }));

describe('any monthly-or-tighter timetable in any year 2025 to 2035', () => {
  it('is on the guidance timetable and meets every month, on working days, at the configured local time, for its length', () => {
    fc.assert(
      fc.property(timetable, fc.integer({ min: 2025, max: 2035 }), (t, y) => {
        expect(timetableClass(t)).toBe('guidance');
        const ms = inYear(t, y);
        const months = new Set(ms.map((m) => localDate(m.start).slice(0, 7)));
        for (let m = 1; m <= 12; m++) expect(months.has(`${y}-${String(m).padStart(2, '0')}`)).toBe(true);
        for (const m of ms) {
          expect(isWorkingDay(localDate(m.start))).toBe(true);
          expect(toLocalIso(m.start).slice(11, 16)).toBe(t.start);
          expect(Date.parse(m.end) - Date.parse(m.start)).toBe(t.minutes * 60_000);
          expect(m.start).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:00\.000Z$/);
          expect(localDate(m.start).slice(0, 7)).toBe(m.occurrence.slice(0, 7));
          expect(m.moved === null).toBe(isWorkingDay(m.occurrence));
        }
        expect(ms.map((m) => m.start)).toEqual(ms.map((m) => m.start).sort());
      }),
      { numRuns: 100 },
    );
  });
});

/** A wider family of rules, to check the planner's own reading of a rule against rrule's, far from `from`. */
const anyRule = fc
  .tuple(
    fc.constantFrom('YEARLY', 'MONTHLY', 'WEEKLY', 'DAILY'),
    fc.integer({ min: 1, max: 3 }),
    fc.option(fc.subarray(['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'], { minLength: 1, maxLength: 3 }), { nil: undefined }),
    fc.option(fc.constantFrom(1, 2, -1, 3), { nil: undefined }),
    fc.option(fc.subarray([1, 2, 6, 12], { minLength: 1 }), { nil: undefined }),
    fc.option(fc.constantFrom(1, -1, 2), { nil: undefined }),
    fc.option(fc.constantFrom('SU', 'WE'), { nil: undefined }),
  )
  .map(([freq, interval, days, nth, months, setpos, wkst]) => {
    const parts = [`FREQ=${freq}`, `INTERVAL=${interval}`];
    if (days) parts.push(`BYDAY=${days.map((d) => (nth && freq !== 'WEEKLY' && freq !== 'DAILY' ? `${nth}${d}` : d)).join(',')}`);
    if (months) parts.push(`BYMONTH=${months.join(',')}`);
    // A second pick needs two days in every period, or rrule searches to the year 9999 for none.
    if (setpos && days && (setpos !== 2 || (days.length > 1 && freq !== 'DAILY'))) parts.push(`BYSETPOS=${setpos}`);
    if (wkst) parts.push(`WKST=${wkst}`);
    return parts.join(';');
  });

/** rrule's own dates for a rule anchored at `from`, walking from the anchor: slow, but the reference. */
const reference = (rrule: string, from: string, a: string, b: string) =>
  new RRule({ ...RRule.parseString(rrule), dtstart: new Date(`${from}T00:00:00Z`) }, true)
    .between(new Date(`${a}T00:00:00Z`), new Date(`${b}T00:00:00Z`), true)
    .map((d) => d.toISOString().slice(0, 10));

describe('the planner’s reading of a rule', () => {
  it.each([
    // BYSETPOS picks within whole weeks: a week cut short at a moved start would pick Saturday, not Thursday.
    ['FREQ=WEEKLY;BYDAY=TH,SA;BYSETPOS=1', '1996-09-27', '2009-01-22', '2009-01-24', ['2009-01-22']],
    ['FREQ=WEEKLY;BYDAY=TH,SA;BYSETPOS=1', '1996-09-27', '2009-01-23', '2009-01-24', []],
    ['FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1', '2020-01-01', '2027-01-01', '2027-03-31', ['2027-01-29', '2027-02-26', '2027-03-31']],
    ['FREQ=MONTHLY;BYDAY=-1FR', '2020-01-01', '2031-02-01', '2031-02-28', ['2031-02-28']],
    ['FREQ=YEARLY;BYMONTH=1,7;BYDAY=2WE', '2020-01-01', '2030-01-01', '2030-12-31', ['2030-01-09', '2030-07-10']],
  ])('%s from %s gives, from %s to %s, %j', (rrule, from, a, b, dates) => {
    expect(reference(rrule, from, a, b)).toEqual(dates);
    expect(ruleDates(tt(rrule, '10:00', { from }), a, b)).toEqual(dates);
  });

  it('keeps what it expanded without letting a caller change it, and tells rules and windows apart', () => {
    const rule = tt('FREQ=MONTHLY;BYDAY=-1FR', '10:00', { from: '2020-01-01' });
    const first = ruleDates(rule, '2031-01-01', '2031-03-31');
    expect(first).toEqual(['2031-01-31', '2031-02-28', '2031-03-28']);
    first.length = 0;
    first.push('1999-01-01');
    expect(ruleDates(rule, '2031-01-01', '2031-03-31')).toEqual(['2031-01-31', '2031-02-28', '2031-03-28']);
    expect(ruleDates(rule, '2031-01-01', '2031-02-28')).toEqual(['2031-01-31', '2031-02-28']);
    expect(ruleDates({ ...rule, rrule: 'FREQ=MONTHLY;BYDAY=-1TH' }, '2031-01-01', '2031-03-31')).toEqual(['2031-01-30', '2031-02-27', '2031-03-27']);
    expect(ruleDates({ ...rule, from: '2031-02-01' }, '2031-01-01', '2031-03-31')).toEqual(['2031-02-28', '2031-03-28']);
  });

  it('gives exactly the dates rrule gives from the anchor, in any window', () => {
    fc.assert(
      fc.property(anyRule, anchor('2000-01-01', '2030-12-31'), fc.integer({ min: -40, max: 365 * 6 }), fc.integer({ min: 0, max: 90 }), (rrule, from, offset, span) => {
        const a = addDays(from, offset);
        const b = addDays(a, span);
        expect(ruleDates(tt(rrule, '10:00', { from }), a, b)).toEqual(reference(rrule, from, a, b));
      }),
      { numRuns: 120 },
    );
  });
});
