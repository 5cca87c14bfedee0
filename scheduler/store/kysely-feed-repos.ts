import type { Kysely } from 'kysely';
import type { FeedRepo, FeedScopeKind, FeedStamp, FeedToken } from './store.js';
import type { Database, FeedTokensTable } from './tables.js';

const SCOPE_KINDS: readonly string[] = ['panel', 'force', 'person'];

function toToken(r: FeedTokensTable): FeedToken | null {
  // A row this code did not write is treated as no token at all.
  if (!SCOPE_KINDS.includes(r.scope_kind)) return null;
  return { hash: r.token_hash, owner: r.owner, scope: { kind: r.scope_kind as FeedScopeKind, id: r.scope_id }, createdAt: r.created_at, revokedAt: r.revoked_at };
}

const latest = (...values: Array<string | null | undefined>): string | null =>
  values.reduce<string | null>((a, v) => (v && (!a || v > a) ? v : a), null);

/** Calendar subscription tokens and the feed stamp. */
export function feedRepo(db: Kysely<Database>): FeedRepo {
  return {
    async save(t) {
      await db
        .insertInto('feed_tokens')
        .values({ token_hash: t.hash, owner: t.owner, scope_kind: t.scope.kind, scope_id: t.scope.id, created_at: t.createdAt, revoked_at: t.revokedAt })
        .execute();
    },
    async byHash(hash) {
      const row = await db.selectFrom('feed_tokens').selectAll().where('token_hash', '=', hash).executeTakeFirst();
      return row ? toToken(row) : null;
    },
    async revokeAll(owner, at) {
      const r = await db.updateTable('feed_tokens').set({ revoked_at: at }).where('owner', '=', owner).where('revoked_at', 'is', null).executeTakeFirst();
      return Number(r.numUpdatedRows);
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
    async forcePanels(forceId) {
      const rows = await db
        .selectFrom('panel_forces as pf')
        .innerJoin('panels as p', 'p.id', 'pf.panel_id')
        .select('p.id')
        .where('pf.force_id', '=', forceId).where('p.retired_at', 'is', null)
        .orderBy('p.id')
        .execute();
      return rows.map((r) => r.id);
    },
    stamp: (panelIds) => stamp(db, panelIds),
  };
}

async function stamp(db: Kysely<Database>, panelIds: string[]): Promise<FeedStamp> {
  if (!panelIds.length) return { key: 'none', lastModified: null };
  // One round trip, one pass per table. Sums of versions catch changes made within one clock tick; counts catch deletions.
  const row = await db
    .selectFrom([
      db.selectFrom('meetings').where('panel_id', 'in', panelIds)
        .select((s) => [s.fn.countAll<number>().as('mn'), s.fn.sum<number>('version').as('mv'), s.fn.max('updated_at').as('mu')]).as('m'),
      db.selectFrom('nominations as n').innerJoin('meetings as x', 'x.id', 'n.meeting_id').where('x.panel_id', 'in', panelIds)
        .select((s) => [s.fn.countAll<number>().as('nn'), s.fn.sum<number>('n.version').as('nv'), s.fn.max('n.nominated_at').as('nu')]).as('n'),
      db.selectFrom('panels').where('id', 'in', panelIds).select((s) => s.fn.max('updated_at').as('pu')).as('p'),
      db.selectFrom('forces').select((s) => s.fn.max('updated_at').as('fu')).as('f'),
    ])
    .selectAll()
    .executeTakeFirstOrThrow();
  const key = [row.mn, row.mv, row.mu, row.nn, row.nv, row.nu, row.pu, row.fu].map((v) => String(v ?? '')).join('|');
  return { key, lastModified: latest(row.mu, row.nu, row.pu, row.fu) };
}
