import type { Kysely } from 'kysely';
import type { MeetingRowCounts, PurgedMeeting, RetentionRepo } from '../retention/retention-repo.js';
import type { Database } from './tables.js';

const BATCH = 400;
const FINISHED = ['sent', 'failed', 'skipped'];

/** The tables whose rows hang off a meeting, deleted before it (they reference it), and the count each feeds. */
const CHILDREN = [
  ['nominations', 'nominations'],
  ['attendance', 'attendance'],
  ['meeting_records', 'meetingRecords'],
  ['cancellations', 'cancellations'],
  ['apologies', 'apologies'],
  ['invitations', 'invitations'],
  ['outbox', 'outbox'],
] as const;

const noRows = (): MeetingRowCounts => ({ nominations: 0, attendance: 0, meetingRecords: 0, cancellations: 0, apologies: 0, invitations: 0, outbox: 0 });

const batches = <T>(items: readonly T[]): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += BATCH) out.push(items.slice(i, i + BATCH));
  return out;
};

/** Retention's deletes over one Kysely connection or transaction. */
export function retentionRepo(db: Kysely<Database>, dialect: 'sqlite' | 'postgres'): RetentionRepo {
  return {
    async endedBefore(cutoff) {
      // A meeting ends after it starts, so the start bound changes nothing but lets the start index do the work.
      const rows = await db.selectFrom('meetings').select('id').where('start_utc', '<', cutoff).where('end_utc', '<', cutoff).orderBy('start_utc').orderBy('id').execute();
      return rows.map((r) => r.id);
    },
    async deleteMeetings(ids) {
      const meetings: PurgedMeeting[] = [];
      const rows = noRows();
      for (const batch of batches(ids)) {
        // Lock the meetings first: a chair's write to one of them (which locks it too) then waits and finds it gone,
        // instead of adding a row this transaction would then trip over. SQLite's write lock already serialises.
        if (dialect === 'postgres') await db.selectFrom('meetings').select('id').where('id', 'in', batch).forUpdate().execute();
        for (const [table, count] of CHILDREN) {
          const r = await db.deleteFrom(table).where('meeting_id', 'in', batch).executeTakeFirst();
          rows[count] += Number(r.numDeletedRows);
        }
        const gone = await db.deleteFrom('meetings').where('id', 'in', batch).returning(['id', 'panel_id']).execute();
        meetings.push(...gone.map((m) => ({ id: m.id, panelId: m.panel_id })));
      }
      return { meetings: meetings.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)), rows };
    },
    async meetingEntries(meetingIds, exceptActions) {
      const seqs: number[] = [];
      for (const batch of batches(meetingIds)) {
        let q = db.selectFrom('audit_details as d').innerJoin('audit_log as l', 'l.seq', 'd.seq').select('d.seq').where('d.meeting_id', 'in', batch);
        if (exceptActions.length) q = q.where('l.action', 'not in', [...exceptActions]);
        seqs.push(...(await q.execute()).map((r) => Number(r.seq)));
      }
      return seqs.sort((a, b) => a - b);
    },
    async orphanedEntries(before, exceptActions) {
      let q = db
        .selectFrom('audit_details as d')
        .innerJoin('audit_log as l', 'l.seq', 'd.seq')
        .leftJoin('meetings as m', 'm.id', 'd.meeting_id')
        .select('d.seq')
        .where('l.at', '<', before)
        .where('d.meeting_id', 'is not', null)
        .where('m.id', 'is', null);
      if (exceptActions.length) q = q.where('l.action', 'not in', [...exceptActions]);
      return (await q.orderBy('d.seq').execute()).map((r) => Number(r.seq));
    },
    async deleteFinishedMessages(before) {
      // Only messages about no stored meeting: a kept meeting's messages are how its posted cards are found and
      // updated, and the idempotency keys that stop its jobs posting them again. They go with the meeting.
      const r = await db
        .deleteFrom('outbox')
        .where('status', 'in', FINISHED)
        .where((eb) => eb.fn.coalesce('sent_at', 'created_at'), '<', before)
        .where((eb) => eb.not(eb.exists(eb.selectFrom('meetings').select('meetings.id').whereRef('meetings.id', '=', 'outbox.meeting_id'))))
        .executeTakeFirst();
      return Number(r.numDeletedRows);
    },
    async deletePeopleWithoutRoles(before) {
      // Someone named for a meeting still to come (or just ended) keeps their Teams id: the bot @mentions them.
      const kept = (sub: any) =>
        sub.selectFrom('roles').select('aad_object_id').union(
          sub.selectFrom('nominations as n').innerJoin('meetings as m', 'm.id', 'n.meeting_id').select('n.aad_object_id').where('m.end_utc', '>=', before),
        );
      const r = await db.deleteFrom('people_seen').where('updated_at', '<', before).where('aad_object_id', 'not in', kept).executeTakeFirst();
      // Their personal chat with the bot goes too: it holds their Entra id, and Teams gives it back when they next write.
      await db
        .deleteFrom('conversations')
        .where('kind', '=', 'personal')
        .where('updated_at', '<', before)
        .where('user_aad_object_id', 'is not', null)
        .where('user_aad_object_id', 'not in', kept)
        .where('id', 'not in', (sub) => sub.selectFrom('links').select('conversation_id'))
        .where('id', 'not in', (sub) => sub.selectFrom('outbox').select('conversation_id').where('status', '=', 'pending'))
        .execute();
      return Number(r.numDeletedRows);
    },
    async deleteIdleFeedTokens(before) {
      const r = await db
        .deleteFrom('feed_tokens')
        .where('created_at', '<', before)
        .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', before)]))
        .executeTakeFirst();
      return Number(r.numDeletedRows);
    },
  };
}
