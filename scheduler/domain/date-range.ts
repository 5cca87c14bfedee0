import { DateTime } from 'luxon';
import { londonDate } from './calendar-days.js';
import { echo } from './text.js';
import { fail, ok, type Result } from './types.js';

/** A period as instants (ISO UTC); `to` is exclusive. A missing end is open. */
export interface DateRange {
  from?: string;
  to?: string;
}

const ZONE = 'Europe/London';
const UNITS = { day: 'days', week: 'weeks', month: 'months', year: 'years' } as const;

/** Midnight in Europe/London at the start of a YYYY-MM-DD or YYYY-MM, or null when it is not one. */
function localStart(text: string): DateTime | null {
  if (!/^\d{4}-\d{2}(-\d{2})?$/.test(text)) return null;
  const dt = DateTime.fromISO(text, { zone: ZONE });
  return dt.isValid ? dt : null;
}

const iso = (dt: DateTime) => dt.toUTC().toISO() as string;

/** One date or month as a whole period: `2026-01` is January, `2026-01-01` that day onwards. */
function single(text: string, now: string): Result<DateRange> | null {
  const start = localStart(text);
  if (!start) return null;
  if (text.length === 7) return ok({ from: iso(start), to: iso(start.plus({ months: 1 })) });
  return ok({ from: iso(start), to: now });
}

/**
 * Reads a period as people type it: `last 12 months`, `last 2 weeks`, `this month`, `this year`, `2026-01-01`
 * (from that day to now), `2026-01` (that month), `2026-01-01 2026-06-30` (both days included).
 * Dates are Europe/London days. Empty text is no restriction.
 */
export function parseDateRange(text: string, now: string): Result<DateRange> {
  const words = text.trim().toLowerCase().split(/\s+/).filter(Boolean);
  const nowDt = DateTime.fromISO(now, { zone: 'utc' }).setZone(ZONE);
  if (!words.length) return ok({});
  const last = /^(?:last|past) (?:(\d{1,3}) )?(day|week|month|year)s?$/.exec(words.join(' '));
  if (last) {
    const n = Number(last[1] ?? 1);
    if (n < 1) return fail('BAD_RANGE', 'a period needs at least one day, week, month or year');
    return ok({ from: iso(nowDt.minus({ [UNITS[last[2] as keyof typeof UNITS]]: n })), to: now });
  }
  const unit = words[1];
  if (words.length === 2 && words[0] === 'this' && (unit === 'month' || unit === 'year')) return ok({ from: iso(nowDt.startOf(unit)), to: now });
  if (words.length === 1) return single(words[0]!, now) ?? bad(text);
  if (words.length === 2 || (words.length === 3 && words[1] === 'to')) {
    const [a, b] = [localStart(words[0]!), localStart(words[words.length - 1]!)];
    if (!a || !b || words[0]!.length !== 10 || words[words.length - 1]!.length !== 10) return bad(text);
    if (b < a) return fail('BAD_RANGE', `${words[words.length - 1]} is before ${words[0]}`);
    return ok({ from: iso(a), to: iso(b.plus({ days: 1 })) });
  }
  return bad(text);
}

const bad = (text: string) =>
  fail('BAD_RANGE', `"${echo(text)}" is not a period: try \`last 12 months\`, \`2026-01-01\`, \`2026-01\` or \`2026-01-01 2026-06-30\``);

/** A period's default start: the last 12 months up to now. */
export function lastMonths(now: string, months = 12): DateRange {
  return { from: iso(DateTime.fromISO(now, { zone: 'utc' }).setZone(ZONE).minus({ months })), to: now };
}

/** Whole Europe/London days from a card's date inputs (YYYY-MM-DD, either may be empty); `to` is included. */
export function dayRange(from: string, to: string): DateRange {
  const [a, b] = [from ? localStart(from) : null, to ? localStart(to) : null];
  return { ...(a ? { from: iso(a) } : {}), ...(b ? { to: iso(b.plus({ days: 1 })) } : {}) };
}

/**
 * The last Europe/London day (YYYY-MM-DD) a period ending at `to` includes: `to` is exclusive, so the day of the
 * instant a millisecond before it. Given `now`, a period still running ends now, so a future `to` names today.
 */
export function lastIncludedDay(to: string, now?: string): string {
  const end = now !== undefined && now < to ? now : to;
  return londonDate(new Date(Date.parse(end) - 1).toISOString());
}
