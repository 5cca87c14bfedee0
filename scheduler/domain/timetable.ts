import { DateTime } from 'luxon';
import rrulePkg from 'rrule';
import { addDays, londonDate, nonWorkingReason, workingDayInMonth } from './calendar-days.js';
import type { PlannedMeeting, Result, RruleTimetable } from './types.js';
import { fail, ok } from './types.js';

const { RRule } = rrulePkg;
type RRuleT = InstanceType<typeof RRule>;
const ZONE = 'Europe/London';
/** The weekday calendar repeats every 28 years within 1901-2099; that span also covers leap and common Februaries. */
const CHECK_YEARS = 28;

/**
 * Builds the rule with "floating" dates: rrule computes in UTC and we read each occurrence's UTC date as
 * the local calendar date. rrule's own TZID support is unreliable across clock changes, so time-of-day
 * and the zone are applied afterwards with luxon.
 */
const rules = new Map<string, Result<RRuleT>>();

/** Rules are cached: rrule iterates from DTSTART on every query, and its own cache lives on the instance. */
function buildRule(t: RruleTimetable): Result<RRuleT> {
  const key = `${t.rrule}|${t.from}`;
  let rule = rules.get(key);
  if (!rule) {
    if (rules.size > 10_000) rules.clear();
    rule = buildUncached(t);
    rules.set(key, rule);
  }
  return rule;
}

function buildUncached(t: RruleTimetable): Result<RRuleT> {
  const text = t.rrule.replace(/^RRULE:/i, '').trim();
  if (/DTSTART|TZID|BYHOUR|BYMINUTE|BYSECOND/i.test(text)) {
    return fail('INVALID_RRULE', `"${t.rrule}" must not set DTSTART, TZID or a time of day: the timetable's \`from\` and \`start\` do`);
  }
  let options;
  try {
    options = RRule.parseString(text);
  } catch (err) {
    return fail('INVALID_RRULE', `"${t.rrule}" is not a valid RRULE: ${(err as Error).message}`);
  }
  if (options.freq === undefined) return fail('INVALID_RRULE', `"${t.rrule}" has no FREQ`);
  if (options.count != null || options.until != null) {
    return fail('RULE_ENDS', `"${t.rrule}" has COUNT or UNTIL: a guidance timetable has no end; retire the panel instead`);
  }
  if (options.freq > RRule.DAILY) return fail('INVALID_RRULE', `"${t.rrule}" repeats more often than daily`);
  const [y, m, d] = t.from.split('-').map(Number) as [number, number, number];
  try {
    return ok(new RRule({ ...options, dtstart: new Date(Date.UTC(y, m - 1, d)) }));
  } catch (err) {
    return fail('INVALID_RRULE', `"${t.rrule}" is not a valid RRULE: ${(err as Error).message}`);
  }
}

const checked = new Map<string, Result<void>>();

/** Accepts a rule only if it meets in every calendar month (after weekend and bank-holiday moves). */
export function checkTimetable(t: RruleTimetable): Result<void> {
  const key = `${t.rrule}|${t.from}`;
  const cached = checked.get(key);
  if (cached) return cached;
  const result = checkUncached(t);
  checked.set(key, result);
  return result;
}

function checkUncached(t: RruleTimetable): Result<void> {
  const built = buildRule(t);
  if (!built.ok) return built;
  const startYear = Number(t.from.slice(0, 4));
  // The month of `from` itself may start after its meeting day, so checking begins with the next month.
  const start = Date.UTC(startYear, Number(t.from.slice(5, 7)), 1);
  const end = Date.UTC(startYear + CHECK_YEARS, 0, 1);
  const months = new Set<string>();
  // Moves keep a meeting inside its month, so the rule's own dates decide which months are covered.
  built.value.all((date) => {
    if (date.getTime() >= end) return false;
    months.add(date.toISOString().slice(0, 7));
    return true;
  });
  for (let m = new Date(start); m.getTime() < end; m.setUTCMonth(m.getUTCMonth() + 1)) {
    const month = m.toISOString().slice(0, 7);
    if (months.has(month)) continue;
    return fail(
      'NOT_MONTHLY',
      `"${t.rrule}" leaves ${month} without a meeting; a panel that does not meet every month must be declared when-necessary`,
    );
  }
  return ok(undefined);
}

const instants = new Map<string, string>();

/** The instant a local wall-clock time on a local date is in Europe/London, as UTC ISO with milliseconds. */
export function localToUtc(date: string, time: string): string {
  // Memoised: planning hundreds of panels converts the same few thousand date-times over and over.
  const key = `${date}T${time}`;
  let utc = instants.get(key);
  if (utc === undefined) {
    if (instants.size > 200_000) instants.clear();
    utc = DateTime.fromISO(key, { zone: ZONE }).toUTC().toISO() as string;
    instants.set(key, utc);
  }
  return utc;
}

/** Europe/London local time with its offset, without milliseconds: 2027-05-04T10:00:00+01:00. */
export function toLocalIso(utcIso: string): string {
  return DateTime.fromISO(utcIso, { zone: 'utc' }).setZone(ZONE).toISO({ suppressMilliseconds: true }) as string;
}

/** The Europe/London calendar date of an instant. */
export const localDate = londonDate;

/**
 * The meetings a timetable gives in [fromUtc, toUtc), oldest first. A date on a weekend or bank holiday
 * moves to the nearest working day in the same month, and the meeting records the move.
 */
export function planOccurrences(panelId: string, t: RruleTimetable, fromUtc: string, toUtc: string): PlannedMeeting[] {
  const built = buildRule(t);
  if (!built.ok) return [];
  // Widen the window by a few days so a move across its edge is seen; filter on the final start below.
  const after = new Date(`${addDays(localDate(fromUtc), -7)}T00:00:00Z`);
  const before = new Date(`${addDays(localDate(toUtc), 7)}T00:00:00Z`);
  const taken = new Set<string>();
  const out: PlannedMeeting[] = [];
  for (const occ of built.value.between(after, before, true)) {
    const date = occ.toISOString().slice(0, 10);
    const reason = nonWorkingReason(date);
    const finalDate = reason ? workingDayInMonth(date) : date;
    if (taken.has(finalDate)) continue;
    taken.add(finalDate);
    const start = localToUtc(finalDate, t.start);
    if (start < fromUtc || start >= toUtc) continue;
    out.push({
      id: `${panelId}.${date}`,
      panelId,
      occurrence: date,
      start,
      end: new Date(Date.parse(start) + t.minutes * 60_000).toISOString(),
      moved: reason ? { from: localToUtc(date, t.start), reason } : null,
    });
  }
  return out;
}
