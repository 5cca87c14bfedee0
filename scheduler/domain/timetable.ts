import { DateTime } from 'luxon';
import rrulePkg from 'rrule';
import type { Options } from 'rrule';
import { memo } from './memo.js';
import { addDays, londonDate, nonWorkingReason, workingDayInMonth } from './calendar-days.js';
import type { PlannedMeeting, Result, RruleTimetable } from './types.js';
import { fail, ok } from './types.js';

const { RRule, Weekday } = rrulePkg;
type RRuleT = InstanceType<typeof RRule>;
type RuleOptions = Partial<Options>;
const ZONE = 'Europe/London';
const DAY_MS = 86_400_000;
const ALL_MONTHS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
const ALL_WEEKDAYS = [0, 1, 2, 3, 4, 5, 6];

/**
 * A rule read by rrule with "floating" dates: rrule computes in UTC and each occurrence's UTC date is read
 * as the local calendar date (rrule's TZID support is unreliable across clock changes, so the time of day
 * and the zone are applied afterwards with luxon). The options are explicit: every default rrule would take
 * from DTSTART (day of month, weekday) is written out, so DTSTART can be moved without changing the dates.
 */
export interface Rule {
  options: RuleOptions;
  from: Date;
}

/** Whether an rrule option is given: not null, not an empty list. */
export const isSet = (v: unknown): boolean => v != null && !(Array.isArray(v) && v.length === 0);
const orNull = <T>(v: T[] | null | undefined): T[] | null => (v && v.length > 0 ? v : null);

const rules = new Map<string, Result<Rule>>();

/** Rules are parsed once per rule and anchor: planning asks for the same few hundred over and over. */
export function parseRule(t: Pick<RruleTimetable, 'rrule' | 'from'>): Result<Rule> {
  const key = `${t.rrule}|${t.from}`;
  let rule = rules.get(key);
  if (!rule) {
    if (rules.size > 10_000) rules.clear();
    rule = parseUncached(t);
    rules.set(key, rule);
  }
  return rule;
}

function parseUncached(t: Pick<RruleTimetable, 'rrule' | 'from'>): Result<Rule> {
  // RFC 5545 names and values are case-insensitive; a trailing ';' is a common slip, not a second rule part.
  const text = t.rrule.trim().replace(/^RRULE:/i, '').replace(/;+$/, '').toUpperCase();
  if (/[\r\n]|DTSTART|TZID/.test(text)) {
    return fail('INVALID_RRULE', `"${t.rrule}" must be one RRULE without DTSTART or TZID: the timetable's \`from\` and \`start\` give those`);
  }
  let options: RuleOptions;
  try {
    options = RRule.parseString(text);
  } catch (err) {
    return fail('INVALID_RRULE', `"${t.rrule}" is not a valid RRULE: ${(err as Error).message}`);
  }
  if (options.freq === undefined) return fail('INVALID_RRULE', `"${t.rrule}" has no FREQ`);
  const tooOften = moreThanDaily(t.rrule, options);
  if (tooOften) return tooOften;
  if (options.count != null || options.until != null) {
    return fail('RULE_ENDS', `"${t.rrule}" has COUNT or UNTIL: a panel's timetable has no end; retire the panel instead`);
  }
  if (options.interval !== undefined && !(Number.isInteger(options.interval) && options.interval >= 1)) {
    return fail('INVALID_RRULE', `"${t.rrule}" needs an INTERVAL of 1 or more`);
  }
  const from = new Date(`${t.from}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(t.from) || Number.isNaN(from.getTime()) || !from.toISOString().startsWith(t.from)) {
    return fail('INVALID_FROM', `"${t.from}" is not a date YYYY-MM-DD`);
  }
  try {
    return ok({ options: explicitOptions(options, from), from });
  } catch (err) {
    return fail('INVALID_RRULE', `"${t.rrule}" is not a valid RRULE: ${(err as Error).message}`);
  }
}

/** How many values a BYHOUR, BYMINUTE or BYSECOND part gives (one when absent). */
const count = (v: number | number[] | null | undefined): number => (Array.isArray(v) ? Math.max(new Set(v).size, 1) : 1);

/** A refusal for a rule that plans more than one meeting a day, or that gives a time of day `start` already gives; else null. */
function moreThanDaily(rrule: string, o: RuleOptions): Result<never> | null {
  const why = "a panel meets at most once a day, at the timetable's `start`";
  if ((o.freq as number) > RRule.DAILY) return fail('MORE_THAN_DAILY', `"${rrule}" repeats more often than daily: ${why}`);
  const perDay = count(o.byhour) * count(o.byminute) * count(o.bysecond);
  if (perDay > 1) return fail('MORE_THAN_DAILY', `"${rrule}" plans ${perDay} meetings a day (BYHOUR, BYMINUTE or BYSECOND): ${why}`);
  if ([o.byhour, o.byminute, o.bysecond].some(isSet)) {
    return fail('INVALID_RRULE', `"${rrule}" gives a time of day (BYHOUR, BYMINUTE or BYSECOND): the timetable's \`start\` gives it`);
  }
  return null;
}

/** rrule's own reading of the options anchored at `from`, with the defaults it takes from DTSTART written out. */
function explicitOptions(o: RuleOptions, from: Date): RuleOptions {
  const p = new RRule({ ...o, dtstart: from }, true).options;
  const days = [
    ...(p.byweekday ?? []).map((d) => new Weekday(d)),
    ...(p.bynweekday ?? []).map(([d, n]) => new Weekday(d ?? 0, n)),
  ];
  return {
    freq: p.freq,
    interval: p.interval,
    wkst: p.wkst,
    bymonth: orNull(p.bymonth),
    bymonthday: orNull([...p.bymonthday, ...p.bynmonthday]),
    byyearday: orNull(p.byyearday),
    byweekno: orNull(p.byweekno),
    bysetpos: orNull(p.bysetpos),
    byweekday: orNull(days),
    byeaster: p.byeaster,
  };
}

/**
 * The same dates as a yearly rule, when there is one. rrule allocates a year-sized array for every period it
 * visits, so a monthly rule costs twelve times, and a weekly one fifty-two times, a yearly one. A rule that
 * keeps every period (INTERVAL=1) and does not pick within periods (no BYSETPOS) filters days exactly as a
 * yearly rule with the same filters; BYMONTH keeps a monthly rule's "nth weekday" counted within each month.
 */
function yearlyEquivalent(o: RuleOptions): RuleOptions | null {
  if (o.interval !== 1 || isSet(o.bysetpos)) return null;
  if (o.freq === RRule.YEARLY) return o;
  if (o.freq === RRule.MONTHLY) {
    // BYMONTH is only needed to count "nth weekday" within months, and costs a lookup for every day.
    const nth = ((o.byweekday ?? []) as InstanceType<typeof Weekday>[]).some((d) => d.n);
    return { ...o, freq: RRule.YEARLY, bymonth: o.bymonth ?? (nth ? ALL_MONTHS : null) };
  }
  // A daily rule with no day filter means every day, which a yearly rule only says with all seven weekdays.
  const anyDay = [o.bymonthday, o.byyearday, o.byweekno, o.byweekday, o.byeaster].every((v) => !isSet(v));
  return { ...o, freq: RRule.YEARLY, byweekday: anyDay ? ALL_WEEKDAYS : o.byweekday };
}

/** Start of the week (by WKST, 0 = Monday) containing a UTC-midnight date. */
function weekStart(d: Date, wkst: number): Date {
  const weekday = (d.getUTCDay() + 6) % 7;
  return new Date(d.getTime() - ((weekday - wkst + 7) % 7) * DAY_MS);
}

/**
 * A DTSTART after `from`, at the start of one of the rule's own periods and not after `notBefore`, so rrule
 * need not walk the years between. Exact because the options are explicit and periods keep their lattice.
 */
function periodStartNear(o: RuleOptions, from: Date, notBefore: Date): Date {
  if (notBefore <= from) return from;
  const k = o.interval ?? 1;
  const [fy, fm] = [from.getUTCFullYear(), from.getUTCMonth()];
  let start: Date;
  if (o.freq === RRule.YEARLY) {
    start = new Date(Date.UTC(fy + Math.floor((notBefore.getUTCFullYear() - fy) / k) * k, 0, 1));
  } else if (o.freq === RRule.MONTHLY) {
    const months = (notBefore.getUTCFullYear() - fy) * 12 + notBefore.getUTCMonth() - fm;
    start = new Date(Date.UTC(fy, fm + Math.floor(months / k) * k, 1));
  } else {
    const first = o.freq === RRule.WEEKLY ? weekStart(from, o.wkst as number) : from;
    const step = (o.freq === RRule.WEEKLY ? 7 : 1) * k * DAY_MS;
    start = new Date(first.getTime() + Math.floor((notBefore.getTime() - first.getTime()) / step) * step);
  }
  return start > from ? start : from;
}

/** The cheapest rrule giving exactly the rule's occurrences from `notBefore` on. */
export function expander(rule: Rule, notBefore: Date): RRuleT {
  const options = yearlyEquivalent(rule.options) ?? rule.options;
  return new RRule({ ...options, dtstart: periodStartNear(options, rule.from, notBefore) }, true);
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

// Memoised: every card render converts the same few meeting times, and luxon's zone conversion is the costliest step of a render.
/** Europe/London local time with its offset, to the second: 2027-05-04T10:00:00+01:00. */
export const toLocalIso = memo(
  (utcIso) => DateTime.fromISO(utcIso, { zone: 'utc' }).setZone(ZONE).startOf('second').toISO({ suppressMilliseconds: true }) as string,
  20_000,
);

/** The Europe/London calendar date of an instant. */
export const localDate = londonDate;

/** The rule's own local dates (YYYY-MM-DD, before any move) from fromDate to toDate inclusive; none for an invalid rule. */
export function ruleDates(t: RruleTimetable, fromDate: string, toDate: string): string[] {
  // Kept per rule and window of dates: every sync on the same day expands each panel's rule over the same dates.
  return [...ruleDatesKept(JSON.stringify([t, fromDate, toDate]))];
}

const keepRuleDates = () =>
  memo((key: string): readonly string[] => {
    const [t, fromDate, toDate] = JSON.parse(key) as [RruleTimetable, string, string];
    return Object.freeze(expandRule(t, fromDate, toDate));
  }, 4_096);
let ruleDatesKept = keepRuleDates();

/** Forgets every rule expanded so far: the planning bench's first sync starts cold, as a new process does. */
export function forgetRuleDates(): void {
  ruleDatesKept = keepRuleDates();
}

function expandRule(t: RruleTimetable, fromDate: string, toDate: string): string[] {
  const parsed = parseRule(t);
  if (!parsed.ok) return [];
  const [after, before] = [new Date(`${fromDate}T00:00:00Z`), new Date(`${toDate}T00:00:00Z`)];
  return expander(parsed.value, after)
    .between(after, before, true)
    .map((d) => d.toISOString().slice(0, 10));
}

/**
 * The meetings a timetable gives whose (moved) start is in [fromUtc, toUtc), oldest first. A date on a
 * weekend or bank holiday moves to the nearest working day in the same month, and the meeting records the
 * move; two dates moved onto one day make one meeting, the earlier. An invalid rule plans nothing
 * (checkTimetable in timetable-class.ts says why).
 */
export function planOccurrences(panelId: string, t: RruleTimetable, fromUtc: string, toUtc: string): PlannedMeeting[] {
  const [lo, hi] = [Date.parse(fromUtc), Date.parse(toUtc)];
  const taken = new Set<string>();
  const out: PlannedMeeting[] = [];
  // A week more each side, so a move across the window's edge is seen; the filter is on the final start.
  for (const date of ruleDates(t, addDays(localDate(fromUtc), -7), addDays(localDate(toUtc), 7))) {
    const reason = nonWorkingReason(date);
    const finalDate = reason ? workingDayInMonth(date) : date;
    if (taken.has(finalDate)) continue;
    taken.add(finalDate);
    const start = localToUtc(finalDate, t.start);
    const at = Date.parse(start);
    if (at < lo || at >= hi) continue;
    out.push({
      id: `${panelId}.${date}`,
      panelId,
      occurrence: date,
      start,
      end: new Date(at + t.minutes * 60_000).toISOString(),
      moved: reason ? { from: localToUtc(date, t.start), reason } : null,
    });
  }
  return out;
}
