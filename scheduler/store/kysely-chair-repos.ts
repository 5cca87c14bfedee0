import type { Kysely } from 'kysely';
import type { Attendance, CancelReason } from '../domain/types.js';
import type { ChairRepo } from './store.js';
import type { Database } from './tables.js';

const CHUNK = 500;

/** Reads rows for many meetings in chunks, so a long history never exceeds a driver's parameter limit. */
async function chunked<T>(ids: string[], read: (slice: string[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < ids.length; i += CHUNK) out.push(...(await read(ids.slice(i, i + CHUNK))));
  return out;
}

/** Cancellations and attendance records. */
export function chairRepo(db: Kysely<Database>): ChairRepo {
  return {
    async saveCancellation(c) {
      const row = { meeting_id: c.meetingId, reason: c.reason, note: c.note, cancelled_by: c.cancelledBy, cancelled_at: c.cancelledAt };
      await db.insertInto('cancellations').values(row).onConflict((oc) => oc.column('meeting_id').doUpdateSet(row)).execute();
    },
    cancellations: (ids) =>
      chunked(ids, async (slice) =>
        (await db.selectFrom('cancellations').selectAll().where('meeting_id', 'in', slice).execute()).map((r) => ({
          meetingId: r.meeting_id, reason: r.reason as CancelReason, note: r.note, cancelledBy: r.cancelled_by, cancelledAt: r.cancelled_at,
        })),
      ),
    async saveAttendance(a) {
      const row = {
        meeting_id: a.meetingId, force_id: a.forceId, attended: a.attended ? 1 : 0, aad_object_id: a.aadObjectId, name: a.name,
        substitute: a.substitute ? 1 : 0, decision_maker: a.decisionMaker ? 1 : 0, recorded_by: a.recordedBy, recorded_at: a.recordedAt, version: a.version,
      };
      await db.insertInto('attendance').values(row).onConflict((oc) => oc.columns(['meeting_id', 'force_id']).doUpdateSet(row)).execute();
    },
    attendance: (ids) =>
      chunked(ids, async (slice) =>
        (await db.selectFrom('attendance').selectAll().where('meeting_id', 'in', slice).orderBy('force_id').execute()).map((r): Attendance => ({
          meetingId: r.meeting_id, forceId: r.force_id, attended: r.attended === 1, aadObjectId: r.aad_object_id, name: r.name,
          substitute: r.substitute === 1, decisionMaker: r.decision_maker === 1, recordedBy: r.recorded_by, recordedAt: r.recorded_at, version: r.version,
        })),
      ),
  };
}
