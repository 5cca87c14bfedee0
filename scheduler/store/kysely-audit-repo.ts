import { sql, type Kysely } from 'kysely';
import { chain, entryMatches, GENESIS_HASH, SEAL_ACTION, type AuditKey, type NewAuditEntry } from '../domain/audit-chain.js';
import type { AuditEntry, MeetingStatus } from '../domain/types.js';
import { auditDetailsSchema, auditSubjectSchema } from './row-schemas.js';
import { toApology, toAttendance, toCancellation, toMeetingRecord, toNomination } from './row-mappers.js';
import type { AuditRepo } from './store.js';
import type { Database } from './tables.js';

/** The advisory lock every PostgreSQL appender takes, so instances chain one after another. */
export const AUDIT_LOCK = 4242001;
const BATCH = 400;

/** A stored value that no longer parses is returned as a marker, so the hash check reports the entry as altered. */
export function parseJson<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } }, text: string): T {
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    if (parsed.success) return parsed.data;
  } catch {
    // fall through
  }
  return { unreadable: text } as T;
}

type Row = Database['audit_log'] & { details_json: string | null };

const toEntry = (r: Row): AuditEntry => ({
  seq: Number(r.seq),
  at: r.at,
  actor: r.actor,
  action: r.action,
  subject: parseJson(auditSubjectSchema, r.subject_json),
  details: r.details_json === null ? null : parseJson(auditDetailsSchema, r.details_json),
  detailsHash: r.details_hash,
  prevHash: r.prev_hash,
  hash: r.hash,
});

/** The audit log: the chain in `audit_log` (append-only), each entry's details in `audit_details` (erasable). */
export function auditRepo(db: Kysely<Database>, dialect: 'sqlite' | 'postgres', key: AuditKey): AuditRepo {
  const entries = () =>
    db
      .selectFrom('audit_log as l')
      .leftJoin('audit_details as d', 'd.seq', 'l.seq')
      .select(['l.seq', 'l.at', 'l.actor', 'l.action', 'l.subject_json', 'l.details_hash', 'l.prev_hash', 'l.hash', 'd.details_json']);
  return {
    async append(list: NewAuditEntry[]) {
      if (!list.length) return [];
      // Serialise appenders across instances: SQLite's write transactions already are (BEGIN IMMEDIATE).
      if (dialect === 'postgres') await sql`select pg_advisory_xact_lock(${AUDIT_LOCK})`.execute(db);
      const tailRow = await entries().orderBy('l.seq', 'desc').limit(1).executeTakeFirst();
      const tail = tailRow ? toEntry(tailRow as Row) : null;
      // Never chain onto an entry this key did not write: a wrong AUDIT_KEY, or an altered last entry, stops writes loudly.
      if (tail && tail.detailsHash !== null && !entryMatches(key, tail)) {
        throw new Error(`audit log: entry ${tail.seq} does not verify with AUDIT_KEY (a different key, or the entry was altered); nothing was written. Run \`panel-bot audit verify\`.`);
      }
      // Unkeyed entries are sealed once, by an operator (`audit seal`); until then nothing is chained onto them.
      if (tail && tail.detailsHash === null && list[0]!.action !== SEAL_ACTION) {
        throw new Error(`audit log: entry ${tail.seq} is unkeyed and unsealed; nothing was written. Run \`panel-bot audit verify\`, then \`panel-bot audit seal\`.`);
      }
      const chained = chain(key, tail ? { seq: tail.seq, hash: tail.hash } : { seq: 0, hash: GENESIS_HASH }, list);
      for (let i = 0; i < chained.length; i += BATCH) {
        const slice = chained.slice(i, i + BATCH);
        const log = slice.map((e) => ({ seq: e.seq, at: e.at, actor: e.actor, action: e.action, subject_json: JSON.stringify(e.subject), details_hash: e.detailsHash, prev_hash: e.prevHash, hash: e.hash }));
        const details = slice.map((e) => ({ seq: e.seq, meeting_id: e.subject.meetingId ?? null, details_json: JSON.stringify(e.details) }));
        // On PostgreSQL both inserts are one statement (a data-modifying CTE): one round trip fewer while the lock is held.
        if (dialect === 'postgres') await db.with('chained', (qc) => qc.insertInto('audit_log').values(log).returning('seq')).insertInto('audit_details').values(details).execute();
        else {
          await db.insertInto('audit_log').values(log).execute();
          await db.insertInto('audit_details').values(details).execute();
        }
      }
      return chained;
    },
    async page(afterSeq, limit) {
      const rows = await entries().where('l.seq', '>', afterSeq).orderBy('l.seq').limit(limit).execute();
      return rows.map((r) => toEntry(r as Row));
    },
    async head() {
      const row = await db.selectFrom('audit_log').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
      return row ? { seq: Number(row.seq), hash: row.hash } : { seq: 0, hash: GENESIS_HASH };
    },
    async erasable(q) {
      if ('meetingIds' in q) {
        const out: number[] = [];
        for (let i = 0; i < q.meetingIds.length; i += BATCH) {
          const rows = await db.selectFrom('audit_details').select('seq').where('meeting_id', 'in', q.meetingIds.slice(i, i + BATCH)).execute();
          out.push(...rows.map((r) => Number(r.seq)));
        }
        return out.sort((a, b) => a - b);
      }
      let query = db
        .selectFrom('audit_details as d')
        .innerJoin('audit_log as l', 'l.seq', 'd.seq')
        .select('d.seq')
        .where('l.at', '<', q.before)
        .where('d.meeting_id', 'is', null);
      if (q.exceptActions.length) query = query.where('l.action', 'not in', q.exceptActions);
      return (await query.orderBy('d.seq').execute()).map((r) => Number(r.seq));
    },
    async erase(seqs) {
      const gone: number[] = [];
      for (let i = 0; i < seqs.length; i += BATCH) {
        const rows = await db.deleteFrom('audit_details').where('seq', 'in', seqs.slice(i, i + BATCH)).returning('seq').execute();
        gone.push(...rows.map((r) => Number(r.seq)));
      }
      return gone.sort((a, b) => a - b);
    },
    async stateRows() {
      const [meetings, nominations, attendance, records, cancellations, apologies, invitations] = await Promise.all([
        db.selectFrom('meetings').select(['id', 'status', 'start_utc', 'end_utc', 'extra']).execute(),
        db.selectFrom('nominations').selectAll().execute(),
        db.selectFrom('attendance').selectAll().execute(),
        db.selectFrom('meeting_records').selectAll().execute(),
        db.selectFrom('cancellations').selectAll().execute(),
        db.selectFrom('apologies').selectAll().execute(),
        db.selectFrom('invitations').selectAll().execute(),
      ]);
      return {
        meetings: meetings.map((m) => ({ id: m.id, status: m.status as MeetingStatus, start: m.start_utc, end: m.end_utc, extra: m.extra === 1 })),
        nominations: nominations.map(toNomination),
        attendance: attendance.map((r) => ({ ...toAttendance(r), withdrawnAt: r.withdrawn_at })),
        meetingRecords: records.map(toMeetingRecord),
        cancellations: cancellations.map(toCancellation),
        apologies: apologies.map(toApology),
        invitations: invitations.map((r) => ({ meetingId: r.meeting_id, forceId: r.force_id, invitedBy: r.invited_by, invitedAt: r.invited_at })),
      };
    },
  };
}
