import type { Kysely, Migration } from 'kysely';

/**
 * The instances sending from the outbox (issue 22): each one's random id and when it last sent. Teams' 50 messages a
 * second is per app and tenant, whatever the number of instances; each instance paces its own sends (bot/outbox-sender.ts),
 * so two instances sending at once together went up to twice that, and Teams answered 429. An instance that is sending
 * now writes its row about once a second, and divides the tenant's ceiling by the number of rows seen in the last
 * few seconds (its own included). The table holds no personal data: a random id per process and a time.
 */
export const outboxSendersMigration: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('outbox_senders')
      .addColumn('instance_id', 'text', (c) => c.primaryKey())
      .addColumn('seen_at', 'text', (c) => c.notNull())
      .execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.dropTable('outbox_senders').execute();
  },
};
