import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { Attendance, Meeting } from '../scheduler/domain/types.js';
import { openStore } from '../scheduler/store/open-store.js';
import { partlyMigrated } from './support/partly-migrated.js';
import { STORE_KINDS, useFreshStore } from './support/stores.js';

const AT = '2027-05-04T12:00:00.000Z';
const M1 = 'southampton.2027-05-03';
const M2 = 'southampton.2027-06-07';

const record = (meetingId: string, forceId: string, extra: Partial<Attendance> = {}): Attendance => ({
  meetingId, forceId, outcome: 'attended',
  attendees: [
    { aadObjectId: 'a1', tenantId: 't1', name: 'Nadia Rahman', roleCategory: 'prevent-supervisor', role: 'DI', unit: 'local', mode: 'in-person', decisionMaker: 'yes', substitute: false },
    { aadObjectId: null, tenantId: null, name: 'Sam Cole', roleCategory: 'regional-ctu-officer', role: 'DC', unit: 'regional', mode: 'online', decisionMaker: 'unknown', substitute: true },
  ],
  source: 'chair', forceConfirmation: 'pending', confirmedBy: null, confirmedAt: null, recordedBy: 'chair', recordedAt: AT, version: 1, ...extra,
});

describe.each(STORE_KINDS)('attendance evidence repositories on %s', (kind) => {
  const t = useFreshStore(kind, { syncedAt: '2027-04-01T08:00:00.000Z' });

  it('round-trips a force record with several attendees, and replaces it with a later version', async () => {
    await t.store.chairs.saveAttendance(record(M1, 'hampshire'));
    expect(await t.store.chairs.attendance([M1])).toEqual([record(M1, 'hampshire')]);
    const confirmed = record(M1, 'hampshire', { forceConfirmation: 'confirmed', confirmedBy: 'lead', confirmedAt: AT, version: 2 });
    await t.store.chairs.saveAttendance(confirmed);
    expect(await t.store.chairs.attendance([M1])).toEqual([confirmed]);
  });

  it('withdraws one meeting’s records and no other’s, and remembers the versions they reached', async () => {
    await t.store.chairs.saveAttendance(record(M1, 'hampshire', { version: 3 }));
    await t.store.chairs.saveAttendance(record(M2, 'hampshire'));
    await t.store.chairs.clearAttendance(M1, AT);
    expect((await t.store.chairs.attendance([M1, M2])).map((a) => a.meetingId)).toEqual([M2]);
    expect(await t.store.chairs.attendanceVersions(M1)).toEqual(new Map([['hampshire', 3]]));
    // Saving again brings the row back.
    await t.store.chairs.saveAttendance(record(M1, 'hampshire', { version: 4 }));
    expect((await t.store.chairs.attendance([M1])).map((a) => a.version)).toEqual([4]);
  });

  it('keeps a meeting record: held or not held, why, and agencies as counts', async () => {
    const r = { meetingId: M1, outcome: 'not-held' as const, notHeldReason: 'not quorate' as const, agencies: { 'local-authority': 1, health: 2 }, source: 'import' as const, recordedBy: 'op', recordedAt: AT };
    await t.store.chairs.saveMeetingRecord(r);
    expect(await t.store.chairs.meetingRecords([M1, M2])).toEqual([r]);
    await t.store.chairs.saveMeetingRecord({ ...r, outcome: 'held', notHeldReason: null, agencies: {} });
    expect((await t.store.chairs.meetingRecords([M1]))[0]).toMatchObject({ outcome: 'held', notHeldReason: null, agencies: {} });
  });

  it('keeps the latest apologies per meeting and force', async () => {
    const a = { meetingId: M1, forceId: 'hampshire', sentBy: { aadObjectId: 'n', name: 'Nadia' }, substitute: null, sentAt: AT };
    await t.store.chairs.saveApology(a);
    const b = { ...a, substitute: { aadObjectId: 's', name: 'Sam' } };
    await t.store.chairs.saveApology(b);
    expect(await t.store.chairs.apologies([M1])).toEqual([b]);
  });

  it('keeps an invitation once, and lists the meetings a force was invited to', async () => {
    const i = { meetingId: M1, forceId: 'btp', invitedBy: 'chair', invitedAt: AT };
    await t.store.chairs.saveInvitation(i);
    await t.store.chairs.saveInvitation({ ...i, invitedAt: '2027-05-05T00:00:00.000Z' });
    expect(await t.store.chairs.invitations([M1, M2])).toEqual([i]);
    expect(await t.store.chairs.invitedMeetings('btp')).toEqual([M1]);
    // A force's meetings include the one it was invited to, and none other of that panel's.
    const listed = await t.store.meetings.list({ forceId: 'btp' });
    expect(listed.map((m: Meeting) => m.id)).toEqual([M1]);
  });

  it('refuses stored attendees that do not fit their schema, rather than guessing', async () => {
    await t.store.chairs.saveAttendance(record(M1, 'hampshire'));
    await t.raw(`update attendance set attendees_json = '[{"name":"x","decisionMaker":"maybe"}]'`);
    await expect(t.store.chairs.attendance([M1])).rejects.toThrow();
  });
});

describe.each(STORE_KINDS)('records made before attendance evidence, on %s', (kind) => {
  it('keep what they said, except a pre-ticked yes, which becomes unknown; substitutes are worked out again', async () => {
    const old = await partlyMigrated(kind, '006_bot_state');
    try {
      await sql`insert into panels (id, name, local_authority, timetable_json, teams_channel_id, retired_at, updated_at) values ('p', 'P', 'LA', '{"kind":"when-necessary","start":"10:00","minutes":120}', null, null, ${AT})`.execute(old.db);
      for (const id of ['m1', 'm2', 'm3']) {
        await sql`insert into meetings (id, panel_id, occurrence, start_utc, end_utc, status, moved_from, moved_reason, extra, version, locked, created_at, updated_at)
          values (${id}, 'p', null, ${AT}, ${AT}, 'held', null, null, 1, 2, 1, ${AT}, ${AT})`.execute(old.db);
      }
      await sql`insert into attendance (meeting_id, force_id, attended, aad_object_id, name, substitute, decision_maker, recorded_by, recorded_at, version)
        values ('m1', 'f', 1, 'x1', 'Nadia Rahman', 0, 1, 'chair', ${AT}, 3), ('m2', 'f', 0, null, null, 0, 0, 'chair', ${AT}, 1), ('m3', 'f', 1, 'x2', 'Sam Cole', 0, 0, 'chair', ${AT}, 1)`.execute(old.db);
      await sql`insert into nominations (meeting_id, force_id, aad_object_id, name, role, decision_maker, nominated_by, nominated_at, version)
        values ('m1', 'f', 'x1', 'Nadia Rahman', 'DI', 1, 'lead', ${AT}, 1)`.execute(old.db);
      await old.db.destroy();
      const store = await openStore(old.options);
      try {
        const [m1, m2] = await store.chairs.attendance(['m1', 'm2']);
        expect(m1).toMatchObject({ outcome: 'attended', source: 'chair', forceConfirmation: 'not-needed', version: 3 });
        // The old card came with "decision maker" ticked: that "yes" was nobody's answer. Nadia was the nominee.
        expect(m1!.attendees).toEqual([{ aadObjectId: 'x1', tenantId: null, name: 'Nadia Rahman', roleCategory: null, role: '', unit: null, mode: null, decisionMaker: 'unknown', substitute: false }]);
        expect(m2).toMatchObject({ outcome: 'absent', attendees: [], forceConfirmation: 'not-needed' });
        // Someone attending when the force named nobody is a substitute under the new rule; an unticked box stays "no".
        expect((await store.chairs.attendance(['m3']))[0]!.attendees[0]).toMatchObject({ decisionMaker: 'no', substitute: true });
      } finally {
        await store.close();
      }
    } finally {
      await old.dispose();
    }
  });
});
