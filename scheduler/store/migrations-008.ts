import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Audit integrity and retention. An entry's details move out of the chain into `audit_details`, so they can be
 * erased (retention, a redaction) while `audit_log` stays append-only and its chain, which from now on covers a
 * keyed hash of the details, still verifies. Details that can be erased are found by meeting. Calendar links
 * remember when they were last used (unused ones expire); a cancellation remembers that its note was redacted.
 */
export const auditKeepingMigration: Migration = {
  async up(db: Kysely<any>) {
    if (db.isTransaction) return keeping(db);
    await db.transaction().execute(keeping);
  },
};

const BATCH = 500;

async function keeping(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('audit_details')
    .addColumn('seq', 'integer', (c) => c.primaryKey())
    .addColumn('meeting_id', 'text')
    .addColumn('details_json', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('audit_details_meeting').on('audit_details').columns(['meeting_id']).execute();
  await moveDetails(db);
  await db.schema.alterTable('audit_log').addColumn('details_hash', 'text').execute();
  await db.schema.alterTable('audit_log').dropColumn('details_json').execute();
  await db.schema.createIndex('audit_log_at').on('audit_log').columns(['at']).execute();
  await refuseDetailEdits(db);
  await db.schema.alterTable('feed_tokens').addColumn('last_used_at', 'text').execute();
  await db.schema.alterTable('cancellations').addColumn('note_redacted_at', 'text').execute();
}

/** Every entry's details, as they were, into the new table (its meeting read from the subject). */
async function moveDetails(db: Kysely<any>): Promise<void> {
  for (let after = 0; ; ) {
    const rows: Array<{ seq: number | string; subject_json: string; details_json: string }> = await db
      .selectFrom('audit_log')
      .select(['seq', 'subject_json', 'details_json'])
      .where('seq', '>', after)
      .orderBy('seq')
      .limit(BATCH)
      .execute();
    if (!rows.length) return;
    await db
      .insertInto('audit_details')
      .values(rows.map((r) => ({ seq: Number(r.seq), meeting_id: meetingOf(r.subject_json), details_json: r.details_json })))
      .execute();
    after = Number(rows[rows.length - 1]!.seq);
  }
}

function meetingOf(subjectJson: string): string | null {
  try {
    const id = (JSON.parse(subjectJson) as Record<string, unknown>).meetingId;
    return typeof id === 'string' ? id : null;
  } catch {
    return null;
  }
}

/** Details may be erased, never changed: a changed detail would fail verify anyway, this refuses it outright. */
async function refuseDetailEdits(db: Kysely<any>): Promise<void> {
  const dialect = db.getExecutor().adapter.constructor.name;
  if (dialect.startsWith('Postgres')) {
    await sql`create or replace function audit_details_erase_only() returns trigger language plpgsql as $$
      begin raise exception 'audit_details can be erased, not changed'; end $$`.execute(db);
    await sql`create trigger audit_details_no_update before update on audit_details
      for each row execute function audit_details_erase_only()`.execute(db);
  } else {
    await sql`create trigger audit_details_no_update before update on audit_details
      begin select raise(abort, 'audit_details can be erased, not changed'); end`.execute(db);
  }
}
