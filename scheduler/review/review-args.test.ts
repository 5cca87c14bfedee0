import { describe, expect, it } from 'vitest';
import type { Store } from '../store/store.js';
import { noAccess, type Access } from '../people/access.js';
import { parseReviewArgs, scopeRequest, scopeValue, scopeWord } from './review-args.js';

const NOW = '2026-11-22T12:00:00.000Z';

// Only the directory look-ups the parser makes: forces and panels, one panel sharing a force's id.
const FORCES = [
  { id: 'hampshire', name: 'Hampshire and Isle of Wight Constabulary', areas: [{ id: 'hants-south', name: 'South Hampshire', panels: ['southampton'], leads: [], deputies: [] }] },
  { id: 'cambs', name: 'Cambridgeshire Constabulary' },
  { id: 'leics', name: 'Leicestershire Police' },
];
const PANELS = [
  { id: 'southampton', name: 'Southampton Channel panel', forces: ['hampshire'] },
  { id: 'hampshire', name: 'Hampshire Channel panel', forces: ['hampshire'] },
  { id: 'peterborough-rutland', name: 'Peterborough and Rutland Channel panel', forces: ['cambs', 'leics'] },
  { id: 'leicestershire', name: 'Leicestershire Channel panel', forces: ['leics'] },
];
const store = {
  directory: {
    getForce: async (id: string) => FORCES.find((f) => f.id === id) ?? null,
    getPanel: async (id: string) => PANELS.find((p) => p.id === id) ?? null,
    listForces: async () => FORCES,
    listPanels: async () => PANELS,
  },
} as unknown as Store;
const access = (forces: string[], national = false): Access => ({ ...noAccess('a'), national, forces: new Set(forces) });

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

  it('answers a mistyped force or panel with those the person may see, by name, nearest first, and nothing else', async () => {
    const leics = await parseReviewArgs(store, 'leicester last 6 months', NOW, { access: access(['leics']), command: 'attendance' });
    expect(leics).toEqual({
      ok: false,
      error: {
        code: 'NOT_FOUND',
        message: 'There is no force or panel "leicester". You can see: Leicestershire Channel panel (`attendance leicestershire`), Leicestershire Police (`attendance leics`), '
          + 'Peterborough and Rutland Channel panel (`attendance peterborough-rutland`). Or type `attendance` alone for everything you may see.',
      },
    });
    // Another force's lead is offered nothing of Hampshire's, however close the word, and a real force or panel
    // of another reads exactly as one that does not exist.
    expect(JSON.stringify(leics)).not.toMatch(/hampshire|southampton|cambs/i);
    const asLeics = (args: string) => parseReviewArgs(store, args, NOW, { access: access(['leics']), command: 'review' });
    const absent = JSON.stringify(await asLeics('nosuch'));
    for (const other of ['hampshire', 'southampton', 'cambs']) expect(JSON.stringify(await asLeics(other)).replaceAll(other, 'nosuch')).toBe(absent);
    expect(await asLeics('peterborough-rutland 2026')).toMatchObject({ ok: true, value: { panelId: 'peterborough-rutland' } });
    const national = await parseReviewArgs(store, 'cambz', NOW, { access: access([], true), command: 'review' });
    expect(national.ok ? '' : national.error.message).toMatch(/^There is no force or panel "cambz"\. You can see: Cambridgeshire Constabulary \(`review cambs`\), /);
    // A panel whose id a force also has cannot be typed, so it is not offered.
    expect(national.ok ? '' : national.error.message).not.toContain('Hampshire Channel panel');
    expect(await parse('cambz')).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: 'There is no force or panel "cambz".' } });
  });
});

describe('an area as the scope (issue 24)', () => {
  it('reads an area id as the area, for those who see it, with the period after it', async () => {
    const r = await parseReviewArgs(store, 'hants-south 2026-Q1', NOW, { access: access(['hampshire']), command: 'review' });
    expect(r.ok && r.value).toMatchObject({ areaId: 'hants-south', from: expect.any(String), to: expect.any(String) });
    const team: Access = { ...noAccess('t'), areas: new Map([['hants-south', { forceId: 'hampshire', panels: new Set(['southampton']) }]]) };
    expect((await parseReviewArgs(store, 'hants-south', NOW, { access: team, command: 'review' })).ok).toBe(true);
  });

  it("answers someone who may not see the area as for a word naming nothing, offering the areas they may see", async () => {
    const asker = { access: access(['cambs']), command: 'review' as const };
    const hidden = await parseReviewArgs(store, 'hants-south', NOW, asker);
    const none = await parseReviewArgs(store, 'nosuch', NOW, asker);
    expect(!hidden.ok && hidden.error.message.replaceAll('hants-south', 'nosuch')).toBe(!none.ok && none.error.message);
    expect(!hidden.ok && hidden.error.message).not.toContain('South Hampshire');
    const lead = await parseReviewArgs(store, 'hants-sout', NOW, { access: access(['hampshire']), command: 'attendance' });
    expect(!lead.ok && lead.error.message).toMatch(/You can see: South Hampshire \\\(Hampshire and Isle of Wight Constabulary\\\) \(`attendance hants-south`\)/);
  });

  it('carries an area in the card filter both ways', () => {
    expect(scopeRequest('area:hants-south')).toEqual({ areaId: 'hants-south' });
    expect(scopeValue({ areaId: 'hants-south' })).toBe('area:hants-south');
  });
});
