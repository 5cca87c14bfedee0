import { describe, expect, it } from 'vitest';
import { dayRange, lastIncludedDay, parseDateRange } from './date-range.js';

const NOW = '2026-11-22T12:00:00.000Z';
const value = (text: string) => {
  const r = parseDateRange(text, NOW);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};

describe('periods as people type them', () => {
  it('reads rolling periods up to now', () => {
    expect(value('last 12 months')).toEqual({ from: '2025-11-22T12:00:00.000Z', to: NOW });
    expect(value('past 2 weeks')).toEqual({ from: '2026-11-08T12:00:00.000Z', to: NOW });
    expect(value('last year')).toEqual({ from: '2025-11-22T12:00:00.000Z', to: NOW });
  });

  it('reads dates as Europe/London days, the end day included', () => {
    expect(value('2026-01-01')).toEqual({ from: '2026-01-01T00:00:00.000Z', to: NOW });
    expect(value('2026-06')).toEqual({ from: '2026-05-31T23:00:00.000Z', to: '2026-06-30T23:00:00.000Z' });
    expect(value('2026-04-01 2026-06-30')).toEqual({ from: '2026-03-31T23:00:00.000Z', to: '2026-06-30T23:00:00.000Z' });
    expect(value('2026-04-01 to 2026-06-30')).toEqual(value('2026-04-01 2026-06-30'));
    expect(value('this month')).toEqual({ from: '2026-11-01T00:00:00.000Z', to: NOW });
    expect(value('')).toEqual({});
    expect(dayRange('2026-04-01', '')).toEqual({ from: '2026-03-31T23:00:00.000Z' });
  });

  it('reads one month, quarter, year or financial year as that whole period, in any case', () => {
    expect(value('2026-Q1')).toEqual({ from: '2026-01-01T00:00:00.000Z', to: '2026-03-31T23:00:00.000Z' });
    expect(value('fy2026')).toEqual({ from: '2026-03-31T23:00:00.000Z', to: '2027-03-31T23:00:00.000Z' });
    expect(value('2025')).toEqual({ from: '2025-01-01T00:00:00.000Z', to: '2026-01-01T00:00:00.000Z' });
  });

  it('reads two periods as from the start of the first to the end of the second', () => {
    expect(value('2026-01 2026-03')).toEqual(value('2026-Q1'));
    expect(value('FY2025 to FY2026')).toEqual({ from: '2025-03-31T23:00:00.000Z', to: '2027-03-31T23:00:00.000Z' });
    expect(value('2026-q2 2026-07-15')).toEqual({ from: '2026-03-31T23:00:00.000Z', to: '2026-07-15T23:00:00.000Z' });
    expect(value('2026 2026-03')).toEqual({ from: '2026-01-01T00:00:00.000Z', to: '2026-03-31T23:00:00.000Z' });
    expect(value('2026-03-01 2026-03-01')).toEqual({ from: '2026-03-01T00:00:00.000Z', to: '2026-03-02T00:00:00.000Z' });
  });

  it('says which word is wrong and why', () => {
    expect(parseDateRange('2026-Q5', NOW)).toMatchObject({ ok: false, error: { message: expect.stringContaining('Q1 to Q4') } });
    expect(parseDateRange('2026-01 2026-02-30', NOW)).toMatchObject({ ok: false, error: { message: expect.stringContaining('no such day') } });
    expect(parseDateRange('fy26', NOW)).toMatchObject({ ok: false, error: { message: expect.stringContaining('FY2026') } });
    expect(parseDateRange('2026-Q2 2026-01', NOW)).toMatchObject({ ok: false, error: { message: '2026-01 ends before 2026-Q2 begins' } });
  });

  it('refuses what it cannot read, saying what would work', () => {
    for (const bad of ['yesterday-ish', '2026-13-01', 'last 0 months', '2026-06-30 2026-04-01', 'last 12 fortnights', '2026-01 and 2026-02', 'fy2026 hampshire']) {
      const r = parseDateRange(bad, NOW);
      expect(r.ok, bad).toBe(false);
    }
    expect(parseDateRange('soon', NOW)).toMatchObject({ ok: false, error: { message: expect.stringContaining('last 12 months') } });
  });
});

describe('the last included day of a period', () => {
  it('is the Europe/London day before an exclusive end at local midnight, in summer and winter', () => {
    expect(lastIncludedDay('2026-06-30T23:00:00.000Z')).toBe('2026-06-30');
    expect(lastIncludedDay('2026-01-01T00:00:00.000Z')).toBe('2025-12-31');
    expect(lastIncludedDay(NOW)).toBe('2026-11-22');
  });

  it('names the day a card or command typed as the end, across the clock changes', () => {
    for (const day of ['2026-03-29', '2026-06-30', '2026-10-25', '2026-12-31']) expect(lastIncludedDay(dayRange('', day).to!)).toBe(day);
    expect(lastIncludedDay(value('2026-04-01 2026-06-30').to!)).toBe('2026-06-30');
  });

  it('ends a period still running at now', () => {
    expect(lastIncludedDay('2027-01-01T00:00:00.000Z', NOW)).toBe('2026-11-22');
    expect(lastIncludedDay('2026-06-30T23:00:00.000Z', NOW)).toBe('2026-06-30');
    expect(lastIncludedDay(NOW, NOW)).toBe('2026-11-22');
  });
});
