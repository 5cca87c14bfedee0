import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { CompiledQuery, Kysely, Migrator, PostgresDialect, SqliteDialect, sql, type DatabaseConnection, type DatabaseIntrospector, type TableMetadata } from 'kysely';
import pg from 'pg';
import { memo } from '../domain/memo.js';
import { DirectoryCache } from './directory-cache.js';
import { migrationProvider } from './migrations.js';
import { kyselyRepos, type Dialect } from './kysely-repos.js';
import type { Store } from './store.js';
import type { Database } from './tables.js';

export type StoreOptions =
  | { kind: 'sqlite'; file: string }
  | { kind: 'postgres'; url: string; schema?: string; poolSize?: number };

/** Chooses the store from the environment's answer: PostgreSQL when a URL is given, else SQLite under dataDir. */
export function storeOptions(databaseUrl: string | null, dataDir: string): StoreOptions {
  return databaseUrl ? { kind: 'postgres', url: databaseUrl } : { kind: 'sqlite', file: join(dataDir, 'panels.db') };
}

/** SQLite's default BEGIN is deferred; a read-then-write transaction must take the write lock at once. */
class ImmediateSqliteDialect extends SqliteDialect {
  override createDriver() {
    const driver = super.createDriver();
    driver.beginTransaction = async (connection: DatabaseConnection) => {
      await connection.executeQuery(CompiledQuery.raw('begin immediate'));
    };
    return driver;
  }
}

/**
 * Kysely prepares every query afresh, and preparing costs about as much as running one of the bot's small queries.
 * The bot repeats a few hundred distinct statements, so each is prepared once. Safe because nothing here streams
 * (iterate() would hold a statement busy); SQLite re-prepares a cached statement itself after a schema change.
 */
function keepStatementsPrepared(database: SQLite.Database): void {
  // Statements with long IN lists vary by length; the bound keeps a long-running process's cache small.
  database.prepare = memo(database.prepare.bind(database), 1_000) as typeof database.prepare;
}

/**
 * Kysely's Migrator asks the introspector whether its tables exist. The stock PostgreSQL one reads every schema in the
 * database, by name, and fails outright (`schema "…" does not exist`) when another app drops a schema meanwhile. The
 * bot needs only its own schema, where unqualified names resolve (migrationSchema names the same one to the Migrator),
 * so that is all this reads. Nothing but the Migrator introspects, hence no columns.
 */
function ownSchemaIntrospector(db: Kysely<any>): DatabaseIntrospector {
  const getTables = async (): Promise<TableMetadata[]> => {
    const { rows } = await sql<{ name: string; schema: string; kind: string }>`
      select c.relname as name, n.nspname as schema, c.relkind as kind
      from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      where n.nspname = current_schema() and c.relkind in ('r', 'p', 'v', 'm')`.execute(db);
    return rows.map((r) => ({ name: r.name, schema: r.schema, isView: r.kind === 'v' || r.kind === 'm', columns: [] }));
  };
  return {
    getSchemas: async () => (await sql<{ name: string }>`select nspname as name from pg_catalog.pg_namespace`.execute(db)).rows,
    getTables,
    getMetadata: async () => ({ tables: await getTables() }),
  };
}

class OwnSchemaPostgresDialect extends PostgresDialect {
  override createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return ownSchemaIntrospector(db);
  }
}

function createKysely(opts: StoreOptions): Kysely<Database> {
  if (opts.kind === 'sqlite') {
    if (opts.file !== ':memory:') mkdirSync(join(opts.file, '..'), { recursive: true });
    const database = new SQLite(opts.file);
    database.pragma('journal_mode = WAL');
    database.pragma('busy_timeout = 10000');
    database.pragma('foreign_keys = ON');
    database.pragma('synchronous = NORMAL');
    keepStatementsPrepared(database);
    return new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database }) });
  }
  const pool = new pg.Pool({
    connectionString: opts.url,
    max: opts.poolSize ?? 10,
    connectionTimeoutMillis: 5000,
    ...(opts.schema ? { options: `-c search_path=${opts.schema}` } : {}),
  });
  // An idle client's error (database restarted) must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  return new Kysely<Database>({ dialect: new OwnSchemaPostgresDialect({ pool }) });
}

/**
 * The schema Kysely keeps its bookkeeping in: on PostgreSQL always named, and always the app's own. Unnamed, Kysely
 * looks for its tables in every schema of the database and, finding another app's, never makes its own; its
 * unqualified queries then miss (`kysely_migration_lock does not exist`) or read the other app's history.
 */
async function migrationSchema(db: Kysely<Database>, opts: StoreOptions): Promise<string | undefined> {
  if (opts.kind !== 'postgres') return undefined;
  if (opts.schema) return opts.schema;
  // Where unqualified CREATE TABLE goes, so the bookkeeping lands beside the tables the migrations make.
  const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db);
  const schema = rows[0]?.schema;
  if (!schema) throw new Error('database: no schema on the search_path exists to create the tables in; create it, or set search_path in DATABASE_URL');
  return schema;
}

/** Runs every pending migration; fails with the migration's error. */
async function migrate(db: Kysely<Database>, opts: StoreOptions): Promise<void> {
  const schema = await migrationSchema(db, opts);
  const { error, results } = await new Migrator({ db, provider: migrationProvider, ...(schema ? { migrationTableSchema: schema } : {}) }).migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`database migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Opens the store, creating or migrating its schema first. */
export async function openStore(opts: StoreOptions): Promise<Store> {
  const db = createKysely(opts);
  try {
    await migrate(db, opts);
  } catch (err) {
    await db.destroy();
    throw err;
  }
  const dialect: Dialect = opts.kind;
  const repos = kyselyRepos(db, dialect);
  const directory = new DirectoryCache();
  return {
    kind: dialect,
    ...repos,
    directory: directory.over(repos.directory, false),
    audit: {
      // An append must hold the chain's tail while it writes, so it always runs in a transaction.
      append: (entries) => db.transaction().execute((trx) => kyselyRepos(trx, dialect).audit.append(entries)),
      page: repos.audit.page,
    },
    outbox: {
      ...repos.outbox,
      // Claiming reads then leases: it must hold its rows (SKIP LOCKED on PostgreSQL) until the lease is written.
      claimDue: (now, leaseUntil, limit, owner) => db.transaction().execute((trx) => kyselyRepos(trx, dialect).outbox.claimDue(now, leaseUntil, limit, owner)),
    },
    transaction: async (fn) => {
      let view: ReturnType<DirectoryCache['over']> | null = null;
      try {
        return await db.transaction().execute((trx) => {
          const tx = kyselyRepos(trx, dialect);
          view = directory.over(tx.directory, true);
          return fn({ ...tx, directory: view });
        });
      } finally {
        // Committed or rolled back, a transaction that wrote the directory leaves nothing read meanwhile behind it.
        if ((view as ReturnType<DirectoryCache['over']> | null)?.wrote) directory.invalidate();
      }
    },
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: () => db.destroy(),
  };
}
