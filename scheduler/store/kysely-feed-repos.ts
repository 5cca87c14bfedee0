import { createHmac } from 'node:crypto';
import { PostgresAdapter, type Kysely } from 'kysely';
import type { AuditKey } from '../domain/audit-chain.js';
import type { FeedRepo, FeedScope, FeedScopeKind, FeedStamp, FeedToken, Grave, MeetingRevision, RemovalReason } from './store.js';
import type { Database, FeedTokensTable } from './tables.js';

const SCOPE_KINDS: readonly string[] = ['panel', 'force', 'person', 'area'];
const REASONS: readonly string[] = ['timetable-changed', 'panel-retired', 'not-shown'];
const BATCH = 200;

/** Migration 010's tables and columns, typed here beside their only user rather than in tables.ts. */
interface FeedTables {
  feed_tokens: FeedTokensTable & { seed: string | null; seen_serial: number };
  meeting_tombstones: { meeting_id: string; panel_id: string; start_utc: string; end_utc: string; revision: number; reason: string; removed_at: string };
  feed_seen: {
    token_hash: string; meeting_id: string; panel_id: string; panel_name: string; start_utc: string; end_utc: string;
    sequence: number; fingerprint: string; gone: string | null;
  };
}
type FeedDb = Kysely<Omit<Database, 'feed_tokens'> & FeedTables>;

function toToken(r: FeedTables['feed_tokens']): FeedToken | null {
  // A row this code did not write is treated as no token at all.
  if (!SCOPE_KINDS.includes(r.scope_kind)) return null;
  return {
    hash: r.token_hash, owner: r.owner, scope: { kind: r.scope_kind as FeedScopeKind, id: r.scope_id }, createdAt: r.created_at, revokedAt: r.revoked_at,
    seed: r.seed, seenSerial: Number(r.seen_serial),
  };
}

/** A reason this code did not write reads as the plainest one. */
const reason = (text: string | null): RemovalReason | null => (text === null ? null : REASONS.includes(text) ? (text as RemovalReason) : 'not-shown');

const latest = (...values: Array<string | null | undefined>): string | null =>
  values.reduce<string | null>((a, v) => (v && (!a || v > a) ? v : a), null);

/** Runs `fn` a batch of ids at a time, so a long list never passes a driver's parameter limit; returns what the batches read. */
async function inBatches<T>(ids: readonly string[], fn: (slice: string[]) => Promise<T[] | void>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < ids.length; i += BATCH) out.push(...((await fn(ids.slice(i, i + BATCH))) ?? []));
  return out;
}

/** Calendar links, the feed stamp, meetings' revisions and removals, and what each link has shown. */
export function feedRepo(base: Kysely<Database>, key: AuditKey): FeedRepo {
  const db = base as unknown as FeedDb;
  return { ...linkMethods(db, key), ...historyMethods(db), stamp: (panelIds) => stamp(db, panelIds) };
}

type LinkMethods = Pick<FeedRepo, 'save' | 'byHash' | 'liveLink' | 'token' | 'revokeAll' | 'revokeScopes' | 'rotate' | 'touch' | 'nominatedMeetings' | 'forcePanels' | 'retiredAt'>;

/**
 * The links' rows, locked (on PostgreSQL) until the transaction ends; SQLite runs one writer at a time. Revoking and
 * recording what a link showed both lock its row first, so the two never wait on each other in opposite orders.
 */
const lockTokens = (db: FeedDb, hashes: string[]) =>
  inBatches(hashes, (slice) => {
    const q = db.selectFrom('feed_tokens').select(['token_hash', 'revoked_at', 'seen_serial']).where('token_hash', 'in', slice).orderBy('token_hash');
    return (db.getExecutor().adapter instanceof PostgresAdapter ? q.forUpdate() : q).execute();
  });

const insertToken = (db: FeedDb, t: FeedToken, seenSerial: number) =>
  db
    .insertInto('feed_tokens')
    .values({ token_hash: t.hash, owner: t.owner, scope_kind: t.scope.kind, scope_id: t.scope.id, created_at: t.createdAt, revoked_at: t.revokedAt, seed: t.seed ?? null, seen_serial: seenSerial })
    // The partial unique index: a second live seeded link for the same owner and scope is not made (two `subscribe`s racing).
    .onConflict((oc) => oc.columns(['owner', 'scope_kind', 'scope_id']).where('revoked_at', 'is', null).where('seed', 'is not', null).doNothing())
    .executeTakeFirst()
    .then((r) => Number(r.numInsertedOrUpdatedRows ?? 0n) === 1);

function linkMethods(db: FeedDb, key: AuditKey): LinkMethods {
  const live = (owner: string) => db.selectFrom('feed_tokens').where('owner', '=', owner).where('revoked_at', 'is', null);
  const scoped = (owner: string, scopes: FeedScope[]) =>
    live(owner).where((eb) => eb.or(scopes.map((s) => eb.and([eb('scope_kind', '=', s.kind), eb('scope_id', '=', s.id)]))));
  /** Revokes the links, forgetting what they showed except what `keep` (a link's hash) hands on. */
  const revoke = async (owner: string, hashes: string[], at: string, keep?: string) => {
    if (!hashes.length) return 0;
    await lockTokens(db, hashes);
    const forget = hashes.filter((h) => h !== keep);
    await inBatches(forget, async (slice) => void (await db.deleteFrom('feed_seen').where('token_hash', 'in', slice).execute()));
    const r = await db.updateTable('feed_tokens').set({ revoked_at: at }).where('owner', '=', owner).where('token_hash', 'in', hashes).where('revoked_at', 'is', null).executeTakeFirst();
    return Number(r.numUpdatedRows);
  };
  return {
    save: (t) => insertToken(db, t, 0),
    async rotate(owner, scope, successor, at) {
      const rows = await scoped(owner, [scope]).select(['token_hash', 'seen_serial']).execute();
      // The link that has shown most hands on what it showed, so the calendar that swaps links sees nothing go backwards.
      const from = rows.reduce<(typeof rows)[number] | undefined>((a, r) => (a === undefined || Number(r.seen_serial) > Number(a.seen_serial) ? r : a), undefined);
      await revoke(owner, rows.map((r) => r.token_hash), at, from?.token_hash);
      if (!(await insertToken(db, successor, Number(from?.seen_serial ?? 0)))) {
        if (from) await db.deleteFrom('feed_seen').where('token_hash', '=', from.token_hash).execute();
        return false;
      }
      if (from) await db.updateTable('feed_seen').set({ token_hash: successor.hash }).where('token_hash', '=', from.token_hash).execute();
      return true;
    },
    async byHash(hash) {
      const row = await db.selectFrom('feed_tokens').selectAll().where('token_hash', '=', hash).executeTakeFirst();
      return row ? toToken(row) : null;
    },
    async liveLink(owner, scope) {
      const row = await live(owner).selectAll().where('scope_kind', '=', scope.kind).where('scope_id', '=', scope.id).where('seed', 'is not', null).executeTakeFirst();
      return row ? toToken(row) : null;
    },
    // Once per link, so the key's text is used as it is (the audit chain keeps a key object: it makes two per entry).
    token: (seed) => createHmac('sha256', key.secret).update('calendar-link').update('\n').update(seed).digest('base64url'),
    revokeAll: async (owner, at) => revoke(owner, (await live(owner).select('token_hash').execute()).map((r) => r.token_hash), at),
    async revokeScopes(owner, scopes: FeedScope[], at) {
      if (!scopes.length) return 0;
      const rows = await scoped(owner, scopes).select('token_hash').execute();
      return revoke(owner, rows.map((r) => r.token_hash), at);
    },
    async touch(hash, at, staleBefore) {
      // Read first: an UPDATE that matches nothing still takes SQLite's write lock, and feeds are fetched far more often than written.
      const row = await db.selectFrom('feed_tokens').select('last_used_at').where('token_hash', '=', hash).executeTakeFirst();
      if (!row || (row.last_used_at !== null && row.last_used_at >= staleBefore)) return false;
      const r = await db
        .updateTable('feed_tokens')
        .set({ last_used_at: at })
        .where('token_hash', '=', hash)
        .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', staleBefore)]))
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
    async nominatedMeetings(aad, from, to) {
      const rows = await db
        .selectFrom('nominations as n')
        .innerJoin('meetings as m', 'm.id', 'n.meeting_id')
        .select(['n.meeting_id', 'm.panel_id'])
        .where('n.aad_object_id', '=', aad).where('m.start_utc', '>=', from).where('m.start_utc', '<', to)
        .orderBy('n.meeting_id')
        .execute();
      return rows.map((r) => ({ meetingId: r.meeting_id, panelId: r.panel_id }));
    },
    async forcePanels(forceId, retiredSince) {
      const rows = await db
        .selectFrom('panel_forces as pf')
        .innerJoin('panels as p', 'p.id', 'pf.panel_id')
        .select('p.id')
        .where('pf.force_id', '=', forceId)
        .where((eb) => (retiredSince === undefined ? eb('p.retired_at', 'is', null) : eb.or([eb('p.retired_at', 'is', null), eb('p.retired_at', '>=', retiredSince)])))
        .orderBy('p.id')
        .execute();
      return rows.map((r) => r.id);
    },
    async retiredAt(kind, ids) {
      const table = kind === 'panel' ? 'panels' : 'forces';
      const rows = await inBatches(ids, (slice) => db.selectFrom(table).select(['id', 'retired_at']).where('id', 'in', slice).where('retired_at', 'is not', null).execute());
      return new Map(rows.map((r) => [r.id, r.retired_at!]));
    },
  };
}

type HistoryMethods = Pick<FeedRepo, 'revisions' | 'graves' | 'lay' | 'bury' | 'tombstones' | 'pruneTombstones' | 'seen' | 'remember'>;

function historyMethods(db: FeedDb): HistoryMethods {
  const revisions = async (ids: string[]): Promise<Map<string, MeetingRevision>> => {
    const out = new Map<string, MeetingRevision>();
    await inBatches(ids, async (slice) => {
      const live = await db
        .selectFrom('meetings as m')
        .leftJoin('meeting_tombstones as t', 't.meeting_id', 'm.id')
        .select((eb) => [
          'm.id', 'm.version', 't.revision as floor',
          eb.selectFrom('nominations as n').whereRef('n.meeting_id', '=', 'm.id').select((s) => s.fn.sum<number>('n.version').as('v')).as('named'),
          eb.selectFrom('attendance as a').whereRef('a.meeting_id', '=', 'm.id').select((s) => s.fn.sum<number>('a.version').as('v')).as('recorded'),
        ])
        .where('m.id', 'in', slice)
        .execute();
      for (const r of live) out.set(r.id, { revision: [r.version, r.floor, r.named, r.recorded].reduce<number>((a, v) => a + Number(v ?? 0), 0), removed: null });
      const gone = await db.selectFrom('meeting_tombstones').select(['meeting_id', 'revision', 'reason']).where('meeting_id', 'in', slice).execute();
      for (const r of gone) if (!out.has(r.meeting_id)) out.set(r.meeting_id, { revision: Number(r.revision), removed: reason(r.reason) });
    });
    return out;
  };
  const graves = async (ids: string[]): Promise<Grave[]> => {
    const now = await revisions(ids);
    const rows = await inBatches(ids, (slice) => db.selectFrom('meetings').select(['id', 'panel_id', 'start_utc', 'end_utc']).where('id', 'in', slice).execute());
    return rows.map((r) => ({ meetingId: r.id, panelId: r.panel_id, start: r.start_utc, end: r.end_utc, revision: (now.get(r.id)?.revision ?? 0) + 1 }));
  };
  const lay = async (dug: Grave[], why: RemovalReason, at: string) => {
    for (const g of dug) {
      const row = { meeting_id: g.meetingId, panel_id: g.panelId, start_utc: g.start, end_utc: g.end, revision: g.revision, reason: why, removed_at: at };
      await db.insertInto('meeting_tombstones').values(row).onConflict((oc) => oc.column('meeting_id').doUpdateSet(row)).execute();
    }
  };
  return {
    revisions,
    graves,
    lay,
    bury: async (ids, why, at) => lay(await graves(ids), why, at),
    async tombstones(panelIds, from, to, removedAfter) {
      const rows = await inBatches(panelIds, (slice) =>
        db.selectFrom('meeting_tombstones').selectAll()
          .where('panel_id', 'in', slice).where('start_utc', '>=', from).where('start_utc', '<', to).where('removed_at', '>', removedAfter)
          // A meeting that came back keeps its tombstone (its revision floor), but is not removed.
          .where((eb) => eb.not(eb.exists(eb.selectFrom('meetings').select('meetings.id').whereRef('meetings.id', '=', 'meeting_tombstones.meeting_id'))))
          .execute());
      return rows.map((r) => ({ meetingId: r.meeting_id, panelId: r.panel_id, start: r.start_utc, end: r.end_utc, revision: Number(r.revision), reason: reason(r.reason) ?? 'not-shown' }));
    },
    async pruneTombstones(before) {
      const r = await db
        .deleteFrom('meeting_tombstones')
        .where('start_utc', '<', before)
        .where((eb) => eb.not(eb.exists(eb.selectFrom('meetings').select('meetings.id').whereRef('meetings.id', '=', 'meeting_tombstones.meeting_id'))))
        .executeTakeFirst();
      return Number(r.numDeletedRows);
    },
    async seen(hash) {
      const rows = await db.selectFrom('feed_seen').selectAll().where('token_hash', '=', hash).orderBy('meeting_id').execute();
      return rows.map((r) => ({
        meetingId: r.meeting_id, panelId: r.panel_id, panelName: r.panel_name, start: r.start_utc, end: r.end_utc,
        sequence: Number(r.sequence), fingerprint: r.fingerprint, gone: reason(r.gone),
      }));
    },
    async remember(hash, changed, dropped) {
      const [token] = await lockTokens(db, [hash]);
      // Revoked while this fetch was building: nothing to record, since what it showed was forgotten with it.
      if (!token || token.revoked_at !== null) return Number(token?.seen_serial ?? 0);
      await inBatches(dropped, async (slice) => void (await db.deleteFrom('feed_seen').where('token_hash', '=', hash).where('meeting_id', 'in', slice).execute()));
      for (let i = 0; i < changed.length; i += BATCH) {
        const rows = changed.slice(i, i + BATCH).map((s) => ({
          token_hash: hash, meeting_id: s.meetingId, panel_id: s.panelId, panel_name: s.panelName, start_utc: s.start, end_utc: s.end,
          sequence: s.sequence, fingerprint: s.fingerprint, gone: s.gone,
        }));
        await db
          .insertInto('feed_seen')
          .values(rows)
          .onConflict((oc) =>
            oc.columns(['token_hash', 'meeting_id'])
              .doUpdateSet((eb) => ({
                panel_id: eb.ref('excluded.panel_id'), panel_name: eb.ref('excluded.panel_name'), start_utc: eb.ref('excluded.start_utc'), end_utc: eb.ref('excluded.end_utc'),
                sequence: eb.ref('excluded.sequence'), fingerprint: eb.ref('excluded.fingerprint'), gone: eb.ref('excluded.gone'),
              }))
              // Two fetches racing: the one that read an older state never lowers what the other recorded.
              .where('feed_seen.sequence', '<=', (eb) => eb.ref('excluded.sequence')),
          )
          .execute();
      }
      // Dropping rows older than the window changes no body (they are no longer shown), so only a change moves the serial.
      const r = changed.length
        ? await db.updateTable('feed_tokens').set((eb) => ({ seen_serial: eb('seen_serial', '+', 1) })).where('token_hash', '=', hash).returning('seen_serial').executeTakeFirst()
        : await db.selectFrom('feed_tokens').select('seen_serial').where('token_hash', '=', hash).executeTakeFirst();
      return Number(r?.seen_serial ?? 0);
    },
  };
}

async function stamp(db: FeedDb, panelIds: string[]): Promise<FeedStamp> {
  if (!panelIds.length) return { key: 'none', lastModified: null };
  // One round trip, one pass per table. Sums of versions catch changes made within one clock tick; counts catch deletions.
  const row = await db
    .selectFrom([
      db.selectFrom('meetings').where('panel_id', 'in', panelIds)
        .select((s) => [s.fn.countAll<number>().as('mn'), s.fn.sum<number>('version').as('mv'), s.fn.max('updated_at').as('mu')]).as('m'),
      db.selectFrom('nominations as n').innerJoin('meetings as x', 'x.id', 'n.meeting_id').where('x.panel_id', 'in', panelIds)
        .select((s) => [s.fn.countAll<number>().as('nn'), s.fn.sum<number>('n.version').as('nv'), s.fn.max('n.nominated_at').as('nu')]).as('n'),
      // Attendance shows in a feed only through the meeting's status, but it is part of the meeting's revision (SEQUENCE).
      db.selectFrom('attendance as a').innerJoin('meetings as y', 'y.id', 'a.meeting_id').where('y.panel_id', 'in', panelIds)
        .select((s) => s.fn.sum<number>('a.version').as('av')).as('a'),
      db.selectFrom('meeting_tombstones').where('panel_id', 'in', panelIds).select((s) => s.fn.sum<number>('revision').as('tv')).as('t'),
      db.selectFrom('panels').where('id', 'in', panelIds).select((s) => s.fn.max('updated_at').as('pu')).as('p'),
      db.selectFrom('forces').select((s) => s.fn.max('updated_at').as('fu')).as('f'),
    ])
    .selectAll()
    .executeTakeFirstOrThrow();
  const key = [row.mn, row.mv, row.mu, row.nn, row.nv, row.nu, row.av, row.tv, row.pu, row.fu].map((v) => String(v ?? '')).join('|');
  return { key, lastModified: latest(row.mu, row.nu, row.pu, row.fu) };
}
