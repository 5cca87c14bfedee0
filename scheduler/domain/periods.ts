import { DateTime, type DurationLikeObject } from 'luxon';
import { echo } from './text.js';
import { fail, ok, type Result } from './types.js';

/** A whole period as instants (ISO UTC): `from` its first Europe/London midnight, `to` the next period's (exclusive). */
export interface Period {
  from: string;
  to: string;
}

const ZONE = 'Europe/London';

/** The period forms as a person reads them, for messages. */
export const PERIOD_FORMS = '`YYYY-MM-DD`, `YYYY-MM`, `YYYY-Qn` (Q1 to Q4), `YYYY` or a financial year `FY2026` (1 April 2026 to 31 March 2027)';

const iso = (dt: DateTime) => dt.toUTC().toISO() as string;

/** The period starting at local midnight on that day and lasting `length`, or why there is no such day. */
function span(year: string, month: number, day: number, length: DurationLikeObject): Period | string {
  const start = DateTime.fromObject({ year: Number(year), month, day }, { zone: ZONE });
  if (!start.isValid) return month < 1 || month > 12 ? 'months are 01 to 12' : 'there is no such day';
  const end = start.plus(length);
  // Before 1900 London kept odd offsets; past 9999 ISO strings grow a sign and stop sorting as instants.
  if (start.year < 1900 || end.year > 9999) return 'years run from 1900 to 9998';
  return { from: iso(start), to: iso(end) };
}

// Each form with how to read it; a match that names no real period says why instead.
const FORMS: Array<[RegExp, (m: string[]) => Period | string]> = [
  [/^(\d{4})-(\d{2})-(\d{2})$/, ([, y, m, d]) => span(y!, Number(m), Number(d), { days: 1 })],
  [/^(\d{4})-(\d{2})$/, ([, y, m]) => span(y!, Number(m), 1, { months: 1 })],
  [/^(\d{4})-Q(\d)$/, ([, y, q]) => (Number(q) >= 1 && Number(q) <= 4 ? span(y!, 3 * Number(q) - 2, 1, { months: 3 }) : 'quarters are Q1 to Q4')],
  [/^(\d{4})$/, ([, y]) => span(y!, 1, 1, { years: 1 })],
  [/^FY(\d{4})$/, ([, y]) => span(y!, 4, 1, { years: 1 })],
];

/** One period word, read case-insensitively, or the reason it names no period (null: it has none of the forms). */
function readPeriod(text: string): Period | string | null {
  const word = text.trim().toUpperCase();
  for (const [re, read] of FORMS) {
    const m = re.exec(word);
    if (m) return read(m);
  }
  return /^FY\d+$/.test(word) ? 'a financial year has four digits, as in FY2026' : null;
}

/**
 * One period word, read case-insensitively: a day (`2026-04-01`), month (`2026-04`), quarter (`2026-Q2`), year
 * (`2026`) or financial year (`FY2026`: 1 April 2026 to 31 March 2027), each from Europe/London midnight.
 */
export function parsePeriod(text: string): Result<Period> {
  const p = readPeriod(text);
  if (p !== null && typeof p !== 'string') return ok(p);
  return fail('BAD_PERIOD', `"${echo(text)}" is not a period${p ? ` (${p})` : ''}: use ${PERIOD_FORMS}`);
}

/** Whether the word has one of the period forms, valid or not (so it is not read as a name). */
export const looksLikePeriod = (word: string): boolean => readPeriod(word) !== null;

/**
 * A `--from` or `--to` value as an instant: a period word's start (`from`) or exclusive end (`to`, so the
 * whole day or period is included), or an ISO-8601 instant with a time, taken as it is (a local time in Europe/London).
 */
export function periodBound(text: string, edge: 'from' | 'to'): Result<string> {
  const p = readPeriod(text);
  if (p !== null && typeof p !== 'string') return ok(p[edge]);
  if (p === null && /^\d{4}-?\d{2}-?\d{2}T/i.test(text.trim())) {
    const instant = DateTime.fromISO(text.trim(), { zone: ZONE });
    if (instant.isValid) return ok(iso(instant));
  }
  const why = p ?? (/T/i.test(text) ? 'not an ISO-8601 instant' : '');
  return fail('BAD_PERIOD', `"${echo(text)}" is not a date, period or instant${why ? ` (${why})` : ''}: use ${PERIOD_FORMS}, or an instant with a time such as 2026-04-01T09:30Z`);
}
