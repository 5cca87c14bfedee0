import { sql, type Kysely } from 'kysely';
import type { Database } from './tables.js';
import type { NominationWrite, Repos } from './store.js';
import { toNominationRow, toOutboxRow } from './kysely-teams-repos.js';
import type { QueueRow } from './kysely-audit-repo.js';
import { keepPrepared } from './prepared.js';

// A planned nomination, written only if what it was planned on still holds (store.ts, NominationWrite). The checks
// are those `nominate` makes under the meeting's lock: the meeting's version, that it is scheduled and not started,
// and the nomination's version. Who may nominate (the caller's roles, the panel, the force) is decided by `nominate`
// from reads straight from the database (store.pressReads) just before this write, and on SQLite again inside its
// transaction. On PostgreSQL the locking path reads them in its transaction without locking them, so under READ
// COMMITTED a sync committed after that read is not seen by either path. The outbox and the chats the messages are
// planned from are read without a lock on both paths.

/**
 * Through the repositories, in the caller's transaction (SQLite, whose write transactions run one at a time): the
 * decision of who may write it is asked again in here, so that it and the write are one step, as on the locking path.
 */
export async function writeNominationIn(tx: Repos, w: NominationWrite, decide: (tx: Repos) => Promise<boolean>): Promise<boolean> {
  const n = w.nomination;
  const meeting = await tx.meetings.getForUpdate(n.meetingId);
  if (!meeting || meeting.version !== w.meetingVersion || meeting.status !== 'scheduled' || meeting.start <= w.now) return false;
  if (!(await decide(tx))) return false;
  if (((await tx.nominations.get(n.meetingId, n.forceId))?.version ?? 0) !== n.version - 1) return false;
  await tx.nominations.save(n, meeting.locked ? undefined : { lockMeetingAt: w.now });
  await tx.outbox.enqueue(w.outbox);
  await tx.audit.append(w.audit);
  return true;
}

/**
 * Rows as one JSON parameter. A lone UTF-16 surrogate (a name from a client that split a pair) becomes U+FFFD, as the
 * driver's UTF-8 encoding makes it when a value is bound on its own: `jsonb` refuses the escape JSON would write for it.
 */
const jsonParam = (rows: unknown): string => JSON.stringify(rows, (_key, v: unknown) => (typeof v === 'string' ? v.replace(/\p{Cs}/gu, '\uFFFD') : v));

/**
 * PostgreSQL: one statement. The meeting is locked (FOR UPDATE) on its conditions, which PostgreSQL checks again on
 * the row as it stands if it has to wait for another writer; the nomination's version is checked by the insert (a
 * row that exists, or appears meanwhile, is a conflict: nothing) or the update (re-checked on the newest row). Every
 * write hangs on the nomination's, so either all happen or none. The audit rows are queued with their MAC, as
 * `audit.append` queues them, for the chainer to chain after the commit.
 */
export async function writeNominationPg(db: Kysely<Database>, w: NominationWrite, queued: QueueRow[]): Promise<boolean> {
  const n = toNominationRow(w.nomination);
  const previous = w.nomination.version - 1;
  const nomination = previous === 0
    ? sql`insert into nominations (meeting_id, force_id, aad_object_id, name, role, decision_maker, nominated_by, nominated_at, version, meeting_start_utc)
        select r.meeting_id, r.force_id, r.aad_object_id, r.name, r.role, r.decision_maker, r.nominated_by, r.nominated_at, r.version, m.start_utc
        from jsonb_populate_record(null::nominations, ${jsonParam(n)}::jsonb) r, m
        on conflict (meeting_id, force_id) do nothing returning meeting_id`
    : sql`update nominations set aad_object_id = ${n.aad_object_id}, name = ${n.name}, role = ${n.role}, decision_maker = ${n.decision_maker},
          nominated_by = ${n.nominated_by}, nominated_at = ${n.nominated_at}, version = ${n.version}
        where meeting_id = ${n.meeting_id} and force_id = ${n.force_id} and version = ${previous} and exists (select 1 from m)
        returning meeting_id`;
  const statement = sql<{ written: number }>`
    with m as (
      select id, start_utc from meetings
      where id = ${n.meeting_id} and version = ${w.meetingVersion} and status = 'scheduled' and start_utc collate "C" > ${w.now}
      for update
    ),
    n as (${nomination}),
    locked as (update meetings set locked = 1, updated_at = ${w.now} where id = (select meeting_id from n) and locked = 0),
    o as (
      insert into outbox (id, kind, conversation_id, meeting_id, force_id, card_id, person_aad_object_id, status, attempts,
        next_attempt_at, lease_until, lease_owner, activity_id, last_error, created_at, sent_at)
      select id, kind, conversation_id, meeting_id, force_id, card_id, person_aad_object_id, status, attempts,
        next_attempt_at, lease_until, lease_owner, activity_id, last_error, created_at, sent_at
      from jsonb_populate_recordset(null::outbox, ${jsonParam(w.outbox.map(toOutboxRow))}::jsonb)
      where exists (select 1 from n)
      on conflict (id) do nothing
    ),
    a as (
      insert into audit_pending (nonce, at, actor, action, subject_json, details_json, mac)
      select nonce, at, actor, action, subject_json, details_json, mac from jsonb_populate_recordset(null::audit_pending, ${jsonParam(queued)}::jsonb)
      where exists (select 1 from n)
    )
    select count(*)::int as written from n`.compile(db);
  // Its text is one of two (first nomination or a later one): each connection keeps both prepared, not planned per press.
  keepPrepared(statement.sql, previous === 0 ? 'nomination_first' : 'nomination_next');
  const { rows } = await db.executeQuery(statement);
  return rows[0]!.written === 1;
}
