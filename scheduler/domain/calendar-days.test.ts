import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, addWorkingDays, bankHoliday, isWorkingDay, nonWorkingReason, workingDayInMonth } from './calendar-days.js';

describe('bank holidays of England and Wales', () => {
  it.each([
    ['2027-01-01', "New Year's Day"],
    ['2027-03-26', 'Good Friday'],
    ['2027-03-29', 'Easter Monday'],
    ['2027-05-03', 'Early May bank holiday'],
    ['2027-05-31', 'Spring bank holiday'],
    ['2027-08-30', 'Summer bank holiday'],
    ['2027-12-27', 'Christmas Day (substitute day)'],
    ['2027-12-28', 'Boxing Day (substitute day)'],
    ['2022-01-03', "New Year's Day (substitute day)"],
    ['2028-01-03', "New Year's Day (substitute day)"],
    ['2022-06-02', 'Spring bank holiday'],
    ['2022-06-03', 'Queen’s Platinum Jubilee'],
    ['2022-09-19', "Queen Elizabeth's Funeral Day"],
    ['2023-05-08', "King Charles III's Coronation"],
  ])('%s is %s, not a working day', (date, name) => {
    expect(bankHoliday(date)).toBe(name);
    expect(nonWorkingReason(date)).toBe(`bank holiday: ${name}`);
    expect(isWorkingDay(date)).toBe(false);
  });

  it.each([
    ['2029-01-02', 'Scotland: 2 January'],
    ['2027-11-30', 'Scotland: St Andrew’s Day'],
    ['2027-08-02', 'Scotland: summer bank holiday'],
    ['2027-03-17', 'Northern Ireland: St Patrick’s Day'],
    ['2027-07-12', 'Northern Ireland: Battle of the Boyne'],
    ['2022-05-30', 'the late-May Monday the 2022 Jubilee moved'],
    ['2023-05-09', 'the day after the Coronation'],
  ])('%s is a working day in England and Wales (%s)', (date) => {
    expect(bankHoliday(date)).toBeNull();
    expect(nonWorkingReason(date)).toBeNull();
    expect(isWorkingDay(date)).toBe(true);
  });

  it('leaves out observances such as Mother’s Day and Easter Sunday (they are only weekends)', () => {
    expect(bankHoliday('2027-03-07')).toBeNull();
    expect(nonWorkingReason('2027-03-07')).toBe('weekend: Sunday');
    expect(nonWorkingReason('2027-03-28')).toBe('weekend: Sunday');
  });
});

describe('weekends', () => {
  it('names Saturday and Sunday', () => {
    expect(nonWorkingReason('2027-01-30')).toBe('weekend: Saturday');
    expect(nonWorkingReason('2027-01-31')).toBe('weekend: Sunday');
    expect(isWorkingDay('2027-01-30')).toBe(false);
    expect(isWorkingDay('2027-02-01')).toBe(true);
  });

  it('reports a bank holiday that falls on a weekend as the bank holiday', () => {
    expect(nonWorkingReason('2027-12-25')).toBe('bank holiday: Christmas Day'); // a Saturday
    expect(nonWorkingReason('2027-12-26')).toBe('bank holiday: Boxing Day'); // a Sunday
  });
});

describe('counting working days', () => {
  it.each([
    ['2027-05-07', 1, '2027-05-10', 'over a weekend'],
    ['2027-04-30', 1, '2027-05-04', 'over a weekend and the Early May bank holiday'],
    ['2027-05-04', -1, '2027-04-30', 'back over the bank holiday and the weekend'],
    ['2027-12-24', 1, '2027-12-29', 'over Christmas and both substitute days'],
    ['2027-12-31', 1, '2028-01-04', 'into a new year whose 1 January is a Saturday'],
    ['2027-05-14', -10, '2027-04-29', 'ten working days before a meeting, over a bank holiday'],
    ['2027-05-20', -10, '2027-05-06', 'ten working days before a meeting'],
    ['2027-05-04', 0, '2027-05-04', 'no days from a working day'],
    ['2027-05-01', 0, '2027-05-04', 'no days from a Saturday before a bank holiday'],
  ])('%s %+d working days is %s (%s)', (date, n, expected) => {
    expect(addWorkingDays(date, n)).toBe(expected);
  });

  it('moves to the nearest working day in the same month', () => {
    expect(workingDayInMonth('2027-05-03')).toBe('2027-05-04');
    expect(workingDayInMonth('2027-01-31')).toBe('2027-01-29');
    expect(workingDayInMonth('2027-02-02')).toBe('2027-02-02');
  });

  const workingDay = fc
    .integer({ min: 0, max: 365 * 15 })
    .map((i) => addDays('2024-01-01', i))
    .filter(isWorkingDay);

  it('lands on a working day, exactly |n| working days away, and comes back with -n', () => {
    fc.assert(
      fc.property(workingDay, fc.integer({ min: -40, max: 40 }).filter((n) => n !== 0), (date, n) => {
        const there = addWorkingDays(date, n);
        expect(isWorkingDay(there)).toBe(true);
        expect(there > date).toBe(n > 0);
        let between = 0;
        const [lo, hi] = n > 0 ? [date, there] : [there, date];
        for (let d = addDays(lo, 1); d <= hi; d = addDays(d, 1)) if (isWorkingDay(d)) between += 1;
        expect(between).toBe(Math.abs(n));
        expect(addWorkingDays(there, -n)).toBe(date);
      }),
      { numRuns: 200 },
    );
  });
});
