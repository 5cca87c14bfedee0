import type { Kysely, Migration } from 'kysely';

/** Calendar subscription links: only a SHA-256 of each token is kept, so a database copy cannot be used to subscribe. */
export const feedsMigration: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('feed_tokens')
      .addColumn('token_hash', 'text', (c) => c.primaryKey())
      .addColumn('owner', 'text', (c) => c.notNull())
      .addColumn('scope_kind', 'text', (c) => c.notNull())
      .addColumn('scope_id', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('revoked_at', 'text')
      .execute();
    await db.schema.createIndex('feed_tokens_owner').on('feed_tokens').columns(['owner']).execute();
  },
};
