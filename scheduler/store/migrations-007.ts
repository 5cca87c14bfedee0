import type { Kysely, Migration } from 'kysely';

/**
 * Attendance evidence: a force's record becomes an outcome with any number of attendees (kept as JSON, read
 * through a schema), where it came from and the force's word on it; a meeting's own record (held, or not held
 * and why, with other agencies as counts); apologies sent in advance; forces invited to one meeting.
 * Records made before this keep what they said: attended or absent, one attendee, "yes" or "no".
 */
export const evidenceMigration: Migration = {
  async up(db: Kysely<any>) {
    const add = (column: string, fallback: string) => db.schema.alterTable('attendance').addColumn(column, 'text', (c) => c.notNull().defaultTo(fallback)).execute();
    await add('outcome', 'absent');
    await add('attendees_json', '[]');
    await add('source', 'chair');
    await add('force_confirmation', 'not-needed');
    await db.schema.alterTable('attendance').addColumn('confirmed_by', 'text').execute();
    await db.schema.alterTable('attendance').addColumn('confirmed_at', 'text').execute();
    const old = await db.selectFrom('attendance').selectAll().execute();
    for (const r of old) {
      const attendees = r.attended ? [{ aadObjectId: r.aad_object_id, tenantId: null, name: r.name ?? '', roleCategory: null, role: '', unit: null, mode: null, decisionMaker: r.decision_maker ? 'yes' : 'no', substitute: r.substitute === 1 }] : [];
      await db.updateTable('attendance').set({
        outcome: r.attended ? 'attended' : 'absent',
        attendees_json: JSON.stringify(attendees),
        force_confirmation: r.attended && r.substitute ? 'pending' : 'not-needed',
      }).where('meeting_id', '=', r.meeting_id).where('force_id', '=', r.force_id).execute();
    }
    for (const c of ['attended', 'aad_object_id', 'name', 'substitute', 'decision_maker']) await db.schema.alterTable('attendance').dropColumn(c).execute();

    await db.schema
      .createTable('meeting_records')
      .addColumn('meeting_id', 'text', (c) => c.primaryKey().references('meetings.id'))
      .addColumn('outcome', 'text', (c) => c.notNull())
      .addColumn('not_held_reason', 'text')
      .addColumn('agencies_json', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('recorded_by', 'text', (c) => c.notNull())
      .addColumn('recorded_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('apologies')
      .addColumn('meeting_id', 'text', (c) => c.notNull().references('meetings.id'))
      .addColumn('force_id', 'text', (c) => c.notNull())
      .addColumn('sent_by', 'text', (c) => c.notNull())
      .addColumn('sent_by_name', 'text', (c) => c.notNull())
      .addColumn('substitute_aad_object_id', 'text')
      .addColumn('substitute_name', 'text')
      .addColumn('sent_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('apologies_pk', ['meeting_id', 'force_id'])
      .execute();
    await db.schema
      .createTable('invitations')
      .addColumn('meeting_id', 'text', (c) => c.notNull().references('meetings.id'))
      .addColumn('force_id', 'text', (c) => c.notNull())
      .addColumn('invited_by', 'text', (c) => c.notNull())
      .addColumn('invited_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('invitations_pk', ['meeting_id', 'force_id'])
      .execute();
    await db.schema.createIndex('invitations_force').on('invitations').columns(['force_id', 'meeting_id']).execute();
  },
};
