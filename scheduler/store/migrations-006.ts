import type { Kysely, Migration } from 'kysely';

/**
 * Bot state: the teams-ai Application's conversation and user state, kept in the database so any instance
 * can take any turn. `etag` changes on every write, which gives botbuilder its optimistic concurrency.
 */
export const botStateMigration: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('bot_state')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('value_json', 'text', (c) => c.notNull())
      .addColumn('etag', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
  },
};
