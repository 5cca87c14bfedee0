import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Database as SQLiteDatabase } from 'better-sqlite3';
import { CompiledQuery, Kysely, Migrator, PostgresDialect, SqliteDialect, sql, type DatabaseConnection, type DatabaseIntrospector, type TableMetadata } from 'kysely';
import type { AuditKey } from '../domain/audit-chain.js';
import { memo } from '../domain/memo.js';
import { localAuditKey } from './local-key.js';
import { DirectoryCache } from './directory-cache.js';
import { sendRegisteredAsPrepared } from './prepared.js';
import { migrationProvider } from './migrations.js';
import { kyselyRepos, type Dialect } from './kysely-repos.js';
import { anyQueued, queueRows, type AuditWrites } from './kysely-audit-repo.js';
import { writeNominationIn, writeNominationPg } from './nomination-write.js';
import { pressReadsEach, pressReadsPg } from './press-reads.js';
import { claimDueInOneStatement } from './kysely-teams-repos.js';
import { advisoryLock, LOCK_WAIT_MS } from './advisory-lock.js';
import { Chainer } from './chainer.js';
import type { AuditRepo, Store } from './store.js';
import { BOT_TABLES, type Database } from './tables.js';

/**
 * Where the store is and the key its audit chain is written with. On PostgreSQL, `migrationUrl` (an owner role)
 * runs the migrations and grants `url`'s role only what the app needs; without it `url` does both.
 */
export type StoreOptions = (
  | { kind: 'sqlite'; file: string }
  | { kind: 'postgres'; url: string; schema?: string; poolSize?: number; migrationUrl?: string }
) & {
  auditKey: AuditKey;
  /** Where a failure to chain queued audit entries in the background is reported (PostgreSQL); unset, it is dropped. */
  onChainError?: (err: unknown) => void;
  /**
   * Chain audit entries inside each use case's transaction, under the lock, as before the queue (PostgreSQL; SQLite
   * always does). Only `npm run bench nominations` sets it, to measure the queue against it in the same run.
   */
  chainInTransaction?: boolean;
  /** How long a transaction waits for one of the bot's advisory locks (PostgreSQL): LOCK_WAIT_MS unless a test shortens it. */
  lockWaitMs?: number;
  /**
   * How long after a commit that queued audit entries the chainer runs (PostgreSQL): 0, at once (the default, and
   * the command line's); the bot waits CHAIN_DELAY_MS, so that a press's answer goes out before its entry is chained
   * and the commits of that moment share one run. Anything that reads the log chains what is queued first.
   */
  chainDelayMs?: number;
};

/** The bot's wait between a commit that queued audit entries and the chainer's run (see StoreOptions.chainDelayMs). */
export const CHAIN_DELAY_MS = 20;

/**
 * Chooses the store from the environment's answer: PostgreSQL when a URL is given, else SQLite under dataDir.
 * Without a key, the local one in dataDir is used (made on first use): local mode only, which the config enforces.
 */
export function storeOptions(databaseUrl: string | null, dataDir: string, key: AuditKey = localAuditKey(dataDir).key, migrationUrl: string | null = null): StoreOptions {
  if (!databaseUrl) return { kind: 'sqlite', file: join(dataDir, 'panels.db'), auditKey: key };
  return { kind: 'postgres', url: databaseUrl, auditKey: key, ...(migrationUrl ? { migrationUrl } : {}) };
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
function keepStatementsPrepared(database: SQLiteDatabase): void {
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

/** A Kysely over the store's database; each driver is loaded only when its database is used (pg is not, on SQLite). */
async function createKysely(opts: StoreOptions): Promise<Kysely<Database>> {
  if (opts.kind === 'sqlite') {
    if (opts.file !== ':memory:') mkdirSync(join(opts.file, '..'), { recursive: true });
    const { default: SQLite } = await import('better-sqlite3');
    const database = new SQLite(opts.file);
    try {
      database.pragma('journal_mode = WAL');
      database.pragma('busy_timeout = 10000');
      database.pragma('foreign_keys = ON');
      database.pragma('synchronous = NORMAL');
    } catch (err) {
      // A file that is not a database, say: closed, so the caller's error leaves no handle open.
      database.close();
      throw err;
    }
    keepStatementsPrepared(database);
    return new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database }) });
  }
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({
    connectionString: opts.url,
    max: opts.poolSize ?? 10,
    connectionTimeoutMillis: 5000,
    ...(opts.schema ? { options: `-c search_path=${opts.schema}` } : {}),
  });
  // An idle client's error (database restarted) must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => {
    client.on('error', () => undefined);
    sendRegisteredAsPrepared(client as unknown as Parameters<typeof sendRegisteredAsPrepared>[0]);
  });
  // No plugins, on either database: statements compiled once per dialect (kysely-card-repo.ts) rely on the text not depending on the instance.
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

/**
 * Least privilege: the owner role migrates, then the app's role gets only what it needs. On `audit_log` that is
 * INSERT and SELECT, so the running app can neither rewrite history nor drop the triggers that refuse it.
 */
async function migrateAsOwner(app: Kysely<Database>, opts: Extract<StoreOptions, { kind: 'postgres' }>): Promise<string[]> {
  const owner = await createKysely({ ...opts, url: opts.migrationUrl!, poolSize: 1 });
  try {
    const applied = await migrate(owner, opts);
    // The schema is the owner's: until it is granted USAGE the app role cannot see it at all (PostgreSQL skips the
    // search_path entries a role may not use), so on a first start the app's current_schema() would be null or another.
    const schema = (await migrationSchema(owner, opts))!;
    const { rows } = await sql<{ role: string }>`select current_user as role`.execute(app);
    await grantAppRole(owner, rows[0]!.role, schema);
    const seen = (await sql<{ schema: string | null }>`select current_schema() as schema`.execute(app)).rows[0]?.schema ?? null;
    if (seen !== schema) throw new Error(`database: the app role (DATABASE_URL) finds its tables in ${seen ? `schema "${seen}"` : 'no schema'}, not in "${schema}" where the migration role (MIGRATION_DATABASE_URL) made them; give both the same search_path`);
    return applied;
  } finally {
    await owner.destroy();
  }
}

/** A superuser, or a member of audit_log's owner (it may SET ROLE to it), could drop its guards whatever it is granted. */
async function refuseOwnerPowers(db: Kysely<Database>, role: string, tableOwner: string): Promise<void> {
  const { rows } = await sql<{ superuser: boolean; member: boolean }>`
    select rolsuper as superuser, pg_has_role(${role}::name, ${tableOwner}::name, 'MEMBER') as member
    from pg_catalog.pg_roles where rolname = ${role}`.execute(db);
  if (rows[0]?.superuser) throw new Error(`database: the app role "${role}" is a superuser, so no grant keeps it from rewriting audit_log; give DATABASE_URL a plain LOGIN role (see the README)`);
  if (rows[0]?.member) throw new Error(`database: the app role "${role}" is a member of "${tableOwner}", which owns audit_log, so it could act as its owner; REVOKE ${tableOwner} FROM ${role}`);
}

/** Serialises the owner's grants across instances and CLI commands (kysely-repos.ts holds 4242001-4242003). */
const GRANT_LOCK = 4242004;

/** Kysely's bookkeeping, made by the Migrator beside the bot's tables: the app only reads it. */
const MIGRATION_TABLES = ['kysely_migration', 'kysely_migration_lock'] as const;

type Privilege = 'SELECT' | 'INSERT' | 'UPDATE' | 'DELETE';

/** What the app role needs on each of the bot's tables, and all it gets. */
function appPrivileges(table: string): readonly Privilege[] {
  if ((MIGRATION_TABLES as readonly string[]).includes(table)) return ['SELECT'];
  if (table === 'audit_log') return ['SELECT', 'INSERT'];
  if (table === 'audit_details' || table === 'audit_pending') return ['SELECT', 'INSERT', 'DELETE'];
  return ['SELECT', 'INSERT', 'UPDATE', 'DELETE'];
}

/** Privilege names as PostgreSQL's aclexplode spells them: the only text ever spliced into a GRANT or REVOKE. */
const PRIVILEGE_NAME = /^[A-Z]+$/;
const privilegeList = (names: readonly string[]) => {
  for (const n of names) if (!PRIVILEGE_NAME.test(n)) throw new Error(`database: unexpected privilege name ${JSON.stringify(n)}`);
  return sql.raw(names.join(', '));
};

/**
 * Brings the app role's privileges on the bot's own tables (BOT_TABLES and Kysely's; never another app's in a shared
 * schema) to exactly what it needs, in one transaction under an advisory lock: instances starting together queue
 * rather than update the same catalogue rows at once (`tuple concurrently updated`), and a running instance never
 * sees a privilege missing part way. Only the difference is granted or revoked (a privilege or grant option held
 * directly, on the table or any of its columns, beyond the need), so an ordinary start changes nothing at all.
 */
export async function grantAppRole(owner: Kysely<Database>, role: string, schema: string): Promise<void> {
  await owner.transaction().execute(async (trx) => {
    await advisoryLock(trx, GRANT_LOCK, 'grant', LOCK_WAIT_MS);
    const names = [...BOT_TABLES, ...MIGRATION_TABLES];
    const { rows: tables } = await sql<{ name: string; owner: string }>`
      select c.relname as name, pg_catalog.pg_get_userbyid(c.relowner) as owner
      from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      where n.nspname = ${schema} and c.relkind in ('r', 'p') and c.relname = any(${names}::text[])`.execute(trx);
    const audit = tables.find((r) => r.name === 'audit_log');
    if (audit?.owner === role) {
      throw new Error(`database: the app role "${role}" owns audit_log, so it could drop its guards; make the migration role the owner (REASSIGN OWNED BY ${role} TO <owner>; see the README) or unset MIGRATION_DATABASE_URL`);
    }
    if (audit) await refuseOwnerPowers(trx, role, audit.owner);

    const r = sql.id(role);
    const { rows: usage } = await sql<{ ok: boolean }>`select pg_catalog.has_schema_privilege(${role}::name, ${schema}::name, 'USAGE') as ok`.execute(trx);
    if (!usage[0]?.ok) await sql`grant usage on schema ${sql.id(schema)} to ${r}`.execute(trx);

    // What the role holds itself (not through PUBLIC or another role), on each table or on any column of it.
    const { rows: held } = await sql<{ name: string; privilege: string; grantable: boolean; onTable: boolean }>`
      with app as (select oid from pg_catalog.pg_roles where rolname = ${role}),
      own as (
        select c.oid, c.relname, c.relowner, c.relacl from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
        where n.nspname = ${schema} and c.relkind in ('r', 'p') and c.relname = any(${names}::text[])
      ),
      acl as (
        select own.relname as name, a.privilege_type as privilege, a.is_grantable as grantable, true as on_table
        from own cross join lateral pg_catalog.aclexplode(coalesce(own.relacl, pg_catalog.acldefault('r', own.relowner))) a
        where a.grantee = (select oid from app)
        union all
        select own.relname, a.privilege_type, a.is_grantable, false
        from own join pg_catalog.pg_attribute att on att.attrelid = own.oid and att.attacl is not null
        cross join lateral pg_catalog.aclexplode(att.attacl) a
        where a.grantee = (select oid from app)
      )
      select name, privilege, bool_or(grantable) as grantable, bool_or(on_table) as "onTable" from acl group by name, privilege`.execute(trx);

    for (const { name } of tables) {
      const want = appPrivileges(name);
      const has = held.filter((h) => h.name === name);
      const missing = want.filter((p) => !has.some((h) => h.privilege === p && h.onTable));
      const extra = has.filter((h) => !(want as readonly string[]).includes(h.privilege)).map((h) => h.privilege);
      const regrantable = has.filter((h) => h.grantable && (want as readonly string[]).includes(h.privilege)).map((h) => h.privilege);
      const t = sql.id(schema, name);
      // Revoking on the table revokes the same privilege (or grant option) on its columns too.
      if (extra.length) await sql`revoke ${privilegeList(extra)} on table ${t} from ${r}`.execute(trx);
      if (regrantable.length) await sql`revoke grant option for ${privilegeList(regrantable)} on table ${t} from ${r}`.execute(trx);
      if (missing.length) await sql`grant ${privilegeList(missing)} on table ${t} to ${r}`.execute(trx);
    }
  });
}

/** Runs every pending migration and returns the names it applied; fails with the migration's error. */
async function migrate(db: Kysely<Database>, opts: StoreOptions): Promise<string[]> {
  const schema = await migrationSchema(db, opts);
  const { error, results } = await new Migrator({ db, provider: migrationProvider, ...(schema ? { migrationTableSchema: schema } : {}) }).migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`database migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** Opens the store, creating or migrating its schema first (as the owner role when one is given, then granting the app's). */
export async function openStore(opts: StoreOptions): Promise<Store> {
  const db = await createKysely(opts);
  try {
    if (opts.kind === 'postgres' && opts.migrationUrl) await migrateAsOwner(db, opts);
    else await migrate(db, opts);
  } catch (err) {
    await db.destroy();
    throw err;
  }
  const dialect: Dialect = opts.kind;
  const key = opts.auditKey;
  const keyState = { checked: false };
  const wait = opts.lockWaitMs ?? LOCK_WAIT_MS;
  const reposOver = (conn: Kysely<Database>, writes?: AuditWrites) => kyselyRepos(conn, dialect, key, writes, wait);
  const repos = reposOver(db);
  const directory = new DirectoryCache();
  // Chains what transactions queued (PostgreSQL): one run at a time in this process, the lock orders instances.
  const chainer = new Chainer(async (queued) => {
    // A read's flush looks first, outside any transaction: with nothing queued it costs one statement and no lock.
    if (!queued && !(await anyQueued(db))) return;
    await db.transaction().execute((trx) => reposOver(trx, { defer: true, keyState }).audit.settle(true));
  }, opts.chainDelayMs ?? 0);
  const settled = <A extends unknown[], R>(fn: (...a: A) => Promise<R>) => async (...a: A): Promise<R> => {
    if (dialect === 'postgres') await chainer.flush();
    return fn(...a);
  };
  const inTransaction = <K extends 'appendNow' | 'erase' | 'settle'>(name: K) =>
    ((...args: unknown[]) => db.transaction().execute((trx) => (reposOver(trx, { defer: true, keyState }).audit[name] as (...a: unknown[]) => Promise<unknown>)(...args))) as AuditRepo[K];
  const transaction: Store['transaction'] = async (fn) => {
    let view: ReturnType<DirectoryCache['over']> | null = null;
    let queued = false;
    try {
      const result = await db.transaction().execute((trx) => {
        const tx = reposOver(trx, { defer: dialect === 'postgres' && !opts.chainInTransaction, keyState, onQueued: () => (queued = true) });
        view = directory.over(tx.directory, true);
        return fn({ ...tx, directory: view });
      });
      // Committed: what it queued is chained now, off the caller's path (a failure is reported, and retried by the next).
      if (queued) chainer.kick(opts.onChainError);
      return result;
    } finally {
      // Committed or rolled back, a transaction that wrote the directory leaves nothing read meanwhile behind it.
      if ((view as ReturnType<DirectoryCache['over']> | null)?.wrote) directory.invalidate();
    }
  };
  return {
    kind: dialect,
    ...repos,
    directory: directory.over(repos.directory, false),
    freshDirectory: repos.directory,
    audit: {
      ...repos.audit,
      // Outside a transaction an append is chained at once, in a transaction of its own (it must hold the chain's tail).
      append: async (entries) => {
        await inTransaction('appendNow')(entries);
      },
      appendNow: inTransaction('appendNow'),
      erase: inTransaction('erase'),
      settle: async () => {
        if (dialect === 'postgres') await chainer.flush();
      },
      page: settled(repos.audit.page),
      head: settled(repos.audit.head),
      erasable: settled(repos.audit.erasable),
    },
    outbox: {
      ...repos.outbox,
      // Claiming reads then leases: it must hold its rows (SKIP LOCKED on PostgreSQL) until the lease is written. On
      // PostgreSQL one statement does both; on SQLite a transaction (its statements cost no round trip).
      claimDue: (now, leaseUntil, limit, owner) =>
        dialect === 'postgres'
          ? claimDueInOneStatement(db, now, leaseUntil, limit, owner)
          : db.transaction().execute((trx) => reposOver(trx).outbox.claimDue(now, leaseUntil, limit, owner)),
    },
    transaction,
    pressReads: (q) => (dialect === 'postgres' ? pressReadsPg(db, q) : pressReadsEach(repos, q)),
    writeNomination: async (w, decide) => {
      if (dialect !== 'postgres' || opts.chainInTransaction) return transaction((tx) => writeNominationIn(tx, w, decide));
      // The key is checked against the chain's tail once per store, by the first queued append (the locking path's).
      if (!keyState.checked) return false;
      const written = await writeNominationPg(db, w, queueRows(key, w.audit));
      if (written && w.audit.length) chainer.kick(opts.onChainError);
      return written;
    },
    snapshot: (fn) =>
      db.connection().execute(async (conn) => {
        await sql.raw(dialect === 'postgres' ? 'start transaction isolation level repeatable read, read only' : 'begin deferred').execute(conn);
        try {
          return await fn(reposOver(conn));
        } finally {
          await sql`rollback`.execute(conn);
        }
      }),
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: async () => {
      // What was queued is chained before the pool goes; a failure here is left for the next start to chain.
      if (dialect === 'postgres') await chainer.close().catch((err: unknown) => opts.onChainError?.(err));
      await db.destroy();
    },
  };
}
