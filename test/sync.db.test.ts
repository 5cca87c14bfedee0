import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { verifyAuditLog } from '../scheduler/audit/verify.js';
import type { PanelsConfig } from '../scheduler/domain/types.js';
import { parsePanelsConfig } from '../scheduler/planning/panels-config.js';
import { planMeetings, syncPanels } from '../scheduler/planning/sync.js';
import { STORE_KINDS, TEST_AUDIT_KEY, type TestStore, useFreshStore } from './support/stores.js';

const NOW = '2026-11-22T12:00:00.000Z';

function sample(): PanelsConfig {
  const r = parsePanelsConfig(parse(readFileSync('config/panels.sample.yaml', 'utf8')));
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

async function auditCount(t: TestStore): Promise<number> {
  return (await t.store.audit.page(0, 1_000_000)).length;
}

describe.each(STORE_KINDS)('sync on %s', (kind) => {
  const t = useFreshStore(kind);

  it('plans every timetabled panel 12 months ahead, and nothing for a when-necessary panel', async () => {
    const report = await syncPanels(t.store, sample(), NOW);
    expect(report.forces.added).toBe(6);
    expect(report.panels.added).toBe(10);
    const meetings = await t.store.meetings.list();
    expect(report.meetings.planned).toBe(meetings.length);
    expect(meetings.filter((m) => m.panelId === 'isles-of-scilly')).toEqual([]);
    const pr = meetings.filter((m) => m.panelId === 'peterborough-rutland');
    expect(pr).toHaveLength(12);
    expect(pr.every((m) => m.start > NOW && m.start < '2027-11-22T12:00:00.000Z')).toBe(true);
    // Fortnightly: 26 or 27 in a year.
    expect(meetings.filter((m) => m.panelId === 'nottingham').length).toBeGreaterThanOrEqual(26);
    expect(await verifyAuditLog(t.store, TEST_AUDIT_KEY)).toMatchObject({ entries: report.changes, broken: null, state: [] });
  });

  it('records a bank-holiday move on the meeting', async () => {
    await syncPanels(t.store, sample(), NOW);
    const may = await t.store.meetings.get('southampton.2027-05-03');
    expect(may).toMatchObject({
      start: '2027-05-04T09:00:00.000Z',
      moved: { from: '2027-05-03T09:00:00.000Z', reason: 'bank holiday: Early May bank holiday' },
    });
  });

  it('changes nothing when run twice', async () => {
    await syncPanels(t.store, sample(), NOW);
    const before = await t.store.meetings.list();
    const entries = await auditCount(t);
    const again = await syncPanels(t.store, sample(), NOW);
    expect(again.changes).toBe(0);
    expect(await t.store.meetings.list()).toEqual(before);
    expect(await auditCount(t)).toBe(entries);
  });

  it('rolls the window forward a month without touching what is there', async () => {
    await syncPanels(t.store, sample(), NOW);
    const r = await planMeetings(t.store, '2026-12-22T12:00:00.000Z');
    expect(r.replanned).toBe(0);
    expect(r.unplanned).toBe(0);
    expect(r.planned).toBeGreaterThanOrEqual(9);
    expect(await t.store.meetings.get('peterborough-rutland.2027-12-14')).not.toBeNull();
  });

  it('re-plans only future plain meetings when a rule changes', async () => {
    const cfg = sample();
    await syncPanels(t.store, cfg, '2026-10-01T12:00:00.000Z');
    const pastId = 'peterborough-rutland.2026-11-10';
    const nominated = (await t.store.meetings.get('peterborough-rutland.2027-01-12'))!;
    const cancelled = (await t.store.meetings.get('peterborough-rutland.2027-02-09'))!;
    await t.store.meetings.update({ ...nominated, locked: true }, NOW);
    await t.store.meetings.update({ ...cancelled, status: 'cancelled', locked: true }, NOW);

    const pr = cfg.panels.find((p) => p.id === 'peterborough-rutland')!;
    pr.timetable = { kind: 'rrule', rrule: 'FREQ=MONTHLY;BYDAY=3TU', start: '10:00', minutes: 120, from: '2020-01-01' };
    const r = await syncPanels(t.store, cfg, NOW);
    expect(r.panels.changed).toBe(1);

    const ids = (await t.store.meetings.list({ panelIds: ['peterborough-rutland'] })).map((m) => m.id);
    expect(ids).toContain(pastId);
    expect(ids).toContain(nominated.id);
    expect(ids).toContain(cancelled.id);
    expect(ids).not.toContain('peterborough-rutland.2027-03-09');
    expect(ids).toContain('peterborough-rutland.2027-03-16');
    expect(await t.store.meetings.get(nominated.id)).toEqual({ ...nominated, locked: true });
    const actions = (await t.store.audit.page(0, 100_000)).map((e) => e.action);
    expect(actions).toContain('panel.changed');
    expect(actions).toContain('meeting.unplanned');
  });

  it('retires a panel removed from the file and keeps its history', async () => {
    const cfg = sample();
    await syncPanels(t.store, cfg, '2026-10-01T12:00:00.000Z');
    cfg.panels = cfg.panels.filter((p) => p.id !== 'portsmouth');
    const r = await syncPanels(t.store, cfg, NOW);
    expect(r.panels.retired).toBe(1);
    expect((await t.store.directory.getPanel('portsmouth'))?.retired).toBe(true);
    expect((await t.store.directory.listPanels()).map((p) => p.id)).not.toContain('portsmouth');
    const left = await t.store.meetings.list({ panelIds: ['portsmouth'] });
    expect(left.length).toBeGreaterThan(0);
    expect(left.every((m) => m.start < NOW)).toBe(true);
  });
});
