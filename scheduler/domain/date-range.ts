import { DateTime } from 'luxon';
import { londonDate } from './calendar-days.js';
import { looksLikePeriod, parsePeriod } from './periods.js';
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

/**
 * Reads a period as people type it: `last 12 months`, `last 2 weeks`, `this month`, `this year`, `2026-01-01`
 * (from that day to now), one month, quarter, year or financial year (`2026-01`, `2026-Q1`, `2026`, `FY2026`:
 * that whole period), or two of those (`2026-01 2026-03`, `FY2025 to FY2026`: from the start of the first to the
 * end of the second). Dates are Europe/London days. Empty text is no restriction.
 */
export function parseDateRange(text: string, now: string): Result<DateRange> {
  const words = text.trim().toLowerCase().split(/\s+/).filter(Boolean);
  if (!words.length) return ok({});
  const rolling = rollingRange(words.join(' '), now);
  if (rolling) return rolling;
  if (words.length === 1) return single(words[0]!, now) ?? bad(text);
  if (words.length === 2 || (words.length === 3 && words[1] === 'to')) return between(words[0]!, words[words.length - 1]!, text);
  return bad(text);
}

/** `last 6 months`, `past week`, `this month`, `this year`: up to now. Null when the text is none of those. */
export function rollingRange(text: string, now: string): Result<DateRange> | null {
  const words = text.trim().toLowerCase().split(/\s+/);
  const nowDt = DateTime.fromISO(now, { zone: 'utc' }).setZone(ZONE);
  const last = /^(?:last|past) (?:(\d{1,3}) )?(day|week|month|year)s?$/.exec(words.join(' '));
  if (last) {
    const n = Number(last[1] ?? 1);
    if (n < 1) return fail('BAD_RANGE', 'a period needs at least one day, week, month or year');
    return ok({ from: iso(nowDt.minus({ [UNITS[last[2] as keyof typeof UNITS]]: n })), to: now });
  }
  const unit = words[1];
  if (words.length === 2 && words[0] === 'this' && (unit === 'month' || unit === 'year')) return ok({ from: iso(nowDt.startOf(unit)), to: now });
  return null;
}

/** One period word: a day runs from that day to now; a month, quarter, year or financial year is the whole of it. */
function single(word: string, now: string): Result<DateRange> | null {
  if (!looksLikePeriod(word)) return null;
  const p = parsePeriod(word);
  if (!p.ok) return p;
  return ok(/^\d{4}-\d{2}-\d{2}$/.test(word) ? { from: p.value.from, to: now } : p.value);
}

/** From the start of one period word to the end of another, both included. */
function between(first: string, second: string, text: string): Result<DateRange> {
  if (!looksLikePeriod(first) || !looksLikePeriod(second)) return bad(text);
  const [a, b] = [parsePeriod(first), parsePeriod(second)];
  if (!a.ok) return a;
  if (!b.ok) return b;
  if (b.value.to <= a.value.from) return fail('BAD_RANGE', `${echo(second.toUpperCase())} ends before ${echo(first.toUpperCase())} begins`);
  return ok({ from: a.value.from, to: b.value.to });
}

const bad = (text: string) =>
  fail(
    'BAD_RANGE',
    `"${echo(text)}" is not a period: try \`last 12 months\`, \`this year\`, \`2026-01-01\` (to now), \`2026-01\`, \`2026-Q1\`, \`2026\`, ` +
      `\`FY2026\` (April to March) or two of those, such as \`2026-01 2026-03\``,
  );

/**
 * A period's default: the last 12 months up to now, in whole Europe/London days (on 2 Dec 2026, from 3 Dec 2025),
 * so the period, and the previous one that ends where it starts, name days that do not overlap.
 */
export function lastMonths(now: string, months = 12): DateRange {
  return { from: iso(DateTime.fromISO(now, { zone: 'utc' }).setZone(ZONE).minus({ months }).plus({ days: 1 }).startOf('day')), to: now };
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
