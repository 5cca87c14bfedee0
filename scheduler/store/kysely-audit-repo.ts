import type { Kysely } from 'kysely';
import { randomUUID } from 'node:crypto';
import { chain, entryMatches, GENESIS_HASH, pendingMac, REFUSED_ACTION, SEAL_ACTION, type AuditKey, type NewAuditEntry } from '../domain/audit-chain.js';
import type { AuditEntry, MeetingStatus } from '../domain/types.js';
import { auditDetailsSchema, auditSubjectSchema } from './row-schemas.js';
import { toApology, toAttendance, toCancellation, toMeetingRecord, toNomination } from './row-mappers.js';
import type { AuditRepo } from './store.js';
import type { Database } from './tables.js';
import { advisoryLock, LOCK_WAIT_MS } from './advisory-lock.js';

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

/**
 * How a transaction's appends reach the chain. `defer` (PostgreSQL, inside `store.transaction`): queued in
 * `audit_pending` with their MAC, no lock taken; the store's chainer chains them after the commit, and any read or
 * erasure of the log in a transaction chains them first. Otherwise each append is chained where it runs.
 */
export interface AuditWrites {
  defer: boolean;
  /** Whether this store has checked, since it opened or a chain failed, that its key verifies the tail. */
  keyState: { checked: boolean };
  /** Told when a transaction queued entries, so the store can chain them once it commits. */
  onQueued?: () => void;
}

const INLINE: AuditWrites = { defer: false, keyState: { checked: false } };

/** Why nothing may be chained onto this tail with this key (`first`: the action of the first entry to go on), or null. */
function tailProblem(key: AuditKey, tail: AuditEntry | null, first: string): string | null {
  // Never chain onto an entry this key did not write: a wrong AUDIT_KEY, or an altered last entry, stops writes loudly.
  if (tail && tail.detailsHash !== null && !entryMatches(key, tail)) {
    return `audit log: entry ${tail.seq} does not verify with AUDIT_KEY (a different key, or the entry was altered); nothing was written. Run \`panel-bot audit verify\`.`;
  }
  // Unkeyed entries are sealed once, by an operator (`audit seal`); until then nothing is chained onto them.
  if (tail && tail.detailsHash === null && first !== SEAL_ACTION) {
    return `audit log: entry ${tail.seq} is unkeyed and unsealed; nothing was written. Run \`panel-bot audit verify\`, then \`panel-bot audit seal\`.`;
  }
  return null;
}

type PendingRow = Database['audit_pending'] extends infer T ? { [K in keyof T]: K extends 'id' ? number | string : T[K] } : never;

/** A waiting row as the entry it asks to be; null when the key did not write it (checked before anything is parsed). */
function fromPending(key: AuditKey, r: PendingRow): NewAuditEntry | null {
  if (pendingMac(key, r) !== r.mac) return null;
  const subject = parseJson(auditSubjectSchema, r.subject_json);
  const details = parseJson(auditDetailsSchema, r.details_json) as Record<string, unknown>;
  return { at: r.at, actor: r.actor, action: r.action, subject, details };
}

/** A queued entry's row as inserted (the database numbers it). */
export type QueueRow = Omit<PendingRow, 'id'>;

/** Entries as the queue holds them: each with a fresh nonce and its MAC under the key (what the chainer checks). */
export function queueRows(key: AuditKey, list: NewAuditEntry[]): QueueRow[] {
  return list.map((e) => {
    const text = { nonce: randomUUID(), at: e.at, actor: e.actor, action: e.action, subject_json: JSON.stringify(e.subject), details_json: JSON.stringify(e.details) };
    return { ...text, mac: pendingMac(key, text) };
  });
}

/** Whether any entry waits in the queue: one statement, no lock. */
export const anyQueued = async (db: Kysely<Database>): Promise<boolean> => !!(await db.selectFrom('audit_pending').select('id').limit(1).executeTakeFirst());

/** The audit log: the chain in `audit_log` (append-only), each entry's details in `audit_details` (erasable). */
export function auditRepo(db: Kysely<Database>, dialect: 'sqlite' | 'postgres', key: AuditKey, writes: AuditWrites = INLINE, lockWaitMs = LOCK_WAIT_MS): AuditRepo {
  const entries = () =>
    db
      .selectFrom('audit_log as l')
      .leftJoin('audit_details as d', 'd.seq', 'l.seq')
      .select(['l.seq', 'l.at', 'l.actor', 'l.action', 'l.subject_json', 'l.details_hash', 'l.prev_hash', 'l.hash', 'd.details_json']);
  const readTail = async () => {
    const row = await entries().orderBy('l.seq', 'desc').limit(1).executeTakeFirst();
    return row ? toEntry(row as Row) : null;
  };
  const lock = async () => {
    // Serialise chainers across instances: SQLite's write transactions already are (BEGIN IMMEDIATE).
    if (dialect === 'postgres') await advisoryLock(db, AUDIT_LOCK, 'audit chain', lockWaitMs);
  };
  /** Chains `list` onto the tail, under the lock (taken by the caller); `nonces`: the queued rows' these entries stand for. */
  const chainOn = async (list: NewAuditEntry[], nonces: Array<string | null> = [], known?: AuditEntry | null): Promise<AuditEntry[]> => {
    const tail = known === undefined ? await readTail() : known;
    const problem = tailProblem(key, tail, list[0]!.action);
    if (problem) {
      writes.keyState.checked = false;
      throw new Error(problem);
    }
    const chained = chain(key, tail ? { seq: tail.seq, hash: tail.hash } : { seq: 0, hash: GENESIS_HASH }, list);
    for (let i = 0; i < chained.length; i += BATCH) {
      const slice = chained.slice(i, i + BATCH);
      const log = slice.map((e, j) => ({ seq: e.seq, at: e.at, actor: e.actor, action: e.action, subject_json: JSON.stringify(e.subject), details_hash: e.detailsHash, prev_hash: e.prevHash, hash: e.hash, nonce: nonces[i + j] ?? null }));
      const details = slice.map((e) => ({ seq: e.seq, meeting_id: e.subject.meetingId ?? null, details_json: JSON.stringify(e.details) }));
      // On PostgreSQL both inserts are one statement (a data-modifying CTE): one round trip while the lock is held.
      if (dialect === 'postgres') {
        await db.with('chained', (qc) => qc.insertInto('audit_log').values(log).returning('seq')).insertInto('audit_details').values(details).execute();
      } else {
        await db.insertInto('audit_log').values(log).execute();
        await db.insertInto('audit_details').values(details).execute();
      }
    }
    return chained;
  };
  /** Queued rows in queue order (PostgreSQL), each with whether the chain already holds its nonce (a copy of one chained), in one statement. */
  const queuedRows = async (limit?: number): Promise<Array<PendingRow & { chained: boolean }>> => {
    let q = db
      .selectFrom('audit_pending as p')
      .selectAll('p')
      .select((eb) => eb.exists(eb.selectFrom('audit_log as l').select('l.seq').whereRef('l.nonce', '=', 'p.nonce')).as('chained'))
      .orderBy('p.id');
    if (limit !== undefined) q = q.limit(limit);
    return (await q.execute()) as Array<PendingRow & { chained: boolean }>;
  };
  /**
   * Chains every waiting entry this transaction can see, in the order they were queued, under the lock. A row whose
   * MAC the key does not make, or that copies one already chained, was not queued by a holder of the key: it is chained
   * as an `audit.refused` entry naming only its row id (with its nonce, so the queue's guard lets it go), so the log
   * records that someone wrote to the table and the chain keeps moving. Only once the tail shows this key is the log's:
   * on an empty log a MAC that fails may be this instance's wrong key, so nothing is refused and nothing chained.
   * An unkeyed, unsealed tail leaves the queue alone (the operator's `audit seal` comes first).
   */
  const settle = async (queued = false): Promise<void> => {
    if (dialect !== 'postgres') return;
    // Nothing queued (the usual case for a read): no lock, so a reader never waits on a chainer or on a purge. The
    // chainer run after a commit that queued (`queued`) knows better and goes straight to the lock.
    if (!queued && !(await anyQueued(db))) return;
    await lock();
    for (;;) {
      const rows = await queuedRows(BATCH);
      if (!rows.length) return;
      const tail = await readTail();
      if (tail && tail.detailsHash === null) return;
      // A tail this key did not write stops the run in chainOn, before anything (a refusal included) is written.
      // A refusal takes the time of the entry chained before it: nothing of the refused row's text goes into the chain.
      let lastAt = tail?.at ?? '';
      const taken = rows.map((r) => {
        const entry = fromPending(key, r);
        const macOk = entry !== null;
        // A queued nonce is unique in the queue, so a replay is one the chain already holds.
        const replayed = r.chained;
        if (entry && !replayed) {
          lastAt = entry.at;
          return { entry, nonce: r.nonce as string | null, macOk };
        }
        const refusal = { pendingId: String(r.id), problem: macOk ? 'replayed' : 'not written with the key' };
        return { entry: { at: lastAt, actor: 'system', action: REFUSED_ACTION, subject: {}, details: refusal }, nonce: replayed ? null : r.nonce, macOk };
      });
      if (!tail && taken.some((t) => !t.macOk)) {
        throw new Error('audit log: the log is empty and a queued entry does not verify with AUDIT_KEY, so a wrong key cannot be told from a forged entry; nothing was chained. Check AUDIT_KEY.');
      }
      await chainOn(taken.map((t) => t.entry), taken.map((t) => t.nonce), tail);
      // Ids as the database gave them (bigint): a row with an id past 2^53 is still found and removed.
      await db.deleteFrom('audit_pending').where('id', 'in', rows.map((r) => r.id as number)).execute();
      if (rows.length < BATCH) return;
    }
  };
  const appendNow = async (list: NewAuditEntry[]): Promise<AuditEntry[]> => {
    if (!list.length) return [];
    // Chains what waits first; then the lock (held to the commit; SQLite's write lock is held already).
    await settle();
    await lock();
    return chainOn(list);
  };
  const settled = <A extends unknown[], R>(fn: (...a: A) => Promise<R>) => async (...a: A): Promise<R> => {
    if (writes.defer) await settle();
    return fn(...a);
  };
  return {
    async append(list: NewAuditEntry[]) {
      if (!list.length) return;
      if (!writes.defer) {
        await appendNow(list);
        return;
      }
      // Once per store (and again after a chain failed): refuse to queue what could never be chained with this key.
      if (!writes.keyState.checked) {
        const problem = tailProblem(key, await readTail(), list[0]!.action);
        if (problem) throw new Error(problem);
        writes.keyState.checked = true;
      }
      const rows = queueRows(key, list);
      for (let i = 0; i < rows.length; i += BATCH) await db.insertInto('audit_pending').values(rows.slice(i, i + BATCH)).execute();
      writes.onQueued?.();
    },
    appendNow,
    settle: (queued?: boolean) => settle(queued),
    async waiting() {
      if (dialect !== 'postgres') return [];
      return (await queuedRows()).map((r) => {
        const entry = fromPending(key, r);
        return { id: Number(r.id), entry, accepted: entry !== null && !r.chained };
      });
    },
    page: settled(async (afterSeq: number, limit: number) => {
      const rows = await entries().where('l.seq', '>', afterSeq).orderBy('l.seq').limit(limit).execute();
      return rows.map((r) => toEntry(r as Row));
    }),
    head: settled(async () => {
      const row = await db.selectFrom('audit_log').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
      return row ? { seq: Number(row.seq), hash: row.hash } : { seq: 0, hash: GENESIS_HASH };
    }),
    erasable: settled(async (q: { meetingIds: string[] } | { before: string; exceptActions: string[] }) => {
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
    }),
    erase: settled(async (seqs: number[]) => {
      const gone: number[] = [];
      for (let i = 0; i < seqs.length; i += BATCH) {
        const rows = await db.deleteFrom('audit_details').where('seq', 'in', seqs.slice(i, i + BATCH)).returning('seq').execute();
        gone.push(...rows.map((r) => Number(r.seq)));
      }
      return gone.sort((a, b) => a - b);
    }),
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
