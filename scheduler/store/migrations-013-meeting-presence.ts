import type { Kysely, Migration } from 'kysely';

/**
 * Panel meetings held in Teams (issue 20). `teams_meetings`: a Teams meeting (Teams' own meeting id) linked to a panel
 * by `link meeting`, its chat, and the panel meeting it is being held for (set at the meeting's start).
 * `meeting_presence`: for the people the bot knows only, when they first joined a panel meeting's Teams meeting, last
 * left it, and how long they were in it. A suggestion for the chair, not evidence: its rows go once the chair records
 * attendance (record-attendance.ts). No reference to meetings, so re-planning and the purge never trip over them.
 */
export const meetingPresenceMigration: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('teams_meetings')
      .addColumn('teams_meeting_id', 'text', (c) => c.primaryKey())
      .addColumn('conversation_id', 'text', (c) => c.notNull())
      .addColumn('panel_id', 'text', (c) => c.notNull())
      .addColumn('meeting_id', 'text')
      .addColumn('linked_by', 'text', (c) => c.notNull())
      .addColumn('linked_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('meeting_presence')
      .addColumn('meeting_id', 'text', (c) => c.notNull())
      .addColumn('aad_object_id', 'text', (c) => c.notNull())
      .addColumn('first_joined', 'text', (c) => c.notNull())
      .addColumn('last_left', 'text')
      // When the person's current stay began; null while they are out of the meeting.
      .addColumn('open_since', 'text')
      .addColumn('present_seconds', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('meeting_presence_pk', ['meeting_id', 'aad_object_id'])
      .execute();
    await db.schema.createIndex('meeting_presence_joined').on('meeting_presence').columns(['first_joined']).execute();
  },
};
