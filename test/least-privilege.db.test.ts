import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportOk, verifyAuditLog } from '../scheduler/audit/verify.js';
import { redactNote } from '../scheduler/audit/redact-note.js';
import { cancelMeeting } from '../scheduler/meetings/cancellations.js';
import { loadCardContext, nominate } from '../scheduler/nominations/nominations.js';
import { syncPanels } from '../scheduler/planning/sync.js';
import { openStore, type StoreOptions } from '../scheduler/store/open-store.js';
import type { Store } from '../scheduler/store/store.js';
import { BOT_TABLES } from '../scheduler/store/tables.js';
import { sampleConfig } from './support/sample.js';
import { TEST_AUDIT_KEY, TEST_DATABASE_URL } from './support/stores.js';

// Issue 17, point 4: with MIGRATION_DATABASE_URL the owner role migrates and DATABASE_URL's role gets only what the app
// needs; on audit_log that is INSERT and SELECT, so the running app can neither rewrite history nor drop its guards.

const GARETH = '36f675cc-81e7-4ef5-a8e2-5d940ed90475'; // Hampshire Prevent lead
const DAWN = '92276658-1e27-41c0-8a6a-63ec24ede6a4'; // chairs Southampton
const MAY = 'southampton.2027-05-03';
const JUNE = 'southampton.2027-06-07';
const NOW = '2027-04-20T08:00:00.000Z';

/** A fresh schema and a fresh LOGIN role with no rights of its own (trust auth lets it in without a password). */
async function freshSchemaAndRole(admin: pg.Client) {
  const suffix = randomBytes(5).toString('hex');
  const schema = `lp_${suffix}`;
  const role = `lp_app_${suffix}`;
  await admin.query(`create schema ${schema}`);
  await admin.query(`create role ${role} login`);
  const url = new URL(TEST_DATABASE_URL);
  url.username = role;
  url.password = '';
  return { schema, role, url: url.toString() };
}

/** Every table of a schema with its ACL and its catalogue row's version (xmin): any GRANT or REVOKE, even one that changes nothing, moves the latter. */
async function aclsIn(admin: pg.Client, schema: string): Promise<Record<string, { acl: string | null; columns: string[]; xmin: string }>> {
  const { rows } = await admin.query<{ name: string; acl: string | null; xmin: string; columns: string[] }>(
    `select c.relname as name, c.relacl::text as acl, c.xmin::text as xmin,
       array(select a.attname || '=' || a.attacl::text from pg_attribute a where a.attrelid = c.oid and a.attacl is not null order by a.attname) as columns
     from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = $1 and c.relkind = 'r'`, [schema]);
  return Object.fromEntries(rows.map((r) => [r.name, { acl: r.acl, columns: r.columns, xmin: r.xmin }]));
}

/** The schema's own ACL and catalogue row version. */
async function schemaAcl(admin: pg.Client, schema: string) {
  return (await admin.query('select nspacl::text as acl, xmin::text as xmin from pg_namespace where nspname = $1', [schema])).rows[0];
}

/** Which table privileges a role has on a table, by any route (directly, PUBLIC, membership). */
async function privilegesOf(admin: pg.Client, role: string, table: string): Promise<string[]> {
  const all = ['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER'];
  const { rows } = await admin.query<{ p: string; has: boolean }>('select p, has_table_privilege($1::name, $2::text, p) as has from unnest($3::text[]) p', [role, table, all]);
  return rows.filter((r) => r.has).map((r) => r.p);
}

async function dropSchemaAndRole(admin: pg.Client, schema: string, role: string): Promise<void> {
  await admin.query(`drop schema if exists ${schema} cascade`);
  await admin.query(`drop owned by ${role}`);
  await admin.query(`drop role if exists ${role}`);
}

/** A raw client logged in as the app's role, with the bot's schema on its search_path. */
async function clientAs(url: string, schema: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, options: `-c search_path=${schema}` });
  await client.connect();
  return client;
}

describe('the app on PostgreSQL as a least-privilege role (MIGRATION_DATABASE_URL)', () => {
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  let where: Awaited<ReturnType<typeof freshSchemaAndRole>>;
  let options: StoreOptions;
  let store: Store;
  let app: pg.Client;

  beforeAll(async () => {
    await admin.connect();
    where = await freshSchemaAndRole(admin);
    options = { kind: 'postgres', url: where.url, schema: where.schema, poolSize: 2, migrationUrl: TEST_DATABASE_URL, auditKey: TEST_AUDIT_KEY };
    store = await openStore(options);
    app = await clientAs(where.url, where.schema);
  });

  afterAll(async () => {
    await app?.end();
    await store?.close();
    if (where) await dropSchemaAndRole(admin, where.schema, where.role);
    await admin.end();
  });

  it('starts for the first time in a schema the app role could not yet see (it then has USAGE only), as the app role; the owner role made the tables', async () => {
    expect((await app.query('select current_user as role')).rows[0].role).toBe(where.role);
    const { rows } = await admin.query('select tablename, tableowner from pg_tables where schemaname = $1', [where.schema]);
    expect(rows.map((r) => r.tablename)).toEqual(expect.arrayContaining(['audit_log', 'audit_details', 'meetings', 'outbox']));
    expect(rows.filter((r) => r.tableowner === where.role)).toEqual([]);
  });

  it('does the bot\'s work: sync, nominate, cancel, the outbox, erasing audit details (retention, redact note), and the log verifies', async () => {
    await syncPanels(store, sampleConfig(), '2027-04-01T08:00:00.000Z');
    const nominated = await nominate(store, {
      meetingId: MAY, forceId: 'hampshire', meetingVersion: 1, nominationVersion: 0, attendee: { aadObjectId: GARETH, name: 'Gareth Owen' }, role: 'DI', decisionMaker: true,
    }, GARETH, NOW);
    expect(nominated).toMatchObject({ ok: true, value: { changed: true } });
    // A press written as read (one statement on PostgreSQL) needs nothing more of the role than the locking path.
    const writes: boolean[] = [];
    const watched: Store = { ...store, writeNomination: async (w, decide) => { const r = await store.writeNomination(w, decide); writes.push(r); return r; } };
    const reads = { context: (await loadCardContext(store, MAY, 'hampshire'))! };
    const renamed = await nominate(watched, {
      meetingId: MAY, forceId: 'hampshire', meetingVersion: 1, nominationVersion: 1, attendee: { aadObjectId: DAWN, name: 'Dawn Ellis' }, role: 'DI', decisionMaker: true,
    }, GARETH, NOW, reads);
    expect(renamed).toMatchObject({ ok: true, value: { changed: true, nomination: { name: 'Dawn Ellis', version: 2 } } });
    // And a first nomination written as read (the insert): June's, before the chair cancels it below.
    const june = await nominate(watched, {
      meetingId: JUNE, forceId: 'hampshire', meetingVersion: 1, nominationVersion: 0, attendee: { aadObjectId: DAWN, name: 'Dawn Ellis' }, role: 'DI', decisionMaker: true,
    }, GARETH, NOW, { context: (await loadCardContext(store, JUNE, 'hampshire'))! });
    expect(june).toMatchObject({ ok: true, value: { changed: true, nomination: { version: 1 } } });
    expect(writes).toEqual([true, true]);
    expect(await cancelMeeting(store, { meetingId: JUNE, reason: 'other', note: 'room unavailable' }, DAWN, NOW)).toMatchObject({ ok: true });

    await store.outbox.enqueue([{
      id: 'digest:hampshire:2027-04-19', kind: 'digest', conversationId: '19:c@thread.tacv2', meetingId: '', forceId: 'hampshire', cardId: null, personAadObjectId: null,
      status: 'pending', attempts: 0, nextAttemptAt: NOW, activityId: null, lastError: null, createdAt: NOW,
    }]);
    expect(await store.outbox.claimDue(NOW, '2027-04-20T08:02:00.000Z', 10, 'me')).toHaveLength(1);
    await store.outbox.markSent('digest:hampshire:2027-04-19', 'activity-1', NOW);

    // Erasure as retention does it: the details go (a DELETE on audit_details), one entry records which.
    const [entry] = await store.audit.appendNow([{ at: NOW, actor: 'system', action: 'test.noted', subject: {}, details: { note: 'erase me' } }]);
    expect(await store.audit.erase([entry!.seq])).toEqual([entry!.seq]);
    await store.audit.append([{ at: NOW, actor: 'system', action: 'retention.purged', subject: {}, details: { erased: [entry!.seq] } }]);
    expect((await store.audit.page(entry!.seq - 1, 1))[0]?.details).toBeNull();
    // And as `redact note` does it, inside the use case's transaction.
    expect(await redactNote(store, { meetingId: JUNE, why: 'named a referred person' }, 'system', NOW)).toMatchObject({ ok: true, value: { erased: [expect.any(Number)] } });

    const report = await verifyAuditLog(store, TEST_AUDIT_KEY);
    expect(report).toMatchObject({ broken: null, unrecordedErasures: [], state: [], erased: 2 });
    expect(reportOk(report)).toBe(true);
  });

  it.each([
    ['update audit_log', "update audit_log set actor = 'someone else'"],
    ['delete from audit_log', 'delete from audit_log'],
    ['truncate audit_log', 'truncate audit_log'],
    ['drop its trigger', 'drop trigger audit_log_no_update on audit_log'],
    ['disable its triggers', 'alter table audit_log disable trigger all'],
    ['update audit_details', "update audit_details set details_json = '{}'"],
    ['truncate audit_details', 'truncate audit_details'],
    ['drop audit_details\' trigger', 'drop trigger audit_details_no_update on audit_details'],
    ['make a table of its own', 'create table mine (id int)'],
    ['rewrite the migrations\' record', 'delete from kysely_migration'],
  ])('refuses the app role: %s', async (_name, statement) => {
    await expect(app.query(statement)).rejects.toThrow(/permission denied|must be owner/);
  });

  it('still lets the app role append and read the log as a raw client', async () => {
    expect(Number((await app.query('select count(*) as n from audit_log')).rows[0].n)).toBeGreaterThan(0);
  });

  it("keeps each nomination's copy of its meeting's start as the app role: a plain insert (the trigger's FOR SHARE read) and a move", async () => {
    // In a transaction rolled back after: the rows are the test's, not the bot's (no audit entry would account for them).
    await app.query('begin');
    try {
      const { rows: [m] } = await app.query(`select id, start_utc from meetings where panel_id = 'southampton' and id not in (select meeting_id from nominations) order by start_utc limit 1`);
      await app.query(`insert into nominations (meeting_id, force_id, aad_object_id, name, role, decision_maker, nominated_by, nominated_at, version)
        values ($1, 'hampshire', $2, 'Gareth Owen', 'DI', 1, $2, $3, 1)`, [m.id, GARETH, NOW]);
      const copy = async () => (await app.query('select meeting_start_utc from nominations where meeting_id = $1', [m.id])).rows[0].meeting_start_utc;
      expect(await copy()).toBe(m.start_utc);
      const moved = new Date(Date.parse(m.start_utc) + 86_400_000).toISOString();
      await app.query('update meetings set start_utc = $1 where id = $2', [moved, m.id]);
      expect(await copy()).toBe(moved);
    } finally {
      await app.query('rollback');
    }
  });

  it('grants on the bot\'s own tables, which are exactly those the migrations make (BOT_TABLES lists them all)', async () => {
    const { rows } = await admin.query<{ tablename: string }>('select tablename from pg_tables where schemaname = $1 order by tablename', [where.schema]);
    expect(rows.map((r) => r.tablename)).toEqual([...BOT_TABLES, 'kysely_migration', 'kysely_migration_lock'].sort());
    for (const table of BOT_TABLES) {
      const expected = table === 'audit_log' ? ['SELECT', 'INSERT'] : table === 'audit_details' || table === 'audit_pending' ? ['SELECT', 'INSERT', 'DELETE'] : ['SELECT', 'INSERT', 'UPDATE', 'DELETE'];
      expect([table, await privilegesOf(admin, where.role, `${where.schema}.${table}`)]).toEqual([table, expected]);
    }
    expect(await privilegesOf(admin, where.role, `${where.schema}.kysely_migration`)).toEqual(['SELECT']);
    expect(await privilegesOf(admin, where.role, `${where.schema}.kysely_migration_lock`)).toEqual(['SELECT']);
  });

  it('opens again as the same role with nothing to change: no GRANT or REVOKE touches a table or the schema', async () => {
    const before = await aclsIn(admin, where.schema);
    const schemaBefore = await schemaAcl(admin, where.schema);
    await (await openStore(options)).close();
    expect(await aclsIn(admin, where.schema)).toEqual(before);
    expect(await schemaAcl(admin, where.schema)).toEqual(schemaBefore);
  });

  it('opens again after someone changed the grants by hand: takes back only what is extra, gives back only what is missing', async () => {
    const before = await aclsIn(admin, where.schema);
    await admin.query(`grant truncate on ${where.schema}.meetings to ${where.role}`);
    await admin.query(`grant update (actor) on ${where.schema}.audit_log to ${where.role}`);
    await admin.query(`grant select on ${where.schema}.forces to ${where.role} with grant option`);
    await admin.query(`revoke insert on ${where.schema}.outbox from ${where.role}`);
    expect(await privilegesOf(admin, where.role, `${where.schema}.meetings`)).toContain('TRUNCATE');
    await (await openStore(options)).close();
    const after = await aclsIn(admin, where.schema);
    const touched = ['meetings', 'audit_log', 'forces', 'outbox'];
    for (const table of Object.keys(before)) {
      if (touched.includes(table)) expect([table, after[table]!.acl, after[table]!.columns]).toEqual([table, before[table]!.acl, before[table]!.columns]);
      else expect([table, after[table]]).toEqual([table, before[table]]);
    }
    await expect(app.query('truncate meetings')).rejects.toThrow(/permission denied/);
    await expect(app.query("update audit_log set actor = 'x'")).rejects.toThrow(/permission denied/);
  });

  it('opens again as the same role: the store still works', async () => {
    const again = await openStore(options);
    try {
      expect((await again.audit.head()).seq).toBe((await store.audit.head()).seq);
      await again.audit.append([{ at: NOW, actor: 'system', action: 'test.reopened', subject: {}, details: {} }]);
      expect(reportOk(await verifyAuditLog(again, TEST_AUDIT_KEY))).toBe(true);
    } finally {
      await again.close();
    }
  });
});

describe('an app role that owns audit_log', () => {
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  let where: Awaited<ReturnType<typeof freshSchemaAndRole>>;

  beforeAll(async () => {
    await admin.connect();
    where = await freshSchemaAndRole(admin);
    // Migrated once as the app's own role (no MIGRATION_DATABASE_URL yet): it then owns every table.
    await admin.query(`grant usage, create on schema ${where.schema} to ${where.role}`);
  });

  afterAll(async () => {
    if (where) await dropSchemaAndRole(admin, where.schema, where.role);
    await admin.end();
  });

  it('is refused once MIGRATION_DATABASE_URL is set, with the fix named (REASSIGN OWNED)', async () => {
    const own: StoreOptions = { kind: 'postgres', url: where.url, schema: where.schema, poolSize: 2, auditKey: TEST_AUDIT_KEY };
    await (await openStore(own)).close();
    const owner = (await admin.query("select tableowner from pg_tables where schemaname = $1 and tablename = 'audit_log'", [where.schema])).rows[0]?.tableowner;
    expect(owner).toBe(where.role);
    await expect(openStore({ ...own, migrationUrl: TEST_DATABASE_URL })).rejects.toThrow(new RegExp(`app role "${where.role}" owns audit_log.*REASSIGN OWNED BY ${where.role}`));
  });
});

describe('an app role that could act as the owner another way', () => {
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  let where: Awaited<ReturnType<typeof freshSchemaAndRole>>;
  let owner: Awaited<ReturnType<typeof freshSchemaAndRole>>;
  let options: StoreOptions;

  beforeAll(async () => {
    await admin.connect();
    where = await freshSchemaAndRole(admin);
    // A plain owner role, as a deployment has it: it owns the schema, and is no superuser.
    owner = await freshSchemaAndRole(admin);
    await admin.query(`alter schema ${where.schema} owner to ${owner.role}`);
    options = { kind: 'postgres', url: where.url, schema: where.schema, poolSize: 2, migrationUrl: owner.url, auditKey: TEST_AUDIT_KEY };
  });

  afterAll(async () => {
    if (where) await dropSchemaAndRole(admin, where.schema, where.role);
    if (owner) await dropSchemaAndRole(admin, owner.schema, owner.role);
    await admin.end();
  });

  it('works with a plain owner role, and is refused once the app role is made a member of it, naming the REVOKE', async () => {
    await (await openStore(options)).close();
    await admin.query(`grant ${owner.role} to ${where.role}`);
    await expect(openStore(options)).rejects.toThrow(`the app role "${where.role}" is a member of "${owner.role}", which owns audit_log, so it could act as its owner; REVOKE ${owner.role} FROM ${where.role}`);
    await admin.query(`revoke ${owner.role} from ${where.role}`);
  });

  it('is refused when it is a superuser, whom no grant binds', async () => {
    await admin.query(`alter role ${where.role} superuser`);
    try {
      await expect(openStore(options)).rejects.toThrow(`the app role "${where.role}" is a superuser`);
    } finally {
      await admin.query(`alter role ${where.role} nosuperuser`);
    }
  });
});

describe('instances starting together (MIGRATION_DATABASE_URL)', () => {
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  let where: Awaited<ReturnType<typeof freshSchemaAndRole>>;
  let options: StoreOptions;

  beforeAll(async () => {
    await admin.connect();
    where = await freshSchemaAndRole(admin);
    options = { kind: 'postgres', url: where.url, schema: where.schema, poolSize: 2, migrationUrl: TEST_DATABASE_URL, auditKey: TEST_AUDIT_KEY };
  });

  afterAll(async () => {
    if (where) await dropSchemaAndRole(admin, where.schema, where.role);
    await admin.end();
  });

  const openAndClose = async () => (await openStore(options)).close();

  it('all start, six at once, on a fresh schema (no `tuple concurrently updated`)', async () => {
    const outcomes = await Promise.allSettled(Array.from({ length: 6 }, openAndClose));
    expect(outcomes.filter((o) => o.status === 'rejected')).toEqual([]);
    expect(await privilegesOf(admin, where.role, `${where.schema}.meetings`)).toEqual(['SELECT', 'INSERT', 'UPDATE', 'DELETE']);
  });

  it('never take a running instance\'s privileges away, even for a moment, while they start (with or without grants to fix)', async () => {
    const running = await openStore(options);
    const raw = await clientAs(where.url, where.schema);
    try {
      await syncPanels(running, sampleConfig(), '2027-04-01T08:00:00.000Z');
      const failures: unknown[] = [];
      const attempt = async (read: () => Promise<unknown>) => {
        try {
          await read();
        } catch (err) {
          failures.push(err);
        }
      };
      // Through the store's pool, and (many more, being cheap) on a raw connection as the same role.
      const readMeetings = async (times: number) => {
        for (let i = 0; i < times; i++) {
          await attempt(async () => expect((await running.meetings.list()).length).toBeGreaterThan(0));
          for (let j = 0; j < 10; j++) await attempt(() => raw.query('select 1 from meetings limit 1'));
        }
      };
      for (let round = 0; round < 6; round++) {
        // Every other round someone has widened the grants by hand, so the starting instances have something to revoke.
        if (round % 2) await admin.query(`grant truncate on all tables in schema ${where.schema} to ${where.role}`);
        const opens = await Promise.allSettled([readMeetings(30), openAndClose(), openAndClose(), openAndClose()]);
        expect(opens.filter((o) => o.status === 'rejected')).toEqual([]);
      }
      expect(failures).toEqual([]);
      expect(await privilegesOf(admin, where.role, `${where.schema}.meetings`)).toEqual(['SELECT', 'INSERT', 'UPDATE', 'DELETE']);
    } finally {
      await raw.end();
      await running.close();
    }
  });
});

describe('another app\'s tables in the same schema (the README allows sharing one, `public` by default)', () => {
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  let where: Awaited<ReturnType<typeof freshSchemaAndRole>>;
  let owner: Awaited<ReturnType<typeof freshSchemaAndRole>>;
  let other: Awaited<ReturnType<typeof freshSchemaAndRole>>;

  beforeAll(async () => {
    await admin.connect();
    where = await freshSchemaAndRole(admin);
    owner = await freshSchemaAndRole(admin);
    other = await freshSchemaAndRole(admin);
    await admin.query(`alter schema ${where.schema} owner to ${owner.role}`);
    // One table another app's role owns, one the superuser made (as a superuser migration role might have, for another app).
    await admin.query(`create table ${where.schema}.other_apps_secrets (secret text)`);
    await admin.query(`alter table ${where.schema}.other_apps_secrets owner to ${other.role}`);
    await admin.query(`create table ${where.schema}.other_apps_ledger (entry text)`);
    await admin.query(`grant select on ${where.schema}.other_apps_ledger to ${other.role}`);
  });

  afterAll(async () => {
    for (const w of [where, owner, other]) if (w) await dropSchemaAndRole(admin, w.schema, w.role);
    await admin.end();
  });

  const foreign = async () => {
    const acls = await aclsIn(admin, where.schema);
    return { secrets: acls.other_apps_secrets, ledger: acls.other_apps_ledger };
  };

  it.each([
    ['a plain owner role', () => owner.url],
    ['a superuser', () => TEST_DATABASE_URL],
  ])('are left untouched when %s migrates: no error, and the app role gets nothing on them', async (_name, migrationUrl) => {
    const before = await foreign();
    const store = await openStore({ kind: 'postgres', url: where.url, schema: where.schema, poolSize: 2, migrationUrl: migrationUrl(), auditKey: TEST_AUDIT_KEY });
    try {
      await store.ping();
      expect((await store.meetings.list()).length).toBeGreaterThanOrEqual(0);
    } finally {
      await store.close();
    }
    expect(await foreign()).toEqual(before);
    expect(await privilegesOf(admin, where.role, `${where.schema}.other_apps_secrets`)).toEqual([]);
    expect(await privilegesOf(admin, where.role, `${where.schema}.other_apps_ledger`)).toEqual([]);
    const app = await clientAs(where.url, where.schema);
    try {
      await expect(app.query('select * from other_apps_secrets')).rejects.toThrow(/permission denied/);
      await expect(app.query('select * from other_apps_ledger')).rejects.toThrow(/permission denied/);
    } finally {
      await app.end();
    }
  });
});
