import rrulePkg from 'rrule';
import type { Options } from 'rrule';
import { memo } from './memo.js';
import { expander, isSet, parseRule, type Rule } from './timetable.js';
import type { Result, RruleTimetable, Timetable } from './types.js';
import { fail, ok } from './types.js';

const { RRule } = rrulePkg;

/**
 * The three kinds of timetable the inspection tells apart: one that meets every calendar month (the guidance
 * timetable, read as monthly), a fixed rule that leaves some months empty (every 6 weeks, quarterly), and none.
 */
export type TimetableClass = 'guidance' | 'below-guidance' | 'when-necessary';

/**
 * Whole calendar years checked after `from`: the weekday calendar repeats every 28 years within 1901-2099,
 * and those 28 years hold a leap February starting on each weekday as well as every common month shape.
 */
const CHECK_YEARS = 28;
/** The Gregorian calendar repeats exactly every 400 years: 146,097 days, a whole number of weeks. */
const CYCLE_YEARS = 400;
/** rrule walks up to this year looking for a date, however long a rule goes without one. */
const LAST_YEAR = 9999;

/**
 * A weekly or daily rule with no other filter, whose period is at most 28 days, meets in every month: no
 * month is shorter than 28 days, and its first date is within 27 days of `from`. Saying so without
 * expanding keeps fortnightly and daily rules cheap to check.
 */
function meetsEvery28Days(o: Partial<Options>): boolean {
  if ([o.bymonth, o.bymonthday, o.byyearday, o.byweekno, o.bysetpos, o.byeaster].some(isSet)) return false;
  const k = o.interval ?? 1;
  if (o.freq === RRule.WEEKLY) return isSet(o.byweekday) && 7 * k <= 28;
  return o.freq === RRule.DAILY && !isSet(o.byweekday) && k <= 28;
}

/**
 * The same rule anchored whole 400-year cycles later, as near rrule's last year as the check allows. It gives the
 * same dates, shifted (the calendar, and the rule's periods counted from its anchor, repeat exactly), but a rule
 * that never matches costs rrule only the few centuries left before it gives up, not the eight thousand years
 * after today. Easter does not repeat every 400 years, so a BYEASTER rule stays where it is.
 */
function lateCopy(rule: Rule): { rule: Rule; cycles: number } {
  const year = rule.from.getUTCFullYear();
  const cycles = isSet(rule.options.byeaster) ? 0 : Math.max(0, Math.floor((LAST_YEAR - year - CHECK_YEARS) / CYCLE_YEARS));
  const from = new Date(rule.from);
  from.setUTCFullYear(year + cycles * CYCLE_YEARS);
  return { rule: { options: rule.options, from }, cycles };
}

/** Months counted as year * 12 + month (0-11), back to YYYY-MM. */
const monthName = (n: number) => `${Math.floor(n / 12)}-${String((n % 12) + 1).padStart(2, '0')}`;

/**
 * Whether the rule gives any date within CHECK_YEARS whole years after `from`, and the first calendar month
 * after the month of `from` (which may begin after its meeting day) that it leaves without one.
 */
function coverage(original: Rule): { anyDate: boolean; emptyMonth: string | null } {
  const { rule, cycles } = lateCopy(original);
  let next = rule.from.getUTCFullYear() * 12 + rule.from.getUTCMonth() + 1;
  const end = Math.min(rule.from.getUTCFullYear() + CHECK_YEARS + 1, LAST_YEAR + 1) * 12;
  let anyDate = false;
  // Moves keep a meeting inside its month, so the rule's own dates decide which months are covered.
  expander(rule, rule.from).all((d) => {
    const month = d.getUTCFullYear() * 12 + d.getUTCMonth();
    if (month >= end) return false; // past the window: stop expanding
    anyDate = true;
    if (month > next) return false; // a gap: stop expanding
    if (month === next) next += 1;
    return true;
  });
  return { anyDate, emptyMonth: next < end ? monthName(next - cycles * CYCLE_YEARS * 12) : null };
}

/** Refuses a rule that plans nothing; else the first month it leaves empty, or null when it meets every month. */
function analyse(t: Pick<RruleTimetable, 'rrule' | 'from'>): Result<{ emptyMonth: string | null }> {
  const parsed = parseRule(t);
  if (!parsed.ok) return parsed;
  if (meetsEvery28Days(parsed.value.options)) return ok({ emptyMonth: null });
  const { anyDate, emptyMonth } = coverage(parsed.value);
  if (anyDate) return ok({ emptyMonth });
  const last = `${Number(t.from.slice(0, 4)) + CHECK_YEARS}-12-31`;
  return fail('PLANS_NOTHING', `"${t.rrule}" plans no meeting: no date from ${t.from} to ${last} matches every part of it`);
}

// Memoised: the config is checked at every sync, and every card and flag asks for the class of the same few hundred rules.
const analysis = memo((key) => {
  const bar = key.indexOf('|');
  return analyse({ from: key.slice(0, bar), rrule: key.slice(bar + 1) });
}, 10_000);
const analysed = (t: RruleTimetable) => analysis(`${t.from}|${t.rrule}`);

/**
 * Accepts a rule that parses, has no end, plans something and plans at most one meeting a day, whether or not it
 * meets every month (timetableClass says which). Refused: INVALID_RRULE, INVALID_FROM, RULE_ENDS, MORE_THAN_DAILY
 * and PLANS_NOTHING, each naming the rule and why.
 */
export function checkTimetable(t: RruleTimetable): Result<void> {
  const r = analysed(t);
  return r.ok ? ok(undefined) : r;
}

/**
 * Which of the three kinds a timetable is. A rule is on the guidance timetable when every calendar month after
 * the month of its `from` has a meeting (after weekend and bank-holiday moves, which stay within the month);
 * a rule checkTimetable refuses plans nothing, so it is below the guidance too.
 */
export function timetableClass(t: Timetable): TimetableClass {
  if (t.kind === 'when-necessary') return 'when-necessary';
  const r = analysed(t);
  return r.ok && r.value.emptyMonth === null ? 'guidance' : 'below-guidance';
}

/** The first calendar month (YYYY-MM) after the month of `from` that the rule leaves without a meeting; null when none is, or the rule is refused. */
export function firstEmptyMonth(t: RruleTimetable): string | null {
  const r = analysed(t);
  return r.ok ? r.value.emptyMonth : null;
}
