import { describe, expect, it } from 'vitest';
import type { Store } from '../store/store.js';
import { parseReviewArgs, scopeWord } from './review-args.js';

const NOW = '2026-11-22T12:00:00.000Z';

// Only the directory look-ups the parser makes: one force and one panel.
const store = {
  directory: {
    getForce: async (id: string) => (id === 'hampshire' ? { id } : null),
    getPanel: async (id: string) => (id === 'southampton' ? { id } : null),
  },
} as unknown as Store;

const parse = (args: string) => parseReviewArgs(store, args, NOW);

describe('typed review and attendance arguments', () => {
  it('reads `review fy2026` as the financial year, not a force or panel called fy2026', async () => {
    expect(scopeWord(' fy2026')).toBeUndefined();
    expect(scopeWord('FY2026 hampshire')).toBeUndefined();
    expect(await parse(' fy2026')).toEqual({ ok: true, value: { from: '2026-03-31T23:00:00.000Z', to: '2027-03-31T23:00:00.000Z' } });
  });

  it('says what is wrong with a period-shaped word rather than looking for a force called it', async () => {
    expect(scopeWord('fy26')).toBeUndefined();
    expect(await parse('fy26')).toMatchObject({ ok: false, error: { code: 'BAD_PERIOD', message: expect.stringContaining('FY2026') } });
    expect(await parse('2026-Q5')).toMatchObject({ ok: false, error: { message: expect.stringContaining('Q1 to Q4') } });
  });

  it('reads one period word as that whole period and two as from the first to the end of the second', async () => {
    expect(await parse('2026-Q1')).toEqual({ ok: true, value: { from: '2026-01-01T00:00:00.000Z', to: '2026-03-31T23:00:00.000Z' } });
    expect(await parse('2026')).toEqual({ ok: true, value: { from: '2026-01-01T00:00:00.000Z', to: '2027-01-01T00:00:00.000Z' } });
    expect(await parse('2026-01 2026-03')).toEqual(await parse('2026-q1'));
    expect(await parse('FY2025 to FY2026')).toEqual({ ok: true, value: { from: '2025-03-31T23:00:00.000Z', to: '2027-03-31T23:00:00.000Z' } });
  });

  it('still narrows by a force or panel named first, then reads the period', async () => {
    expect(await parse('hampshire FY2026')).toEqual({
      ok: true,
      value: { forceId: 'hampshire', from: '2026-03-31T23:00:00.000Z', to: '2027-03-31T23:00:00.000Z' },
    });
    expect(await parse('Southampton last 12 months')).toEqual({ ok: true, value: { panelId: 'southampton', from: '2025-11-22T12:00:00.000Z', to: NOW } });
    expect(await parse('atlantis 2026')).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('keeps the rolling periods and a start day running to now', async () => {
    expect(await parse('this year')).toEqual({ ok: true, value: { from: '2026-01-01T00:00:00.000Z', to: NOW } });
    expect(await parse('2026-01-01')).toEqual({ ok: true, value: { from: '2026-01-01T00:00:00.000Z', to: NOW } });
    expect(await parse('')).toEqual({ ok: true, value: {} });
  });
});
