import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { migrationProvider } from '../../scheduler/store/migrations.js';
import type { StoreOptions } from '../../scheduler/store/open-store.js';
import { TEST_AUDIT_KEY, TEST_DATABASE_URL, type StoreKind } from './stores.js';

/** A database migrated only as far as `upTo`, for legacy rows to be written into before the rest runs. */
export async function partlyMigrated(kind: StoreKind, upTo: string): Promise<{ db: Kysely<any>; options: StoreOptions; dispose: () => Promise<void> }> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'panel-bot-mig-'));
    const file = join(dir, 'panels.db');
    const db = new Kysely<any>({ dialect: new SqliteDialect({ database: new SQLite(file) }) });
    await new Migrator({ db, provider: migrationProvider }).migrateTo(upTo);
    return { db, options: { kind: 'sqlite', file, auditKey: TEST_AUDIT_KEY }, dispose: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const schema = `m_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  const db = new Kysely<any>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: TEST_DATABASE_URL, options: `-c search_path=${schema}` }) }) });
  await new Migrator({ db, provider: migrationProvider, migrationTableSchema: schema }).migrateTo(upTo);
  return {
    db, options: { kind: 'postgres', url: TEST_DATABASE_URL, schema, poolSize: 2, auditKey: TEST_AUDIT_KEY },
    dispose: async () => {
      await admin.query(`drop schema ${schema} cascade`);
      await admin.end();
    },
  };
}
