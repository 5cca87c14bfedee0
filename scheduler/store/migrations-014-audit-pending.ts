import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Audit entries waiting to be chained (issue 22, item 2). On PostgreSQL a use case's transaction queues its entries
 * here instead of taking the chain's lock: instances no longer wait for one another on every press. A chainer
 * (kysely-audit-repo.ts `settle`) moves them into `audit_log` in id order under the lock, soon after each commit.
 * Each row carries `mac`, an HMAC under AUDIT_KEY over its nonce and fields: whoever can write the table but does
 * not hold the key cannot queue an entry the chainer will accept. `nonce` goes with the entry into `audit_log`
 * (unique there), so a row copied back into the queue after it was chained is refused as a replay.
 * SQLite chains in the transaction itself (its writers are serialised anyway) and never uses the table.
 */
export const auditPendingMigration: Migration = {
  async up(db: Kysely<any>) {
    // Numbered as rows arrive: an identity column on PostgreSQL (the app role needs no grant on its sequence), the
    // rowid on SQLite (an `integer primary key`).
    const postgres = db.getExecutor().adapter.constructor.name.startsWith('Postgres');
    await db.schema
      .createTable('audit_pending')
      .addColumn('id', postgres ? 'bigint' : 'integer', (c) => (postgres ? c.generatedAlwaysAsIdentity().primaryKey() : c.primaryKey()))
      .addColumn('nonce', 'text', (c) => c.notNull().unique())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('subject_json', 'text', (c) => c.notNull())
      .addColumn('details_json', 'text', (c) => c.notNull())
      .addColumn('mac', 'text', (c) => c.notNull())
      .execute();
    // Adding a column is not an UPDATE: audit_log's append-only trigger is untouched. Null for entries chained in place.
    await db.schema.alterTable('audit_log').addColumn('nonce', 'text').execute();
    await db.schema.createIndex('audit_log_nonce').on('audit_log').column('nonce').unique().execute();
    if (!postgres) return;
    // A queued entry leaves the queue only once the chain holds its nonce (chained, or refused): someone with the app's
    // role cannot delete an entry (and the row it describes) while the chainer waits, nor take one out to put it back later.
    // The chain is named with the trigger's own schema: an unqualified name would find a session's temporary table
    // called audit_log first, which anyone who may connect can make.
    await sql`create or replace function audit_pending_leaves_chained() returns trigger language plpgsql as $$
      declare chained boolean;
      begin
        execute format('select exists (select 1 from %I.audit_log where nonce = $1)', tg_table_schema) into chained using old.nonce;
        if not chained then
          raise exception 'audit_pending: a queued audit entry leaves the queue only once it is chained';
        end if;
        return old;
      end $$`.execute(db);
    await sql`create trigger audit_pending_no_early_delete before delete on audit_pending
      for each row execute function audit_pending_leaves_chained()`.execute(db);
    // Verify reads the chain from entry 1: an entry numbered 0 or below would sit outside what it checks.
    await sql`alter table audit_log add constraint audit_log_seq_positive check (seq > 0)`.execute(db);
  },
};
