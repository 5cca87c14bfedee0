import type { Kysely, Migration } from 'kysely';

/**
 * Attendance evidence: a force's record becomes an outcome with any number of attendees (kept as JSON, read
 * through a schema), where it came from and the force's word on it; a meeting's own record (held, or not held
 * and why, with other agencies as counts); apologies sent in advance; forces invited to one meeting.
 * A record withdrawn (the meeting did not take place after all) is kept, marked, so versions never repeat.
 */
export const evidenceMigration: Migration = {
  async up(db: Kysely<any>) {
    // Kysely runs each PostgreSQL migration in a transaction; SQLite's DDL is transactional too, so it gets one
    // here: a failure part-way must not leave columns behind that the next start-up would trip over.
    if (db.isTransaction) return evidence(db);
    await db.transaction().execute(evidence);
  },
};

async function evidence(db: Kysely<any>): Promise<void> {
  const add = (column: string, fallback: string) => db.schema.alterTable('attendance').addColumn(column, 'text', (c) => c.notNull().defaultTo(fallback)).execute();
  await add('outcome', 'absent');
  await add('attendees_json', '[]');
  await add('source', 'chair');
  await add('force_confirmation', 'not-needed');
  for (const c of ['confirmed_by', 'confirmed_at', 'withdrawn_at']) await db.schema.alterTable('attendance').addColumn(c, 'text').execute();
  await legacyRecords(db);
  for (const c of ['attended', 'aad_object_id', 'name', 'substitute', 'decision_maker']) await db.schema.alterTable('attendance').dropColumn(c).execute();
  await newTables(db);
}

/**
 * Records made before: the card then came with "attended" and "decision maker" already ticked, so a "yes"
 * there was nobody's explicit answer and becomes "unknown" (an unticked box, a deliberate "no", stays "no").
 * Who was a substitute is worked out again against the nomination, as the new rule has it (nobody named: a
 * substitute); unit, mode and category were not asked, so they are null.
 */
async function legacyRecords(db: Kysely<any>): Promise<void> {
  const old = await db
    .selectFrom('attendance as a')
    .leftJoin('nominations as n', (j) => j.onRef('n.meeting_id', '=', 'a.meeting_id').onRef('n.force_id', '=', 'a.force_id'))
    .select(['a.meeting_id', 'a.force_id', 'a.attended', 'a.aad_object_id', 'a.name', 'a.decision_maker', 'n.aad_object_id as nominee'])
    .execute();
  for (const r of old) {
    const substitute = !r.nominee || r.nominee !== r.aad_object_id;
    const attendees = r.attended
      ? [{ aadObjectId: r.aad_object_id, tenantId: null, name: r.name ?? '', roleCategory: null, role: '', unit: null, mode: null, decisionMaker: r.decision_maker ? 'unknown' : 'no', substitute }]
      : [];
    await db
      .updateTable('attendance')
      .set({ outcome: r.attended ? 'attended' : 'absent', attendees_json: JSON.stringify(attendees) })
      .where('meeting_id', '=', r.meeting_id)
      .where('force_id', '=', r.force_id)
      .execute();
  }
}

async function newTables(db: Kysely<any>): Promise<void> {
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
}
