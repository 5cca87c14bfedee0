import { beforeEach, describe, expect, it } from 'vitest';
import type { Force, Meeting, Panel } from '../scheduler/domain/types.js';
import { verifyAuditLog } from '../scheduler/audit/verify.js';
import { STORE_KINDS, TEST_AUDIT_KEY, useFreshStore } from './support/stores.js';

const AT = '2026-11-22T12:00:00.000Z';
const lead = { aadObjectId: '11111111-1111-4111-8111-111111111111', name: 'Priya Shah' };
const deputy = { aadObjectId: '22222222-2222-4222-8222-222222222222', name: 'Tom Whitfield' };
const chair = { aadObjectId: '33333333-3333-4333-8333-333333333333', name: 'Joanne Ellis' };

const force = (id: string, extra: Partial<Force> = {}): Force => ({
  id, name: `${id} police`, preventLeads: [lead], deputies: [deputy], teamsChannelId: null, retired: false, ...extra,
});
const panel = (id: string, forces: string[], extra: Partial<Panel> = {}): Panel => ({
  id, name: `${id} panel`, localAuthority: `${id} council`, forces, chairs: [chair],
  timetable: { kind: 'rrule', rrule: 'FREQ=MONTHLY;BYDAY=2TU', start: '10:00', minutes: 120, from: '2020-01-01' },
  teamsChannelId: '19:abc@thread.tacv2', retired: false, ...extra,
});
const meeting = (id: string, panelId: string, start: string, extra: Partial<Meeting> = {}): Meeting => ({
  id, panelId, occurrence: start.slice(0, 10), start, end: start.replace('T09', 'T11'), status: 'scheduled',
  moved: null, extra: false, version: 1, locked: false, ...extra,
});

describe.each(STORE_KINDS)('store contract on %s', (kind) => {
  const t = useFreshStore(kind);

  it('saves and reads back forces with their leads and deputies in order', async () => {
    await t.store.directory.saveForce(force('cambs', { preventLeads: [lead, chair] }), AT);
    await t.store.directory.saveForce(force('leics', { deputies: [] }), AT);
    expect(await t.store.directory.getForce('cambs')).toEqual(force('cambs', { preventLeads: [lead, chair] }));
    expect((await t.store.directory.listForces()).map((f) => f.id)).toEqual(['cambs', 'leics']);
    expect(await t.store.directory.getForce('nope')).toBeNull();
  });

  it('retires a force without deleting it', async () => {
    await t.store.directory.saveForce(force('cambs'), AT);
    await t.store.directory.saveForce(force('cambs', { retired: true }), AT);
    expect(await t.store.directory.listForces()).toEqual([]);
    expect((await t.store.directory.getForce('cambs'))?.retired).toBe(true);
    expect(await t.store.directory.listForces({ includeRetired: true })).toHaveLength(1);
  });

  it('saves panels with forces, chairs and timetable, and replaces them on change', async () => {
    await t.store.directory.saveForce(force('cambs'), AT);
    await t.store.directory.saveForce(force('leics'), AT);
    await t.store.directory.savePanel(panel('pr', ['cambs', 'leics']), AT);
    expect(await t.store.directory.getPanel('pr')).toEqual(panel('pr', ['cambs', 'leics']));
    const changed = panel('pr', ['leics'], { timetable: { kind: 'when-necessary', start: '10:00', minutes: 120 }, teamsChannelId: null });
    await t.store.directory.savePanel(changed, AT);
    expect(await t.store.directory.getPanel('pr')).toEqual(changed);
  });

  it('lists every role a person holds', async () => {
    await t.store.directory.saveForce(force('cambs'), AT);
    await t.store.directory.savePanel(panel('pr', ['cambs'], { chairs: [chair, lead] }), AT);
    await t.store.directory.setNationalLeads([lead]);
    const roles = (await t.store.directory.rolesOf(lead.aadObjectId)).map((r) => `${r.role}:${r.scopeId}`).sort();
    expect(roles).toEqual(['chair:pr', 'national-lead:', 'prevent-lead:cambs']);
    expect(await t.store.directory.rolesOf('00000000-0000-4000-8000-000000000000')).toEqual([]);
  });

  it('keeps national leads', async () => {
    await t.store.directory.setNationalLeads([lead, deputy]);
    expect(await t.store.directory.listNationalLeads()).toEqual([lead, deputy]);
    await t.store.directory.setNationalLeads([deputy]);
    expect(await t.store.directory.listNationalLeads()).toEqual([deputy]);
  });

  describe('meetings', () => {
    beforeEach(async () => {
      for (const f of ['cambs', 'leics']) await t.store.directory.saveForce(force(f), AT);
      await t.store.directory.savePanel(panel('a', ['cambs']), AT);
      await t.store.directory.savePanel(panel('b', ['cambs', 'leics']), AT);
      await t.store.meetings.insertMany(
        [
          meeting('a.1', 'a', '2027-01-12T09:00:00.000Z'),
          meeting('b.1', 'b', '2027-01-05T09:00:00.000Z', { moved: { from: '2027-01-04T09:00:00.000Z', reason: 'bank holiday: x' } }),
          meeting('b.2', 'b', '2027-02-09T09:00:00.000Z', { status: 'cancelled', locked: true, version: 3 }),
          meeting('b.x', 'b', '2027-02-20T09:00:00.000Z', { occurrence: null, extra: true }),
        ],
        AT,
      );
    });

    it('lists oldest first and filters by panel, force, time and status', async () => {
      const ids = async (f: Parameters<typeof t.store.meetings.list>[0]) => (await t.store.meetings.list(f)).map((m) => m.id);
      expect(await ids({})).toEqual(['b.1', 'a.1', 'b.2', 'b.x']);
      expect(await ids({ panelIds: ['a'] })).toEqual(['a.1']);
      expect(await ids({ panelIds: [] })).toEqual([]);
      expect(await ids({ forceId: 'leics' })).toEqual(['b.1', 'b.2', 'b.x']);
      expect(await ids({ from: '2027-01-12T09:00:00.000Z', to: '2027-02-20T09:00:00.000Z' })).toEqual(['a.1', 'b.2']);
      expect(await ids({ statuses: ['cancelled'] })).toEqual(['b.2']);
    });

    it('round-trips every field, updates and deletes', async () => {
      const b1 = await t.store.meetings.get('b.1');
      // createdAt is the store's: when the meeting was first inserted.
      expect(b1).toEqual({ ...meeting('b.1', 'b', '2027-01-05T09:00:00.000Z', { moved: { from: '2027-01-04T09:00:00.000Z', reason: 'bank holiday: x' } }), createdAt: AT });
      expect(await t.store.meetings.get('b.x')).toMatchObject({ occurrence: null, extra: true });
      await t.store.meetings.update({ ...b1!, status: 'held', version: 2, locked: true, moved: null }, AT);
      expect(await t.store.meetings.get('b.1')).toMatchObject({ status: 'held', version: 2, locked: true, moved: null });
      await t.store.meetings.deleteMany(['a.1', 'b.x']);
      expect((await t.store.meetings.list()).map((m) => m.id)).toEqual(['b.1', 'b.2']);
    });

    it('rolls a failed transaction back whole', async () => {
      await expect(
        t.store.transaction(async (tx) => {
          await tx.meetings.deleteMany(['a.1']);
          await tx.audit.append([{ at: AT, actor: 'system', action: 'meeting.unplanned', subject: { meetingId: 'a.1' }, details: {} }]);
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect(await t.store.meetings.get('a.1')).not.toBeNull();
      expect(await t.store.audit.page(0, 10)).toEqual([]);
    });

    it('refuses a second meeting with the same id', async () => {
      await expect(t.store.meetings.insertMany([meeting('a.1', 'a', '2027-03-09T09:00:00.000Z')], AT)).rejects.toThrow();
    });
  });

  describe('audit log', () => {
    const entry = (n: number) => ({ at: AT, actor: 'system', action: 'meeting.planned', subject: { meetingId: `m${n}` }, details: { n } });

    it('chains appended entries and pages them in order', async () => {
      await t.store.audit.append([entry(1), entry(2)]);
      await t.store.audit.append([entry(3)]);
      const all = await t.store.audit.page(0, 10);
      expect(all.map((e) => e.seq)).toEqual([1, 2, 3]);
      expect(all[1]!.prevHash).toBe(all[0]!.hash);
      expect(all[2]!.details).toEqual({ n: 3 });
      expect((await t.store.audit.page(1, 1)).map((e) => e.seq)).toEqual([2]);
      expect(await verifyAuditLog(t.store, TEST_AUDIT_KEY)).toMatchObject({ entries: 3, broken: null, head: { seq: 3, hash: all[2]!.hash } });
    });

    it('keeps one chain when appenders race', async () => {
      await Promise.all(Array.from({ length: 8 }, (_, i) => t.store.audit.append([entry(i), entry(i + 100)])));
      expect(await verifyAuditLog(t.store, TEST_AUDIT_KEY)).toMatchObject({ entries: 16, broken: null });
    });

    it('refuses ordinary updates and deletes', async () => {
      await t.store.audit.append([entry(1)]);
      await expect(t.raw(`update audit_log set actor = 'x' where seq = 1`)).rejects.toThrow(/append-only/);
      await expect(t.raw(`delete from audit_log where seq = 1`)).rejects.toThrow(/append-only/);
      await expect(t.raw(`update audit_details set details_json = '{}' where seq = 1`)).rejects.toThrow(/erased, not changed/);
    });

    // Tampering, with the guards dropped, is tested against a real history in test/audit-integrity.db.test.ts.
  });

  it('answers ping', async () => {
    await expect(t.store.ping()).resolves.toBeUndefined();
  });

  it('shows a directory change at once after its transaction commits, and nothing of one that rolled back', async () => {
    await t.store.directory.saveForce(force('cambs'), AT);
    expect((await t.store.directory.getForce('cambs'))?.name).toBe('cambs police');
    expect(await t.store.directory.rolesOf(deputy.aadObjectId)).toEqual([{ role: 'deputy', scopeId: 'cambs', tenantId: null }]);
    await t.store.transaction(async (tx) => {
      await tx.directory.saveForce(force('cambs', { name: 'Cambridgeshire Constabulary', deputies: [] }), AT);
      // Inside, the transaction sees its own write.
      expect((await tx.directory.getForce('cambs'))?.name).toBe('Cambridgeshire Constabulary');
    });
    expect((await t.store.directory.getForce('cambs'))?.name).toBe('Cambridgeshire Constabulary');
    expect(await t.store.directory.rolesOf(deputy.aadObjectId)).toEqual([]);
    await expect(
      t.store.transaction(async (tx) => {
        await tx.directory.saveForce(force('cambs', { name: 'Never committed' }), AT);
        expect((await tx.directory.getForce('cambs'))?.name).toBe('Never committed');
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect((await t.store.directory.getForce('cambs'))?.name).toBe('Cambridgeshire Constabulary');
  });
});
