import type { Kysely, Migration } from 'kysely';

/** Teams: where the bot lives, which conversation each force and panel is linked to, nominations, the outbox. */
export const teamsMigration: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('conversations')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('tenant_id', 'text', (c) => c.notNull())
      .addColumn('service_url', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('team_id', 'text')
      .addColumn('user_aad_object_id', 'text')
      .addColumn('bot_id', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('removed_at', 'text')
      .execute();
    await db.schema.createIndex('conversations_user').on('conversations').columns(['user_aad_object_id']).execute();
    await db.schema
      .createTable('links')
      .addColumn('scope', 'text', (c) => c.notNull())
      .addColumn('scope_id', 'text', (c) => c.notNull())
      .addColumn('conversation_id', 'text', (c) => c.notNull())
      .addColumn('linked_by', 'text', (c) => c.notNull())
      .addColumn('linked_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('links_pk', ['scope', 'scope_id'])
      .execute();
    await db.schema
      .createTable('nominations')
      .addColumn('meeting_id', 'text', (c) => c.notNull().references('meetings.id'))
      .addColumn('force_id', 'text', (c) => c.notNull())
      .addColumn('aad_object_id', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('decision_maker', 'integer', (c) => c.notNull())
      .addColumn('nominated_by', 'text', (c) => c.notNull())
      .addColumn('nominated_at', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('nominations_pk', ['meeting_id', 'force_id'])
      .execute();
    await db.schema.createIndex('nominations_person').on('nominations').columns(['aad_object_id']).execute();
    await db.schema
      .createTable('outbox')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('conversation_id', 'text', (c) => c.notNull())
      .addColumn('meeting_id', 'text', (c) => c.notNull())
      .addColumn('force_id', 'text', (c) => c.notNull())
      .addColumn('card_id', 'text')
      .addColumn('person_aad_object_id', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull())
      .addColumn('next_attempt_at', 'text', (c) => c.notNull())
      .addColumn('lease_until', 'text')
      .addColumn('lease_owner', 'text')
      .addColumn('activity_id', 'text')
      .addColumn('last_error', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('sent_at', 'text')
      .execute();
    await db.schema.createIndex('outbox_due').on('outbox').columns(['status', 'next_attempt_at']).execute();
    await db.schema.createIndex('outbox_meeting').on('outbox').columns(['meeting_id', 'force_id']).execute();
    // Teams user ids (29:…) seen for Entra object ids: for card refresh and mentions.
    await db.schema
      .createTable('people_seen')
      .addColumn('aad_object_id', 'text', (c) => c.primaryKey())
      .addColumn('teams_user_id', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
  },
};
