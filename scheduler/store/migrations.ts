import type { Kysely, Migration, MigrationProvider } from 'kysely';
import { sql } from 'kysely';
import { teamsMigration } from './migrations-002.js';
import { chairsMigration } from './migrations-003.js';
import { feedsMigration } from './migrations-004.js';
import { reportsMigration } from './migrations-005.js';
import { botStateMigration } from './migrations-006.js';
import { evidenceMigration } from './migrations-007.js';
import { auditKeepingMigration } from './migrations-008.js';
import { signoffsMigration } from './migrations-009-signoffs.js';
import { feedRevisionsMigration } from './migrations-010-feeds.js';
import { areasMigration } from './migrations-011-areas.js';
import { tenantsMigration } from './migrations-012-tenants.js';
import { meetingPresenceMigration } from './migrations-013-meeting-presence.js';
import { auditPendingMigration } from './migrations-014-audit-pending.js';
import { nominationStartMigration } from './migrations-015-nomination-start.js';
import { outboxSendersMigration } from './migrations-016-outbox-senders.js';

/**
 * Versioned schema migrations, shared by SQLite and PostgreSQL. Instants are stored as ISO-8601 UTC text
 * (`2027-05-04T09:00:00.000Z`), which sorts correctly as text on both databases and keeps one query layer.
 * Booleans are integers 0/1 for the same reason. Never edit a migration that has shipped: add a new one.
 */
const migrations: Record<string, Migration> = {
  '001-foundation': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('forces')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('teams_channel_id', 'text')
        .addColumn('retired_at', 'text')
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('panels')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('local_authority', 'text', (c) => c.notNull())
        .addColumn('timetable_json', 'text', (c) => c.notNull())
        .addColumn('teams_channel_id', 'text')
        .addColumn('retired_at', 'text')
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('panel_forces')
        .addColumn('panel_id', 'text', (c) => c.notNull().references('panels.id'))
        .addColumn('force_id', 'text', (c) => c.notNull().references('forces.id'))
        .addPrimaryKeyConstraint('panel_forces_pk', ['panel_id', 'force_id'])
        .execute();
      await db.schema.createIndex('panel_forces_force').on('panel_forces').columns(['force_id', 'panel_id']).execute();
      // Who holds which role, from the config file: national-lead (scope ''), prevent-lead and deputy (scope: force id), chair (scope: panel id).
      await db.schema
        .createTable('roles')
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('scope_id', 'text', (c) => c.notNull())
        .addColumn('aad_object_id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('position', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('roles_pk', ['role', 'scope_id', 'aad_object_id'])
        .execute();
      await db.schema.createIndex('roles_person').on('roles').columns(['aad_object_id']).execute();
      await db.schema
        .createTable('meetings')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('panel_id', 'text', (c) => c.notNull().references('panels.id'))
        .addColumn('occurrence', 'text')
        .addColumn('start_utc', 'text', (c) => c.notNull())
        .addColumn('end_utc', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('moved_from', 'text')
        .addColumn('moved_reason', 'text')
        .addColumn('extra', 'integer', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('locked', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('meetings_panel_start').on('meetings').columns(['panel_id', 'start_utc']).execute();
      await db.schema.createIndex('meetings_start').on('meetings').columns(['start_utc']).execute();
      await db.schema
        .createTable('audit_log')
        .addColumn('seq', 'integer', (c) => c.primaryKey())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('subject_json', 'text', (c) => c.notNull())
        .addColumn('details_json', 'text', (c) => c.notNull())
        .addColumn('prev_hash', 'text', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .execute();
      // Append-only: the chain makes tampering detectable; these refuse ordinary edits outright.
      await refuseAuditEdits(db);
    },
  },
  '002-teams': teamsMigration,
  '003-chairs': chairsMigration,
  '004_feeds': feedsMigration,
  '005_reports': reportsMigration,
  '006_bot_state': botStateMigration,
  '007_evidence': evidenceMigration,
  '008_audit_keeping': auditKeepingMigration,
  '009_signoffs': signoffsMigration,
  '010_feeds': feedRevisionsMigration,
  '011_areas': areasMigration,
  '012_tenants': tenantsMigration,
  '013_meeting_presence': meetingPresenceMigration,
  '014_audit_pending': auditPendingMigration,
  '015_nomination_start': nominationStartMigration,
  '016_outbox_senders': outboxSendersMigration,
};

async function refuseAuditEdits(db: Kysely<any>): Promise<void> {
  const dialect = db.getExecutor().adapter.constructor.name;
  if (dialect.startsWith('Postgres')) {
    await sql`create or replace function audit_log_append_only() returns trigger language plpgsql as $$
      begin raise exception 'audit_log is append-only'; end $$`.execute(db);
    await sql`create trigger audit_log_no_update before update or delete on audit_log
      for each row execute function audit_log_append_only()`.execute(db);
  } else {
    await sql`create trigger audit_log_no_update before update on audit_log
      begin select raise(abort, 'audit_log is append-only'); end`.execute(db);
    await sql`create trigger audit_log_no_delete before delete on audit_log
      begin select raise(abort, 'audit_log is append-only'); end`.execute(db);
  }
}

/** Supplies the migrations above to Kysely's Migrator, in name order. */
export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
