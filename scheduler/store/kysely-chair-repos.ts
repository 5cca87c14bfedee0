import type { Kysely } from 'kysely';
import { attendanceRow, toApology, toAttendance, toCancellation, toMeetingRecord } from './row-mappers.js';
import type { ChairRepo } from './store.js';
import type { Database } from './tables.js';

const CHUNK = 500;

/** Reads rows for many meetings in chunks, so a long history never exceeds a driver's parameter limit. */
async function chunked<T>(ids: string[], read: (slice: string[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < ids.length; i += CHUNK) out.push(...(await read(ids.slice(i, i + CHUNK))));
  return out;
}

/** Cancellations, meeting records, attendance, apologies and invitations. */
export function chairRepo(db: Kysely<Database>): ChairRepo {
  return {
    async saveCancellation(c) {
      const row = { meeting_id: c.meetingId, reason: c.reason, note: c.note, cancelled_by: c.cancelledBy, cancelled_at: c.cancelledAt };
      await db.insertInto('cancellations').values(row).onConflict((oc) => oc.column('meeting_id').doUpdateSet(row)).execute();
    },
    cancellations: (ids) =>
      chunked(ids, async (slice) =>
        (await db.selectFrom('cancellations').selectAll().where('meeting_id', 'in', slice).execute()).map(toCancellation),
      ),
    async redactNote(meetingId, at) {
      const r = await db.updateTable('cancellations').set({ note: '', note_redacted_at: at }).where('meeting_id', '=', meetingId).where('note', '!=', '').executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    async saveAttendance(a) {
      const row = { ...attendanceRow(a), withdrawn_at: null };
      await db.insertInto('attendance').values(row).onConflict((oc) => oc.columns(['meeting_id', 'force_id']).doUpdateSet(row)).execute();
    },
    async clearAttendance(meetingId, at) {
      await db.updateTable('attendance').set({ withdrawn_at: at }).where('meeting_id', '=', meetingId).where('withdrawn_at', 'is', null).execute();
    },
    attendance: (ids) =>
      chunked(ids, async (slice) =>
        (await db.selectFrom('attendance').selectAll().where('meeting_id', 'in', slice).where('withdrawn_at', 'is', null).orderBy('force_id').execute()).map(toAttendance),
      ),
    async attendanceVersions(meetingId) {
      const rows = await db.selectFrom('attendance').select(['force_id', 'version']).where('meeting_id', '=', meetingId).execute();
      return new Map(rows.map((r) => [r.force_id, r.version]));
    },
    async saveMeetingRecord(r) {
      const row = {
        meeting_id: r.meetingId, outcome: r.outcome, not_held_reason: r.notHeldReason, agencies_json: JSON.stringify(r.agencies), source: r.source, recorded_by: r.recordedBy, recorded_at: r.recordedAt,
      };
      await db.insertInto('meeting_records').values(row).onConflict((oc) => oc.column('meeting_id').doUpdateSet(row)).execute();
    },
    meetingRecords: (ids) =>
      chunked(ids, async (slice) => (await db.selectFrom('meeting_records').selectAll().where('meeting_id', 'in', slice).execute()).map(toMeetingRecord)),
    async saveApology(a) {
      const row = {
        meeting_id: a.meetingId, force_id: a.forceId, sent_by: a.sentBy.aadObjectId, sent_by_name: a.sentBy.name,
        substitute_aad_object_id: a.substitute?.aadObjectId ?? null, substitute_name: a.substitute?.name ?? null, sent_at: a.sentAt,
      };
      await db.insertInto('apologies').values(row).onConflict((oc) => oc.columns(['meeting_id', 'force_id']).doUpdateSet(row)).execute();
    },
    apologies: (ids) =>
      chunked(ids, async (slice) =>
        (await db.selectFrom('apologies').selectAll().where('meeting_id', 'in', slice).orderBy('force_id').execute()).map(toApology),
      ),
    async saveInvitation(i) {
      const row = { meeting_id: i.meetingId, force_id: i.forceId, invited_by: i.invitedBy, invited_at: i.invitedAt };
      await db.insertInto('invitations').values(row).onConflict((oc) => oc.columns(['meeting_id', 'force_id']).doNothing()).execute();
    },
    invitations: (ids) =>
      chunked(ids, async (slice) =>
        (await db.selectFrom('invitations').selectAll().where('meeting_id', 'in', slice).orderBy('force_id').execute()).map((r) => ({
          meetingId: r.meeting_id, forceId: r.force_id, invitedBy: r.invited_by, invitedAt: r.invited_at,
        })),
      ),
    async invitedMeetings(forceId) {
      return (await db.selectFrom('invitations').select('meeting_id').where('force_id', '=', forceId).execute()).map((r) => r.meeting_id);
    },
  };
}
