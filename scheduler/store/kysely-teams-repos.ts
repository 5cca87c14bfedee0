import { sql, type Kysely, type QueryCreator, type Selectable } from 'kysely';
import type { Conversation, Nomination, OutboxMessage } from '../domain/types.js';
import type { NominationRepo, OutboxDepth, OutboxRepo, TeamsRepo } from './store.js';
import { distinctPeople, toNomination } from './row-mappers.js';
import type { ConversationsTable, Database, NominationRow, OutboxTable } from './tables.js';

export type Dialect = 'sqlite' | 'postgres';
/** Rows per insert: 16 columns each stays well under both databases' limits on bound parameters. */
const BATCH = 400;

const toConversation = (r: Selectable<ConversationsTable>): Conversation => ({
  id: r.id,
  tenantId: r.tenant_id,
  serviceUrl: r.service_url,
  kind: r.kind as Conversation['kind'],
  teamId: r.team_id,
  userAadObjectId: r.user_aad_object_id,
  botId: r.bot_id,
});

/** Personal chats still open, newest first (the caller says whose): latestChats keeps each person's newest. */
export const personalChatsQuery = (db: Kysely<Database>) =>
  db.selectFrom('conversations').selectAll().where('kind', '=', 'personal').where('removed_at', 'is', null).orderBy('updated_at', 'desc');

export function latestChats(rows: Array<Selectable<ConversationsTable>>): Map<string, Conversation> {
  const latest = new Map<string, Conversation>();
  for (const r of rows) if (!latest.has(r.user_aad_object_id!)) latest.set(r.user_aad_object_id!, toConversation(r));
  return latest;
}

/** A meeting's outbox messages, oldest first (outbox.list with a meetingId). */
export const meetingOutboxQuery = (db: Kysely<Database>, meetingId: string) =>
  db.selectFrom('outbox').selectAll().where('meeting_id', '=', meetingId).orderBy('created_at').orderBy('id');

/** Conversations, links and people seen. */
export function teamsRepo(db: Kysely<Database>): TeamsRepo {
  return {
    async saveConversation(c, at) {
      const row = {
        id: c.id, tenant_id: c.tenantId, service_url: c.serviceUrl, kind: c.kind, team_id: c.teamId,
        user_aad_object_id: c.userAadObjectId, bot_id: c.botId, updated_at: at, removed_at: null,
      };
      await db.insertInto('conversations').values(row).onConflict((oc) => oc.column('id').doUpdateSet(row)).execute();
    },
    async removeConversation(id, at, teamId) {
      // Removed from a team: every Teams channel of that team goes with it.
      await db
        .updateTable('conversations').set({ removed_at: at, updated_at: at })
        .where((eb) => (teamId ? eb.or([eb('id', '=', id), eb('team_id', '=', teamId)]) : eb('id', '=', id)))
        .execute();
    },
    async getConversation(id) {
      const r = await db.selectFrom('conversations').selectAll().where('id', '=', id).where('removed_at', 'is', null).executeTakeFirst();
      return r ? toConversation(r) : null;
    },
    async personalConversation(aad) {
      const r = await db
        .selectFrom('conversations').selectAll()
        .where('user_aad_object_id', '=', aad).where('kind', '=', 'personal').where('removed_at', 'is', null)
        .orderBy('updated_at', 'desc').limit(1).executeTakeFirst();
      return r ? toConversation(r) : null;
    },
    async personalConversations(aads) {
      if (!aads.length) return new Map();
      return latestChats(await personalChatsQuery(db).where('user_aad_object_id', 'in', aads).execute());
    },
    async link(scope, scopeId, conversationId, by, at) {
      const row = { scope, scope_id: scopeId, conversation_id: conversationId, linked_by: by, linked_at: at };
      await db.insertInto('links').values(row).onConflict((oc) => oc.columns(['scope', 'scope_id']).doUpdateSet(row)).execute();
    },
    async linkedConversation(scope, scopeId) {
      const r = await db.selectFrom('links').select('conversation_id').where('scope', '=', scope).where('scope_id', '=', scopeId).executeTakeFirst();
      return r?.conversation_id ?? null;
    },
    async rememberPerson(aad, teamsUserId, name, at) {
      const row = { aad_object_id: aad, teams_user_id: teamsUserId, name, updated_at: at };
      await db.insertInto('people_seen').values(row).onConflict((oc) => oc.column('aad_object_id').doUpdateSet(row)).execute();
    },
    async teamsUserIds(aads) {
      if (!aads.length) return new Map();
      const rows = await db.selectFrom('people_seen').select(['aad_object_id', 'teams_user_id']).where('aad_object_id', 'in', aads).execute();
      return new Map(rows.map((r) => [r.aad_object_id, r.teams_user_id]));
    },
  };
}

/** A nomination as its row, but for its meeting's start (which the database keeps: migrations-015). */
export const toNominationRow = (n: Nomination): NominationRow => ({
  meeting_id: n.meetingId, force_id: n.forceId, aad_object_id: n.aadObjectId, name: n.name, role: n.role,
  decision_maker: n.decisionMaker ? 1 : 0, nominated_by: n.nominatedBy, nominated_at: n.nominatedAt, version: n.version,
});

/** The latest nomination per meeting and force. */
export function nominationRepo(db: Kysely<Database>, dialect: Dialect): NominationRepo {
  return {
    async get(meetingId, forceId) {
      const r = await db.selectFrom('nominations').selectAll().where('meeting_id', '=', meetingId).where('force_id', '=', forceId).executeTakeFirst();
      return r ? toNomination(r) : null;
    },
    async listForMeetings(ids) {
      if (!ids.length) return [];
      const out: Nomination[] = [];
      for (let i = 0; i < ids.length; i += 500) {
        const rows = await db.selectFrom('nominations').selectAll().where('meeting_id', 'in', ids.slice(i, i + 500)).orderBy('force_id').execute();
        out.push(...rows.map(toNomination));
      }
      return out;
    },
    async save(n, opts) {
      const row = toNominationRow(n);
      const lock = (qc: QueryCreator<Database>) => qc.updateTable('meetings').set({ locked: 1, updated_at: opts!.lockMeetingAt }).where('id', '=', n.meetingId).where('locked', '=', 0);
      // On PostgreSQL the meeting's lock rides along the upsert (a data-modifying CTE): one round trip, not two.
      const qc = (opts && dialect === 'postgres' ? db.with('locked', (q) => lock(q).returning('id')) : db) as QueryCreator<Database>;
      if (opts && dialect !== 'postgres') await lock(db).execute();
      // The meeting's start is copied in (the recent-nominees index, migrations-015); an update leaves the copy alone, as a
      // nomination never changes meeting (the meeting's moves reach it by trigger).
      const start = db.selectFrom('meetings').select('start_utc').where('id', '=', n.meetingId);
      await qc.insertInto('nominations').values({ ...row, meeting_start_utc: start }).onConflict((oc) => oc.columns(['meeting_id', 'force_id']).doUpdateSet(row)).execute();
    },
    async recentPeople(forceId, before, limit) {
      // One index range (force_id, meeting_start_utc, meeting_id), newest first: no walk over every panel's meetings.
      const rows = await db
        .selectFrom('nominations').select(['aad_object_id', 'name'])
        .where('force_id', '=', forceId).where('meeting_start_utc', '<', before)
        .orderBy('meeting_start_utc', 'desc').orderBy('meeting_id', 'desc').limit(limit * 4).execute();
      return distinctPeople(rows, limit);
    },
  };
}

export const toOutbox = (r: Selectable<OutboxTable>): OutboxMessage => ({
  id: r.id,
  kind: r.kind as OutboxMessage['kind'],
  conversationId: r.conversation_id,
  meetingId: r.meeting_id,
  forceId: r.force_id,
  cardId: r.card_id,
  personAadObjectId: r.person_aad_object_id,
  status: r.status as OutboxMessage['status'],
  attempts: r.attempts,
  nextAttemptAt: r.next_attempt_at,
  activityId: r.activity_id,
  lastError: r.last_error,
  createdAt: r.created_at,
});

/** A message as a new outbox row: not leased, not sent. */
export const toOutboxRow = (m: OutboxMessage): Selectable<OutboxTable> => ({
  id: m.id, kind: m.kind, conversation_id: m.conversationId, meeting_id: m.meetingId, force_id: m.forceId,
  card_id: m.cardId, person_aad_object_id: m.personAadObjectId, status: m.status, attempts: m.attempts,
  next_attempt_at: m.nextAttemptAt, lease_until: null, lease_owner: null, activity_id: m.activityId, last_error: m.lastError,
  created_at: m.createdAt, sent_at: null,
});

/** The outbox: intents to send, claimed under a lease so one instance sends each. */
export function outboxRepo(db: Kysely<Database>, dialect: Dialect): OutboxRepo {
  return {
    async enqueue(ms) {
      // One statement a batch, not one a message: inside a transaction each statement is a round trip on PostgreSQL.
      const added = new Set<string>();
      for (let i = 0; i < ms.length; i += BATCH) {
        const rows = await db
          .insertInto('outbox')
          .values(ms.slice(i, i + BATCH).map(toOutboxRow))
          .onConflict((oc) => oc.column('id').doNothing())
          .returning('id')
          .execute();
        for (const r of rows) added.add(r.id);
      }
      // In the order given, each once, as the callers queued them.
      return [...new Set(ms.map((m) => m.id))].filter((id) => added.has(id));
    },
    async claimDue(now, leaseUntil, limit, owner) {
      // Fair to every conversation: each one's oldest due message first, then each one's second, and so on, so a batch
      // spreads over many Teams channels (each paced on its own) instead of queueing behind one. Within a conversation
      // the order is the order queued. The ranking is a subquery joined back, so PostgreSQL can lock just the outbox rows
      // and apply the limit after SKIP LOCKED: two instances claiming at once take different messages, not none. (The
      // store claims on PostgreSQL with claimDueInOneStatement; this is SQLite's, and any claim inside a transaction.)
      let q = duePicks(db, now, limit);
      if (dialect === 'postgres') q = q.forUpdate(['outbox']).skipLocked();
      const ids = await leaseIfFree(db, (await q.execute()).map((r) => r.id), now, leaseUntil, owner);
      if (!ids.length) return [];
      const rows = await db.selectFrom('outbox').selectAll().where('id', 'in', ids).orderBy('created_at').orderBy('id').execute();
      return rows.map(toOutbox);
    },
    async get(id) {
      const r = await db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirst();
      return r ? toOutbox(r) : null;
    },
    async renewLease(id, owner, now, leaseUntil) {
      const r = await db
        .updateTable('outbox').set({ lease_until: leaseUntil })
        .where('id', '=', id).where('lease_owner', '=', owner).where('status', '=', 'pending').where('lease_until', '>=', now)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
    async markSent(id, activityId, at) {
      await db.updateTable('outbox')
        .set((eb) => ({ status: 'sent', activity_id: activityId, sent_at: at, lease_until: null, attempts: eb('attempts', '+', 1) }))
        .where('id', '=', id).execute();
    },
    async markRetry(id, nextAttemptAt, error) {
      await db.updateTable('outbox')
        .set((eb) => ({ next_attempt_at: nextAttemptAt, last_error: error, lease_until: null, attempts: eb('attempts', '+', 1) }))
        .where('id', '=', id).execute();
    },
    async defer(id, nextAttemptAt, reason, owner) {
      let q = db.updateTable('outbox').set({ next_attempt_at: nextAttemptAt, last_error: reason, lease_until: null }).where('id', '=', id);
      if (owner !== undefined) q = q.where('lease_owner', '=', owner).where('status', '=', 'pending');
      await q.execute();
    },
    async senders(instanceId, now, since) {
      // Others counted as they stood before this call, then this instance: at least 1, whatever the clocks say.
      const gone = db.deleteFrom('outbox_senders').where('seen_at', '<', since).where('instance_id', '<>', instanceId);
      const me = db.insertInto('outbox_senders').values({ instance_id: instanceId, seen_at: now }).onConflict((oc) => oc.column('instance_id').doUpdateSet({ seen_at: now }));
      const others = (qc: QueryCreator<Database>) =>
        qc.selectFrom('outbox_senders').select((eb) => eb.fn.countAll<number | string>().as('n')).where('seen_at', '>=', since).where('instance_id', '<>', instanceId);
      // PostgreSQL: one statement, the removal and this instance's row as data-modifying CTEs; SQLite: the three in turn.
      if (dialect !== 'postgres') {
        await gone.execute();
        await me.execute();
      }
      // The CTEs' names are never read, so the creator is typed as the plain one.
      const count = others(dialect === 'postgres' ? (db.with('gone', () => gone).with('me', () => me) as unknown as QueryCreator<Database>) : db);
      return Number((await count.executeTakeFirstOrThrow()).n) + 1;
    },
    async markFinal(id, status, reason, at) {
      await db.updateTable('outbox')
        .set((eb) => ({ status, last_error: reason, sent_at: at, lease_until: null, attempts: eb('attempts', '+', status === 'failed' ? 1 : 0) }))
        .where('id', '=', id).execute();
    },
    async list(f = {}) {
      // A meeting's messages as a press reads them (press-reads.ts reads the same query).
      let q = f.meetingId ? meetingOutboxQuery(db, f.meetingId) : db.selectFrom('outbox').selectAll().orderBy('created_at').orderBy('id');
      if (f.status) q = q.where('status', '=', f.status);
      return (await q.execute()).map(toOutbox);
    },
    async depth(now) {
      // Counted where the rows are: the gauge is read on every scrape, and every waiting row (and every failed one,
      // kept until someone looks) used to be read into the process to count them.
      const state = sql<OutboxDepth['state']>`case when status = 'failed' then 'failed' when next_attempt_at <= ${now} then 'due' when attempts > 0 then 'retrying' else 'deferred' end`;
      const rows = await db
        .selectFrom('outbox')
        .select((eb) => ['kind', state.as('state'), eb.fn.countAll<number | string | bigint>().as('count')])
        .where('status', 'in', ['pending', 'failed'])
        .groupBy(['kind', 'state'])
        .orderBy('kind')
        .orderBy('state')
        .execute();
      return rows.map((r) => ({ kind: r.kind, state: r.state, count: Number(r.count) }));
    },
  };
}

/** The ids of up to `limit` due messages nobody holds, fairly over conversations (claimDue). */
function duePicks(db: QueryCreator<Database>, now: string, limit: number) {
  const ranked = db
    .selectFrom('outbox')
    .select(['id', sql<number>`row_number() over (partition by conversation_id order by created_at, id)`.as('turn')])
    .where('status', '=', 'pending').where('next_attempt_at', '<=', now)
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]));
  return db
    .selectFrom('outbox').innerJoin(ranked.as('r'), 'r.id', 'outbox.id')
    .select('outbox.id')
    .orderBy('r.turn').orderBy('outbox.created_at').orderBy('outbox.id').limit(limit);
}

/**
 * PostgreSQL, outside a transaction: claimDue's pick, lease and read in one statement instead of five (begin, pick,
 * lease, read, commit). The picked rows are locked (SKIP LOCKED, so two instances take different messages) until the
 * statement ends, and the lease's conditions are checked again on each row as it stands, as `leaseIfFree` checks them.
 */
export async function claimDueInOneStatement(db: Kysely<Database>, now: string, leaseUntil: string, limit: number, owner: string): Promise<OutboxMessage[]> {
  const rows = await db
    .with('picked', (qc) => duePicks(qc, now, limit).forUpdate(['outbox']).skipLocked())
    .with('claimed', (qc) =>
      qc.updateTable('outbox').set({ lease_until: leaseUntil, lease_owner: owner })
        // The picked ids as one array, so each row is found by its key: `in (select …)` let the planner scan every
        // pending row for each picked one (75 ms at 4,000 pending, against about 16–18 for the transaction it replaces).
        .where(sql<boolean>`id = any(array(select id from picked))`)
        .where('status', '=', 'pending').where('next_attempt_at', '<=', now)
        .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
        .returningAll())
    .selectFrom('claimed').selectAll().orderBy('created_at').orderBy('id')
    .execute();
  return rows.map(toOutbox);
}

/**
 * Leases those of `ids` that are still pending, due and free, and answers which: the repository's claimDue (SQLite's,
 * and PostgreSQL's inside a transaction, which the bot does not use to claim). On PostgreSQL a row another instance
 * leased (or sent, or put off) and committed after the claim's snapshot can still be picked by it (the lock re-checks
 * only the join, not the ranking subquery's conditions), so without this both instances would send it, or one would
 * send it before its retry time; the claim then takes fewer, and the next takes the rest. (Repeating the conditions in
 * the locking select instead made the claim take seconds at 4,000 pending; claimDueInOneStatement checks them in its
 * update, as this does.)
 */
export async function leaseIfFree(db: Kysely<Database>, ids: string[], now: string, leaseUntil: string, owner: string): Promise<string[]> {
  if (!ids.length) return [];
  const rows = await db
    .updateTable('outbox').set({ lease_until: leaseUntil, lease_owner: owner })
    .where('id', 'in', ids).where('status', '=', 'pending').where('next_attempt_at', '<=', now)
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
    .returning('id').execute();
  return rows.map((r) => r.id);
}
