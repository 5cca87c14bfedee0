import SQLite from 'better-sqlite3';
import pg from 'pg';
import { openStore, type StoreOptions } from '../../scheduler/store/open-store.js';

/** Every row of every table, each table's rows ordered by all its columns: equal dumps mean an unchanged store. */
export type StoreDump = Record<string, unknown[]>;

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Dumps a store through its own database, bypassing the repositories (tables are discovered, so new ones count too). */
export async function dumpStore(options: StoreOptions, exclude: readonly string[] = []): Promise<StoreDump> {
  // On PostgreSQL audit entries wait in a queue for a moment after their commit: chain them first (after any chainer
  // already running, whose lock this waits for), so a dump never depends on how far the background chainer has got.
  // A use case that wrongly wrote an entry still shows: it is in audit_log instead.
  if (options.kind === 'postgres') {
    const store = await openStore(options);
    try {
      await store.audit.settle();
    } finally {
      await store.close();
    }
  }
  const dump = options.kind === 'sqlite' ? dumpSqlite(options.file) : await dumpPostgres(options.url, options.schema ?? 'public');
  for (const t of exclude) delete dump[t];
  return dump;
}

function dumpSqlite(file: string): StoreDump {
  const db = new SQLite(file, { readonly: true, fileMustExist: true });
  try {
    const tables = db.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name").all() as Array<{ name: string }>;
    const dump: StoreDump = {};
    for (const { name } of tables) {
      const columns = (db.prepare(`pragma table_info(${quote(name)})`).all() as Array<{ name: string }>).map((c) => quote(c.name));
      dump[name] = db.prepare(`select * from ${quote(name)} order by ${columns.join(', ')}`).all();
    }
    return dump;
  } finally {
    db.close();
  }
}

async function dumpPostgres(url: string, schema: string): Promise<StoreDump> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ table_name: string; columns: string[] }>(
      `select table_name, array_agg(column_name::text order by ordinal_position) as columns
         from information_schema.columns where table_schema = $1 group by table_name order by table_name`,
      [schema],
    );
    const dump: StoreDump = {};
    for (const { table_name, columns } of rows) {
      const res = await client.query(`select * from ${quote(schema)}.${quote(table_name)} order by ${columns.map(quote).join(', ')}`);
      dump[table_name] = res.rows;
    }
    return dump;
  } finally {
    await client.end();
  }
}
