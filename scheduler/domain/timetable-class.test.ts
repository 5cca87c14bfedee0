import fc from 'fast-check';
import rrulePkg from 'rrule';
import { describe, expect, it } from 'vitest';
import { addDays } from './calendar-days.js';
import { checkTimetable, firstEmptyMonth, timetableClass } from './timetable-class.js';
import { localDate, planOccurrences } from './timetable.js';
import type { RruleTimetable } from './types.js';

const { RRule } = rrulePkg;

const tt = (rrule: string, extra: Partial<RruleTimetable> = {}): RruleTimetable => ({
  kind: 'rrule', rrule, start: '10:00', minutes: 120, from: '2020-01-01', ...extra,
});
const refused = (t: RruleTimetable) => {
  const r = checkTimetable(t);
  return r.ok ? null : r.error;
};

describe('the three kinds of timetable', () => {
  it.each([
    // On the guidance timetable (monthly): every calendar month has a meeting.
    ['FREQ=MONTHLY;BYDAY=1MO', 'guidance'],
    ['FREQ=MONTHLY;BYDAY=2TU', 'guidance'],
    ['FREQ=MONTHLY;BYDAY=-1FR', 'guidance'],
    ['FREQ=WEEKLY;INTERVAL=2;BYDAY=TH', 'guidance'],
    ['FREQ=WEEKLY;INTERVAL=2', 'guidance'],
    ['FREQ=WEEKLY;INTERVAL=4;BYDAY=MO', 'guidance'],
    ['FREQ=WEEKLY;BYDAY=WE', 'guidance'],
    ['FREQ=MONTHLY;BYDAY=4FR', 'guidance'],
    ['FREQ=MONTHLY;BYMONTHDAY=15', 'guidance'],
    ['FREQ=MONTHLY;BYMONTHDAY=28', 'guidance'],
    ['FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1', 'guidance'],
    ['FREQ=YEARLY;BYMONTH=1,2,3,4,5,6,7,8,9,10,11,12;BYDAY=1TU', 'guidance'],
    ['FREQ=DAILY', 'guidance'],
    ['FREQ=DAILY;INTERVAL=28', 'guidance'],
    ['RRULE:FREQ=MONTHLY;BYDAY=1MO', 'guidance'],
    ['freq=monthly;byday=2tu;', 'guidance'],
    // Fixed, but below the guidance: some months have no meeting.
    ['FREQ=WEEKLY;INTERVAL=6;BYDAY=TU', 'below-guidance'],
    ['FREQ=MONTHLY;INTERVAL=3;BYDAY=2TU', 'below-guidance'],
    ['FREQ=YEARLY', 'below-guidance'],
    ['FREQ=MONTHLY;INTERVAL=2', 'below-guidance'],
    ['FREQ=MONTHLY;BYDAY=5MO', 'below-guidance'],
    ['FREQ=MONTHLY;BYMONTHDAY=31', 'below-guidance'],
    ['FREQ=MONTHLY;BYMONTHDAY=29', 'below-guidance'],
    ['FREQ=WEEKLY;INTERVAL=5;BYDAY=TH', 'below-guidance'],
    ['FREQ=DAILY;INTERVAL=29', 'below-guidance'],
    ['FREQ=MONTHLY;BYMONTH=1,2,3,4,5,6,7,8,9,10,11;BYDAY=1MO', 'below-guidance'],
    ['FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29', 'below-guidance'],
  ])('%s is %s, and accepted', (rule, kind) => {
    expect(timetableClass(tt(rule))).toBe(kind);
    expect(checkTimetable(tt(rule))).toEqual({ ok: true, value: undefined });
  });

  it('says when-necessary for a panel with no fixed timetable', () => {
    expect(timetableClass({ kind: 'when-necessary', start: '10:00', minutes: 120 })).toBe('when-necessary');
  });

  it('counts a refused rule, which plans nothing, as below the guidance', () => {
    expect(timetableClass(tt('FREQ=HOURLY'))).toBe('below-guidance');
    expect(timetableClass(tt('FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=30'))).toBe('below-guidance');
  });

  it('names the first month a rule below the guidance leaves empty, and none for a monthly rule', () => {
    expect(firstEmptyMonth(tt('FREQ=MONTHLY;INTERVAL=2'))).toBe('2020-02');
    expect(firstEmptyMonth(tt('FREQ=MONTHLY;BYMONTHDAY=31', { from: '2025-06-15' }))).toBe('2025-09');
    expect(firstEmptyMonth(tt('FREQ=MONTHLY;BYDAY=5MO', { from: '2027-01-01' }))).toBe('2027-02');
    // Every 6 weeks from Tuesday 6 January 2026: 17 February, 31 March, 12 May; April has none.
    expect(firstEmptyMonth(tt('FREQ=WEEKLY;INTERVAL=6;BYDAY=TU', { from: '2026-01-06' }))).toBe('2026-04');
    expect(firstEmptyMonth(tt('FREQ=MONTHLY;BYDAY=2TU'))).toBeNull();
  });
});

describe('refusing a timetable', () => {
  it.each([
    ['FREQ=HOURLY', 'MORE_THAN_DAILY'],
    ['FREQ=MINUTELY', 'MORE_THAN_DAILY'],
    ['FREQ=SECONDLY', 'MORE_THAN_DAILY'],
    ['FREQ=DAILY;BYHOUR=9,10', 'MORE_THAN_DAILY'],
    ['FREQ=MONTHLY;BYDAY=2TU;BYHOUR=10;BYMINUTE=0,30', 'MORE_THAN_DAILY'],
    ['FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=30', 'PLANS_NOTHING'],
    ['FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=31', 'PLANS_NOTHING'],
    ['FREQ=WEEKLY;BYDAY=MO;BYSETPOS=2', 'PLANS_NOTHING'],
    ['FREQ=YEARLY;INTERVAL=4;BYMONTH=2;BYMONTHDAY=29', 'PLANS_NOTHING'], // from 2021: never a leap year
    ['FREQ=MONTHLY;BYDAY=2TU;UNTIL=20210101T000000Z', 'RULE_ENDS'],
    ['FREQ=MONTHLY;BYDAY=2TU;UNTIL=20301231T000000Z', 'RULE_ENDS'],
    ['FREQ=MONTHLY;BYDAY=2TU;COUNT=12', 'RULE_ENDS'],
    ['FREQ=MONTHLY;INTERVAL=0', 'INVALID_RRULE'],
    ['DTSTART:20270101T100000Z\nRRULE:FREQ=MONTHLY;BYDAY=2TU', 'INVALID_RRULE'],
    ['FREQ=MONTHLY;BYDAY=2TU;DTSTART=20270101T100000Z', 'INVALID_RRULE'],
    ['FREQ=MONTHLY;BYDAY=2TU;BYHOUR=10', 'INVALID_RRULE'],
    ['FREQ=MONTHLY;BYDAY=2XX', 'INVALID_RRULE'],
    ['FREQ=SOMETIMES', 'INVALID_RRULE'],
    ['every second tuesday', 'INVALID_RRULE'],
    ['garbage', 'INVALID_RRULE'],
    ['', 'INVALID_RRULE'],
  ])('refuses %j (%s)', (rule, code) => {
    expect(refused(tt(rule, { from: '2021-01-01' }))?.code).toBe(code);
  });

  it('refuses an anchor that is not a date', () => {
    expect(refused(tt('FREQ=MONTHLY;BYDAY=2TU', { from: '2027-02-30' }))?.code).toBe('INVALID_FROM');
  });

  it('names the rule and why', () => {
    expect(refused(tt('FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=30'))?.message).toBe(
      '"FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=30" plans no meeting: no date from 2020-01-01 to 2048-12-31 matches every part of it',
    );
    expect(refused(tt('FREQ=HOURLY'))?.message).toBe('"FREQ=HOURLY" repeats more often than daily: a panel meets at most once a day, at the timetable\'s `start`');
    expect(refused(tt('FREQ=DAILY;BYHOUR=9,10'))?.message).toMatch(/^"FREQ=DAILY;BYHOUR=9,10" plans 2 meetings a day/);
    expect(refused(tt('FREQ=MONTHLY;BYDAY=2TU;COUNT=12'))?.message).toMatch(/^"FREQ=MONTHLY;BYDAY=2TU;COUNT=12" has COUNT or UNTIL.*no end.*retire the panel/);
  });
});

const DAYS = ['MO', 'TU', 'WE', 'TH', 'FR'];
const anchor = fc
  .date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2030-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
/** Rules that leave months empty: every second-to-sixth month, a fifth weekday, days 29 to 31, five-weekly or longer. */
const notMonthly = fc.oneof(
  fc.tuple(fc.integer({ min: 2, max: 6 }), fc.constantFrom(...DAYS)).map(([i, d]) => `FREQ=MONTHLY;INTERVAL=${i};BYDAY=1${d}`),
  fc.constantFrom(...DAYS).map((d) => `FREQ=MONTHLY;BYDAY=5${d}`),
  fc.integer({ min: 29, max: 31 }).map((d) => `FREQ=MONTHLY;BYMONTHDAY=${d}`),
  fc.tuple(fc.integer({ min: 5, max: 8 }), fc.constantFrom(...DAYS)).map(([i, d]) => `FREQ=WEEKLY;INTERVAL=${i};BYDAY=${d}`),
);

describe('any rule that can leave a month empty', () => {
  it('is accepted below the guidance, and the month it names really has no meeting', () => {
    fc.assert(
      fc.property(notMonthly, anchor, (rrule, from) => {
        const t = tt(rrule, { from });
        expect(checkTimetable(t).ok).toBe(true);
        expect(timetableClass(t)).toBe('below-guidance');
        const month = firstEmptyMonth(t) ?? '';
        expect(month > from.slice(0, 7)).toBe(true);
        const ms = planOccurrences('p', t, `${addDays(`${month}-01`, -1)}T00:00:00Z`, `${addDays(`${month}-28`, 5)}T00:00:00Z`);
        expect(ms.filter((m) => localDate(m.start).startsWith(month))).toEqual([]);
      }),
      { numRuns: 100 },
    );
  });
});

/** A wide family of rules: every frequency, intervals up to 7, day, month and first/last picks (BYMONTH=11 from a 31st gives none). */
const someRule = fc
  .tuple(
    fc.constantFrom('YEARLY', 'MONTHLY', 'WEEKLY', 'DAILY'),
    fc.integer({ min: 1, max: 7 }),
    fc.option(fc.subarray(['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'], { minLength: 1, maxLength: 3 }), { nil: undefined }),
    fc.option(fc.constantFrom(1, 2, -1), { nil: undefined }),
    fc.option(fc.subarray([1, 2, 5, 8, 11, 12], { minLength: 1 }), { nil: undefined }),
    fc.option(fc.constantFrom(1, -1), { nil: undefined }),
  )
  .map(([freq, interval, days, nth, months, setpos]) => {
    const parts = [`FREQ=${freq}`, `INTERVAL=${interval}`];
    if (days) parts.push(`BYDAY=${days.map((d) => (nth && (freq === 'MONTHLY' || freq === 'YEARLY') ? `${nth}${d}` : d)).join(',')}`);
    if (months) parts.push(`BYMONTH=${months.join(',')}`);
    if (setpos && days) parts.push(`BYSETPOS=${setpos}`);
    return parts.join(';');
  });

/**
 * From rrule's own dates, walking from the real anchor: the first month after the anchor's that has none within the
 * 28 years checked, null when every month has one, or 'none' when there is no date at all.
 */
function referenceEmptyMonth(rrule: string, from: string): string | null {
  const start = new Date(`${from}T00:00:00Z`);
  const lastYear = start.getUTCFullYear() + 28;
  const dates = new RRule({ ...RRule.parseString(rrule), dtstart: start }, true).between(start, new Date(Date.UTC(lastYear, 11, 31)), true);
  if (dates.length === 0) return 'none';
  const months = new Set(dates.map((d) => d.getUTCFullYear() * 12 + d.getUTCMonth()));
  for (let m = start.getUTCFullYear() * 12 + start.getUTCMonth() + 1; m < (lastYear + 1) * 12; m++) {
    if (!months.has(m)) return `${Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}`;
  }
  return null;
}

describe('the check, which reads a rule centuries later to bound its cost', () => {
  it('refuses the rules rrule walking from the real anchor finds no date for, and names the same first empty month for the rest', () => {
    fc.assert(
      fc.property(someRule, anchor, (rrule, from) => {
        const expected = referenceEmptyMonth(rrule, from);
        expect(refused(tt(rrule, { from }))?.code).toBe(expected === 'none' ? 'PLANS_NOTHING' : undefined);
        if (expected !== 'none') expect(firstEmptyMonth(tt(rrule, { from }))).toBe(expected);
      }),
      { numRuns: 60 },
    );
  });
});
