import { describe, expect, it } from 'vitest';
import { lastIncludedDay } from './date-range.js';
import { looksLikePeriod, parsePeriod, periodBound } from './periods.js';

const period = (text: string) => {
  const r = parsePeriod(text);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};
const days = (p: { from: string; to: string }) => Math.round((Date.parse(p.to) - Date.parse(p.from)) / 86_400_000);

describe('one period word', () => {
  it.each([
    // form, from (Europe/London midnight as UTC), to (the next period's start)
    ['2026-01-15', '2026-01-15T00:00:00.000Z', '2026-01-16T00:00:00.000Z'],
    ['2026-07-15', '2026-07-14T23:00:00.000Z', '2026-07-15T23:00:00.000Z'],
    ['2026-01', '2026-01-01T00:00:00.000Z', '2026-02-01T00:00:00.000Z'],
    ['2026-06', '2026-05-31T23:00:00.000Z', '2026-06-30T23:00:00.000Z'],
    ['2026-Q1', '2026-01-01T00:00:00.000Z', '2026-03-31T23:00:00.000Z'],
    ['2026-Q2', '2026-03-31T23:00:00.000Z', '2026-06-30T23:00:00.000Z'],
    ['2026-Q3', '2026-06-30T23:00:00.000Z', '2026-09-30T23:00:00.000Z'],
    ['2026-Q4', '2026-09-30T23:00:00.000Z', '2027-01-01T00:00:00.000Z'],
    ['2026', '2026-01-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z'],
    ['FY2026', '2026-03-31T23:00:00.000Z', '2027-03-31T23:00:00.000Z'],
    ['FY2025', '2025-03-31T23:00:00.000Z', '2026-03-31T23:00:00.000Z'],
  ])('%s runs from %s to %s', (text, from, to) => {
    expect(parsePeriod(text)).toEqual({ ok: true, value: { from, to } });
  });

  it('ignores case and surrounding spaces', () => {
    expect(period('fy2026')).toEqual(period('FY2026'));
    expect(period('2026-q1')).toEqual(period('2026-Q1'));
    expect(period(' 2026-03 ')).toEqual(period('2026-03'));
  });

  it('counts leap days', () => {
    expect(period('2024-02')).toEqual({ from: '2024-02-01T00:00:00.000Z', to: '2024-03-01T00:00:00.000Z' });
    expect(period('2025-02').to).toBe('2025-03-01T00:00:00.000Z');
    expect(days(period('2024'))).toBe(366);
    expect(days(period('2025'))).toBe(365);
    expect(period('2024-02-29')).toEqual({ from: '2024-02-29T00:00:00.000Z', to: '2024-03-01T00:00:00.000Z' });
    expect(days(period('FY2027'))).toBe(366); // April 2027 to March 2028 holds 29 February 2028
  });

  it('starts and ends at local midnight across the clock changes', () => {
    // Clocks go forward at 01:00 GMT on 29 March 2026 and back at 01:00 GMT on 25 October 2026.
    expect(period('2026-03-29')).toEqual({ from: '2026-03-29T00:00:00.000Z', to: '2026-03-29T23:00:00.000Z' });
    expect(period('2026-10-25')).toEqual({ from: '2026-10-24T23:00:00.000Z', to: '2026-10-26T00:00:00.000Z' });
    expect(period('2026-03')).toEqual({ from: '2026-03-01T00:00:00.000Z', to: '2026-03-31T23:00:00.000Z' });
    expect(period('2026-10')).toEqual({ from: '2026-09-30T23:00:00.000Z', to: '2026-11-01T00:00:00.000Z' });
  });

  it('ends a financial year on 31 March, whatever the clocks', () => {
    const fy = period('FY2026');
    expect(lastIncludedDay(fy.to)).toBe('2027-03-31');
    expect(fy.to).toBe(period('FY2027').from);
    expect(period('FY2026').from).toBe(period('2026-Q2').from);
  });

  it.each([
    ['2026-Q5', 'quarters are Q1 to Q4'],
    ['2026-Q0', 'quarters are Q1 to Q4'],
    ['2026-13', 'months are 01 to 12'],
    ['2026-00', 'months are 01 to 12'],
    ['2026-13-01', 'months are 01 to 12'],
    ['2026-02-30', 'no such day'],
    ['2025-02-29', 'no such day'],
    ['FY26', 'four digits'],
    ['9999', 'years run from 1900'],
    ['1066-10-14', 'years run from 1900'],
    ['fy202', 'four digits'],
    ['26', ''],
    ['2026-1', ''],
    ['Q1-2026', ''],
    ['2026-H1', ''],
    ['', ''],
    ['2026-01-01T10:00Z', ''],
  ])('refuses %j, saying why and what would do', (text, why) => {
    const r = parsePeriod(text);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.message).toContain(why);
    expect(r.error.message).toContain('`YYYY-Qn`');
    expect(r.error.message).toContain('`FY2026`');
  });

  it('knows a word shaped like a period, valid or not, from a name', () => {
    for (const word of ['fy2026', 'FY26', '2026-q5', '2026']) expect(looksLikePeriod(word)).toBe(true);
    for (const word of ['hampshire', 'fyfield', 'last', 'q1']) expect(looksLikePeriod(word)).toBe(false);
  });
});

describe('a --from or --to value', () => {
  it('is a period word\'s start or exclusive end', () => {
    expect(periodBound('2027-05-04', 'from')).toEqual({ ok: true, value: '2027-05-03T23:00:00.000Z' });
    expect(periodBound('2027-05-04', 'to')).toEqual({ ok: true, value: '2027-05-04T23:00:00.000Z' });
    expect(periodBound('fy2026', 'to')).toEqual({ ok: true, value: '2027-03-31T23:00:00.000Z' });
  });

  it('keeps an instant with a time exactly, a local one read in Europe/London', () => {
    expect(periodBound('2026-06-01T10:00:00Z', 'to')).toEqual({ ok: true, value: '2026-06-01T10:00:00.000Z' });
    expect(periodBound('2026-06-01T10:00', 'from')).toEqual({ ok: true, value: '2026-06-01T09:00:00.000Z' });
    expect(periodBound('2026-06-01T10:00+02:00', 'from')).toEqual({ ok: true, value: '2026-06-01T08:00:00.000Z' });
  });

  it.each(['2026-Q5', 'next tuesday', '2026-06-01T25:00Z', 'FY26', 'last 6 months'])('refuses %j naming the forms', (text) => {
    const r = periodBound(text, 'from');
    expect(r).toMatchObject({ ok: false, error: { message: expect.stringContaining('instant with a time') } });
  });
});
