import Holidays from 'date-holidays';
import { DateTime } from 'luxon';

// England-and-Wales bank holidays, computed offline by date-holidays (rules for any year, one-offs such as
// the 2022 Platinum Jubilee and 2023 Coronation, and substitute days). Scotland and Northern Ireland differ.
const holidays = new Holidays('GB', 'ENG');
const byYear = new Map<number, Map<string, string>>();

/** The year's bank holidays by date, built once per year on first use so each lookup is one Map read. */
function yearTable(year: number): Map<string, string> {
  let table = byYear.get(year);
  if (!table) {
    table = new Map();
    // Neighbouring years too, in case a substitute day ever falls across New Year from its holiday.
    for (const y of [year - 1, year, year + 1]) {
      for (const h of holidays.getHolidays(y)) {
        const date = h.date.slice(0, 10);
        if ((h.type !== 'public' && h.type !== 'bank') || Number(date.slice(0, 4)) !== year) continue;
        if (!table.has(date)) table.set(date, h.name);
      }
    }
    byYear.set(year, table);
  }
  return table;
}

/** The bank holiday's name on a local date (YYYY-MM-DD) in England and Wales, else null. */
export function bankHoliday(date: string): string | null {
  return yearTable(Number(date.slice(0, 4))).get(date) ?? null;
}

/** 1 = Monday … 7 = Sunday, for a YYYY-MM-DD date. */
function weekday(date: string): number {
  const d = new Date(`${date}T00:00:00Z`).getUTCDay();
  return d === 0 ? 7 : d;
}

/** Why a local date is not a working day ('bank holiday: …' or 'weekend: Saturday'), else null. */
export function nonWorkingReason(date: string): string | null {
  const holiday = bankHoliday(date);
  if (holiday) return `bank holiday: ${holiday}`;
  const wd = weekday(date);
  if (wd === 6) return 'weekend: Saturday';
  if (wd === 7) return 'weekend: Sunday';
  return null;
}

/** Monday to Friday and not a bank holiday of England and Wales. */
export function isWorkingDay(date: string): boolean {
  return weekday(date) < 6 && bankHoliday(date) === null;
}

/** Adds calendar days to a YYYY-MM-DD date. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * The date n working days after (n > 0) or before (n < 0) the given one; with n = 0, the date itself
 * when it is a working day, else the next working day.
 */
export function addWorkingDays(date: string, n: number): string {
  let d = date;
  // A fractional n would otherwise count one working day more than its whole part.
  n = Math.trunc(n);
  if (n === 0) {
    while (!isWorkingDay(d)) d = addDays(d, 1);
    return d;
  }
  const step = n > 0 ? 1 : -1;
  for (let left = Math.abs(n); left > 0; ) {
    d = addDays(d, step);
    if (isWorkingDay(d)) left -= 1;
  }
  return d;
}

/** The nearest working day in the same calendar month: the next one, or the previous one if the next leaves the month. */
export function workingDayInMonth(date: string): string {
  const next = addWorkingDays(date, 0);
  if (next.slice(0, 7) === date.slice(0, 7)) return next;
  let d = date;
  while (!isWorkingDay(d)) d = addDays(d, -1);
  return d;
}

const dates = new Map<string, string>();

/** The calendar date in Europe/London of an instant (memoised: planning asks for the same few over and over). */
export function londonDate(utcIso: string): string {
  let date = dates.get(utcIso);
  if (date === undefined) {
    if (dates.size > 100_000) dates.clear();
    date = DateTime.fromISO(utcIso, { zone: 'utc' }).setZone('Europe/London').toISODate() as string;
    dates.set(utcIso, date);
  }
  return date;
}
