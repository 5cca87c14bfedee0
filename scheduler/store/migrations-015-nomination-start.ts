import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Each nomination carries its meeting's start (issue 22): a force's recent nominees (the nomination card's choices,
 * the attendance form's) are its nominations with the latest meeting starts, read from one index on
 * (force_id, meeting_start_utc, meeting_id). Before, the read walked every panel's meetings backwards by start and
 * probed each for the force's nomination: about a thousand probes for 24 rows at 48,000 meetings, 3–17 ms on
 * PostgreSQL.
 *
 * The column is a copy, so the database keeps it: the writes that insert a nomination give it (nomination-write.ts,
 * kysely-teams-repos.ts), a trigger fills it for any other insert, and a trigger copies a meeting's new start to its
 * nominations when the meeting moves. It is never null once a row is written (on PostgreSQL a constraint says so).
 *
 * An instance of the release before this one, still running during a rolling upgrade, inserts nominations without
 * the column: the insert trigger fills it in. On PostgreSQL the backfill and the index are built in the migration's
 * transaction, holding the nominations table for their time (1.6 s for 50,000 nominations on the development machine,
 * the index as here).
 */
export const nominationStartMigration: Migration = {
  async up(db: Kysely<any>) {
    const postgres = db.getExecutor().adapter.constructor.name.startsWith('Postgres');
    await db.schema.alterTable('nominations').addColumn('meeting_start_utc', 'text').execute();
    // PostgreSQL: the trigger that follows a meeting's moves comes before the backfill. Creating it locks meetings
    // against writes until the migration commits, so no move (by an instance of the release before, during a rolling
    // upgrade) can land between the backfill's read and the trigger, and be lost. (Adding the column holds
    // nominations the same way: no nomination is inserted meanwhile.) SQLite's migration holds its one write lock.
    if (postgres) await followMovesPg(db);
    await sql`update nominations set meeting_start_utc = (select m.start_utc from meetings m where m.id = nominations.meeting_id)`.execute(db);
    // The meeting's id last: nominations at the same start (a force's panels share 10:00 slots) come in one order.
    await db.schema.createIndex('nominations_force_start').on('nominations').columns(['force_id', 'meeting_start_utc', 'meeting_id']).execute();
    if (postgres) {
      // Tables named with the trigger's own schema, as audit_pending's trigger does: an unqualified name would find a
      // session's temporary table of that name first.
      await sql`create or replace function nomination_meeting_start() returns trigger language plpgsql as $$
        begin
          -- FOR SHARE: a move of the meeting committing meanwhile waits for this insert, then its own trigger copies
          -- the new start to this row too (the foreign key's lock would not hold it back: it does not touch a key).
          execute format('select start_utc from %I.meetings where id = $1 for share', tg_table_schema) into new.meeting_start_utc using new.meeting_id;
          return new;
        end $$`.execute(db);
      await sql`create trigger nominations_meeting_start before insert on nominations
        for each row when (new.meeting_start_utc is null) execute function nomination_meeting_start()`.execute(db);
      // Never null: a row the triggers did not see (a data-only restore with triggers off) is refused, not left out of
      // every recent-nominees list. (SQLite cannot add the constraint to a column; its triggers are all it has.)
      await sql`alter table nominations alter column meeting_start_utc set not null`.execute(db);
    } else {
      // A trigger's unqualified names are its own database's tables in SQLite, never a temporary one's.
      await sql`create trigger nominations_meeting_start after insert on nominations when new.meeting_start_utc is null
        begin
          update nominations set meeting_start_utc = (select start_utc from meetings where id = new.meeting_id)
          where meeting_id = new.meeting_id and force_id = new.force_id;
        end`.execute(db);
      await sql`create trigger meetings_start_to_nominations after update of start_utc on meetings when old.start_utc is not new.start_utc
        begin
          update nominations set meeting_start_utc = new.start_utc where meeting_id = new.id;
        end`.execute(db);
    }
  },
};

/** PostgreSQL: a meeting's new start copied to its nominations, in the trigger's own schema (see above). */
async function followMovesPg(db: Kysely<any>): Promise<void> {
  await sql`create or replace function meeting_start_to_nominations() returns trigger language plpgsql as $$
    begin
      execute format('update %I.nominations set meeting_start_utc = $1 where meeting_id = $2', tg_table_schema) using new.start_utc, new.id;
      return null;
    end $$`.execute(db);
  await sql`create trigger meetings_start_to_nominations after update of start_utc on meetings
    for each row when (old.start_utc is distinct from new.start_utc) execute function meeting_start_to_nominations()`.execute(db);
}
