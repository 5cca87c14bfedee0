import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isWorkingDay } from './calendar-days.js';
import { checkTimetable, localDate, planOccurrences, toLocalIso } from './timetable.js';
import type { RruleTimetable } from './types.js';

const DAYS = ['MO', 'TU', 'WE', 'TH', 'FR'];
/** Rules that meet at least monthly: nth weekday, a day of the month up to 28, weekly and up to four-weekly. */
const monthlyOrTighter = fc.oneof(
  fc.tuple(fc.constantFrom(1, 2, 3, 4, -1), fc.constantFrom(...DAYS)).map(([n, d]) => `FREQ=MONTHLY;BYDAY=${n}${d}`),
  fc.integer({ min: 1, max: 28 }).map((d) => `FREQ=MONTHLY;BYMONTHDAY=${d}`),
  fc.tuple(fc.integer({ min: 1, max: 4 }), fc.constantFrom(...DAYS)).map(([i, d]) => `FREQ=WEEKLY;INTERVAL=${i};BYDAY=${d}`),
);
const timetable = fc.record({
  rrule: monthlyOrTighter,
  start: fc.integer({ min: 7 * 4, max: 18 * 4 }).map((q) => `${String(Math.floor(q / 4)).padStart(2, '0')}:${String((q % 4) * 15).padStart(2, '0')}`),
  minutes: fc.integer({ min: 30, max: 240 }),
  from: fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2024-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
}).map((t): RruleTimetable => ({ kind: 'rrule', ...t }));

describe('any monthly-or-tighter timetable, any year 2025 to 2035', () => {
  it('is accepted, meets every month on working days at the configured local time', () => {
    fc.assert(
      fc.property(timetable, fc.integer({ min: 2025, max: 2035 }), (t, y) => {
        expect(checkTimetable(t).ok).toBe(true);
        const ms = planOccurrences('p', t, `${y}-01-01T00:00:00.000Z`, `${y + 1}-01-01T00:00:00.000Z`);
        const months = new Set(ms.map((m) => localDate(m.start).slice(0, 7)));
        for (let m = 1; m <= 12; m++) expect(months.has(`${y}-${String(m).padStart(2, '0')}`)).toBe(true);
        for (const m of ms) {
          expect(isWorkingDay(localDate(m.start))).toBe(true);
          expect(toLocalIso(m.start).slice(11, 16)).toBe(t.start);
          expect(Date.parse(m.end) - Date.parse(m.start)).toBe(t.minutes * 60_000);
          // A move stays in the month of the date the rule gave.
          expect(localDate(m.start).slice(0, 7)).toBe(m.occurrence.slice(0, 7));
          expect(m.moved === null).toBe(isWorkingDay(m.occurrence));
        }
      }),
      { numRuns: 120 },
    );
  });

  it('never plans two meetings of one panel on the same day', () => {
    fc.assert(
      fc.property(timetable, fc.integer({ min: 2025, max: 2035 }), (t, y) => {
        const days = planOccurrences('p', t, `${y}-01-01T00:00:00.000Z`, `${y + 1}-01-01T00:00:00.000Z`).map((m) => localDate(m.start));
        expect(new Set(days).size).toBe(days.length);
      }),
      { numRuns: 60 },
    );
  });
});
