import { randomBytes } from 'node:crypto';
import { Kysely, Migrator, PostgresDialect, PostgresIntrospector, type Migration } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openStore, storeOptions, type StoreOptions } from '../scheduler/store/open-store.js';
import { TEST_AUDIT_KEY, TEST_DATABASE_URL } from './support/stores.js';

/** The same database, with the connection's search_path set the way a deployment sets it in DATABASE_URL. */
const urlWithSearchPath = (...schemas: string[]) => {
  const url = new URL(TEST_DATABASE_URL);
  url.searchParams.set('options', `-c search_path=${schemas.join(',')}`);
  return url.toString();
};

/** Another Kysely app in the same database: its own table and Kysely's bookkeeping, all in its own schema. */
async function migrateOtherApp(schema: string): Promise<void> {
  const db = new Kysely<any>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: TEST_DATABASE_URL, max: 1 }) }) });
  const widgets: Migration = { up: async (d) => void (await d.schema.withSchema(schema).createTable('widgets').addColumn('id', 'text', (c) => c.primaryKey()).execute()) };
  try {
    const { error } = await new Migrator({ db, migrationTableSchema: schema, provider: { getMigrations: async () => ({ '0001-widgets': widgets }) } }).migrateToLatest();
    if (error) throw error;
  } finally {
    await db.destroy();
  }
}

// Regression: start-up failed with `relation "kysely_migration_lock" does not exist` when another schema of the
// same database held Kysely's migration tables: Kysely found them through the catalogue, so it never made its own.
describe('migrations on PostgreSQL keep their bookkeeping in the app’s own schema', () => {
  const tag = randomBytes(5).toString('hex');
  const other = `other_app_${tag}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  const made: string[] = [other];

  const tablesIn = async (schema: string) =>
    (await admin.query<{ table_name: string }>('select table_name from information_schema.tables where table_schema = $1 order by table_name', [schema])).rows.map((r) => r.table_name);
  const otherAppState = async () => ({
    tables: await tablesIn(other),
    migrations: (await admin.query(`select name from ${other}.kysely_migration order by name`)).rows,
    lock: (await admin.query(`select id, is_locked from ${other}.kysely_migration_lock`)).rows,
  });
  const appSchema = async (name: string) => {
    const schema = `app_${name}_${tag}`;
    made.push(schema);
    await admin.query(`create schema ${schema}`);
    return schema;
  };
  /** Opens the store (twice: a restart must find its own migrations done), then checks where everything is. */
  const startsInItsOwnSchema = async (options: StoreOptions, schema: string) => {
    const before = await otherAppState();
    for (let run = 0; run < 2; run++) {
      const store = await openStore(options);
      await store.ping();
      await store.close();
    }
    const tables = await tablesIn(schema);
    expect(tables).toEqual(expect.arrayContaining(['kysely_migration', 'kysely_migration_lock', 'meetings', 'audit_log', 'forces']));
    const names = (await admin.query<{ name: string }>(`select name from ${schema}.kysely_migration order by name`)).rows.map((r) => r.name);
    expect(names[0]).toBe('001-foundation');
    expect(await otherAppState()).toEqual(before);
  };

  beforeAll(async () => {
    await admin.connect();
    await admin.query(`create schema ${other}`);
    await migrateOtherApp(other);
    expect(await otherAppState()).toEqual({
      tables: ['kysely_migration', 'kysely_migration_lock', 'widgets'],
      migrations: [{ name: '0001-widgets' }],
      lock: [{ id: 'migration_lock', is_locked: 0 }],
    });
  });
  afterAll(async () => {
    for (const schema of made) await admin.query(`drop schema if exists ${schema} cascade`);
    await admin.end();
  });

  it('starts when DATABASE_URL puts the app in its own schema and another schema holds Kysely’s tables', async () => {
    const schema = await appSchema('alone');
    await startsInItsOwnSchema(storeOptions(urlWithSearchPath(schema), '/nonexistent', TEST_AUDIT_KEY), schema);
  });

  it('starts when the other app’s schema is on the search_path too, behind the app’s', async () => {
    const schema = await appSchema('behind');
    await startsInItsOwnSchema(storeOptions(urlWithSearchPath(schema, other), '/nonexistent', TEST_AUDIT_KEY), schema);
  });

  // Regression: Kysely's stock introspector reads every schema of the database by name, so a schema another app (or
  // another test file) dropped during start-up failed the migration with `schema "…" does not exist`. A race cannot
  // be staged on demand, so this checks what rules it out: start-up never scans the database's schemas.
  it('does not scan the other schemas of the database while it migrates', async () => {
    const schema = await appSchema('scan');
    const scans = [vi.spyOn(PostgresIntrospector.prototype, 'getTables'), vi.spyOn(PostgresIntrospector.prototype, 'getMetadata')];
    try {
      await startsInItsOwnSchema(storeOptions(urlWithSearchPath(schema, other), '/nonexistent', TEST_AUDIT_KEY), schema);
      expect(scans.map((s) => s.mock.calls.length)).toEqual([0, 0]);
    } finally {
      for (const s of scans) s.mockRestore();
    }
  });

  it('starts with the schema given as an option', async () => {
    const schema = await appSchema('option');
    await startsInItsOwnSchema({ kind: 'postgres', url: TEST_DATABASE_URL, schema, poolSize: 2, auditKey: TEST_AUDIT_KEY }, schema);
  });
});
