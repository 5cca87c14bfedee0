import type { Kysely, Migration } from 'kysely';

/** Chairs' records: why a meeting was cancelled, and who represented the police at it. */
export const chairsMigration: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('cancellations')
      .addColumn('meeting_id', 'text', (c) => c.primaryKey().references('meetings.id'))
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('note', 'text', (c) => c.notNull())
      .addColumn('cancelled_by', 'text', (c) => c.notNull())
      .addColumn('cancelled_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('attendance')
      .addColumn('meeting_id', 'text', (c) => c.notNull().references('meetings.id'))
      .addColumn('force_id', 'text', (c) => c.notNull())
      .addColumn('attended', 'integer', (c) => c.notNull())
      .addColumn('aad_object_id', 'text')
      .addColumn('name', 'text')
      .addColumn('substitute', 'integer', (c) => c.notNull())
      .addColumn('decision_maker', 'integer', (c) => c.notNull())
      .addColumn('recorded_by', 'text', (c) => c.notNull())
      .addColumn('recorded_at', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('attendance_pk', ['meeting_id', 'force_id'])
      .execute();
  },
};
