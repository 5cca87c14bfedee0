import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Calendar feeds that never go backwards (issue 23). `meeting_tombstones`: why a meeting left the timetable and the
 * revision it had then, kept after its row is deleted, so a meeting that comes back counts on from there. `feed_seen`:
 * what each link last showed of each meeting (SEQUENCE, a fingerprint, enough to show it removed), deleted with the
 * link. Links get the seed their token is derived from (so `subscribe` can show a live link again) and a serial that
 * moves whenever what a link has seen changes; one live seeded link per owner and scope.
 */
export const feedRevisionsMigration: Migration = {
  async up(db: Kysely<any>) {
    if (db.isTransaction) return feeds(db);
    await db.transaction().execute(feeds);
  },
};

async function feeds(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('meeting_tombstones')
    .addColumn('meeting_id', 'text', (c) => c.primaryKey())
    .addColumn('panel_id', 'text', (c) => c.notNull())
    .addColumn('start_utc', 'text', (c) => c.notNull())
    .addColumn('end_utc', 'text', (c) => c.notNull())
    // The revision the meeting reached when it was last removed, plus one: what its tombstone shows.
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('removed_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('meeting_tombstones_start').on('meeting_tombstones').columns(['start_utc']).execute();
  await db.schema.createIndex('meeting_tombstones_panel').on('meeting_tombstones').columns(['panel_id', 'start_utc']).execute();
  await db.schema.alterTable('feed_tokens').addColumn('seed', 'text').execute();
  await db.schema.alterTable('feed_tokens').addColumn('seen_serial', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  // Links issued before this migration have no seed and cannot be shown again; they stay valid beside the new one.
  await sql`create unique index feed_tokens_one_live on feed_tokens (owner, scope_kind, scope_id) where revoked_at is null and seed is not null`.execute(db);
  await db.schema
    .createTable('feed_seen')
    .addColumn('token_hash', 'text', (c) => c.notNull().references('feed_tokens.token_hash').onDelete('cascade'))
    // No reference to meetings: a removed meeting's row is what keeps it in the feed, cancelled.
    .addColumn('meeting_id', 'text', (c) => c.notNull())
    .addColumn('panel_id', 'text', (c) => c.notNull())
    .addColumn('panel_name', 'text', (c) => c.notNull())
    .addColumn('start_utc', 'text', (c) => c.notNull())
    .addColumn('end_utc', 'text', (c) => c.notNull())
    .addColumn('sequence', 'integer', (c) => c.notNull())
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    // Null while the feed shows the meeting; the reason category once it shows it removed.
    .addColumn('gone', 'text')
    .addPrimaryKeyConstraint('feed_seen_pk', ['token_hash', 'meeting_id'])
    .execute();
}
