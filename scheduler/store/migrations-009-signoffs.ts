import type { Kysely, Migration } from 'kysely';

/**
 * Review sign-offs (issue 19): one row per sign-off, one per action (a flag answered with an action or "accepted,
 * no action"). New tables only, touching no other, so it runs before or after any other migration numbered 009.
 */
export const signoffsMigration: Migration = {
  async up(db: Kysely<any>) {
    if (db.isTransaction) return signoffs(db);
    await db.transaction().execute(signoffs);
  },
};

async function signoffs(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('review_signoffs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // 'force' with the force's id, or 'national' with ''.
    .addColumn('scope_kind', 'text', (c) => c.notNull())
    .addColumn('scope_id', 'text', (c) => c.notNull())
    .addColumn('period_from', 'text', (c) => c.notNull())
    .addColumn('period_to', 'text', (c) => c.notNull())
    .addColumn('conclusion', 'text', (c) => c.notNull())
    .addColumn('signed_by', 'text', (c) => c.notNull())
    .addColumn('signed_by_name', 'text', (c) => c.notNull())
    .addColumn('signed_at', 'text', (c) => c.notNull())
    // The card press that recorded it: Teams retries a press, and the retry must find it rather than sign twice.
    .addColumn('submission_id', 'text', (c) => c.unique())
    .execute();
  await db.schema.createIndex('review_signoffs_scope').on('review_signoffs').columns(['scope_kind', 'scope_id', 'signed_at']).execute();
  await db.schema
    .createTable('review_actions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('signoff_id', 'text', (c) => c.notNull().references('review_signoffs.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('answer', 'integer', (c) => c.notNull())
    .addColumn('flag_code', 'text', (c) => c.notNull())
    .addColumn('panel_id', 'text', (c) => c.notNull())
    .addColumn('force_id', 'text')
    .addColumn('meeting_id', 'text')
    .addColumn('month', 'text')
    .addColumn('flag_title', 'text', (c) => c.notNull())
    .addColumn('accepted', 'integer', (c) => c.notNull())
    .addColumn('what', 'text')
    .addColumn('owner', 'text')
    .addColumn('due', 'text')
    .addColumn('done_at', 'text')
    .addColumn('done_by', 'text')
    .addColumn('done_by_name', 'text')
    .execute();
  await db.schema.createIndex('review_actions_signoff').on('review_actions').columns(['signoff_id', 'position']).execute();
}
