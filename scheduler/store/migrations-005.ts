import type { Kysely, Migration } from 'kysely';

/**
 * Reports: a small table of server settings (the export links' signing secret lives here, so every
 * instance signs and checks with the same one), and an index for paging history newest first.
 */
export const reportsMigration: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('settings')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('value', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    // Keyset paging orders by (start_utc, id); ties on start_utc are common (panels share 10:00 slots).
    await db.schema.createIndex('meetings_start_id').on('meetings').columns(['start_utc', 'id']).execute();
  },
};
