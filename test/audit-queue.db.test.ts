import { randomUUID } from 'node:crypto';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { reportLines, reportOk, verifyAuditLog } from '../scheduler/audit/verify.js';
import { auditKey, pendingMac, REFUSED_ACTION } from '../scheduler/domain/audit-chain.js';
import { nominate } from '../scheduler/nominations/nominations.js';
import { advisoryLock } from '../scheduler/store/advisory-lock.js';
import { AUDIT_LOCK } from '../scheduler/store/kysely-audit-repo.js';
import type { Database } from '../scheduler/store/tables.js';
import { openStore } from '../scheduler/store/open-store.js';
import { TEST_AUDIT_KEY, TEST_DATABASE_URL, useFreshStore, type TestStore } from './support/stores.js';
import { GARETH, NADIA } from './support/teams-activities.js';

// Issue 22, item 2: on PostgreSQL a use case queues its audit entries (audit_pending) and the store chains them just
// after the commit. The queue is a way in for an insider with the tables: each row must carry the key's MAC, and a
// row already chained must not go in twice. Every tamper below is raw SQL, as such an insider would write it.

const MAY = 'southampton.2027-05-03';
const NOW = '2027-04-20T08:00:00.000Z';
const q = (s: string) => `'${s.replace(/'/g, "''")}'`;
const press = { meetingId: MAY, forceId: 'hampshire', meetingVersion: 1, nominationVersion: 0, attendee: NADIA, role: 'DI', decisionMaker: true };

type Entry = { at: string; actor: string; action: string; subject: Record<string, string>; details: unknown };

/** A queue row as an insider would write it: its MAC made with `key` (the test's, to stand for the bot's), or `mac` as given. */
function row(entry: Entry, mac: string | null, nonce = randomUUID()): string {
  const text = { nonce, at: entry.at, actor: entry.actor, action: entry.action, subject_json: JSON.stringify(entry.subject), details_json: JSON.stringify(entry.details) };
  const m = mac ?? pendingMac(TEST_AUDIT_KEY, text);
  return `insert into audit_pending (nonce, at, actor, action, subject_json, details_json, mac) values (${q(nonce)}, ${q(text.at)}, ${q(text.actor)}, ${q(text.action)}, ${q(text.subject_json)}, ${q(text.details_json)}, ${q(m)})`;
}

/** A session of its own on the test's schema, as an insider would open one. */
async function connect(t: TestStore): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  await client.query(`set search_path = ${(t.options as { schema: string }).schema}`);
  return client;
}

describe('audit entries queued on PostgreSQL', () => {
  const t = useFreshStore('postgres', { syncedAt: '2027-04-01T08:00:00.000Z' });

  /** The insider holds the chain's lock, so the chainer waits: a nomination's entry sits in the queue. Its rows. */
  async function nominatedWhileLocked(insider: pg.Client): Promise<Array<Record<string, string>>> {
    await insider.query('select pg_advisory_lock($1)', [AUDIT_LOCK]);
    expect((await nominate(t.store, press, GARETH.aadObjectId, NOW)).ok).toBe(true);
    return (await insider.query('select * from audit_pending')).rows;
  }
  const forged = { at: NOW, actor: GARETH.aadObjectId, action: 'nomination.recorded', subject: { meetingId: MAY, forceId: 'hampshire' }, details: { attendee: { name: 'Forged Person' } } };

  it('refuses a row written without the key: verify names it first, then the chain records only its row id', async () => {
    await t.raw(row(forged, 'f'.repeat(64)));
    const [waiting] = await t.store.audit.waiting();
    expect(waiting).toMatchObject({ accepted: false, entry: null });
    // Chained as audit.refused: the forged action, actor and details never enter the log.
    await t.store.audit.settle();
    const entries = await t.store.audit.page(0, 10_000);
    const refused = entries.filter((e) => e.action === REFUSED_ACTION);
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject({ actor: 'system', subject: {}, details: { pendingId: String(waiting!.id), problem: 'not written with the key' } });
    expect(JSON.stringify(entries)).not.toContain('Forged Person');
    expect(entries.some((e) => e.action === 'nomination.recorded')).toBe(false);
    expect(await t.store.audit.waiting()).toEqual([]);
    const report = await verifyAuditLog(t.store, TEST_AUDIT_KEY);
    expect(report).toMatchObject({ refused: 1, forgedWaiting: [] });
    expect(reportOk(report)).toBe(true);
    expect(reportLines(report).join('\n')).toMatch(/1 queued entry was refused as not written with the key/);
  });

  it('keeps a queued entry until it is chained, even from someone holding the chain\'s lock, and refuses it copied back later', async () => {
    const insider = await connect(t);
    try {
      const rows = await nominatedWhileLocked(insider);
      expect(rows.map((r) => r.action)).toEqual(['nomination.recorded']);
      // It cannot be taken out (with the nomination, to leave no trace), nor can an entry numbered outside what verify reads go in.
      await expect(insider.query('delete from audit_pending')).rejects.toThrow(/leaves the queue only once it is chained/);
      await expect(insider.query(`insert into audit_log (seq, at, actor, action, subject_json, details_hash, prev_hash, hash, nonce) values (0, 'x', 'x', 'x', '{}', 'x', 'x', 'x', $1)`, [rows[0]!.nonce])).rejects.toThrow(/audit_log_seq_positive/);
      await insider.query('select pg_advisory_unlock($1)', [AUDIT_LOCK]);
      await t.store.audit.settle();
      expect((await t.store.audit.page(0, 10_000)).filter((e) => e.action === 'nomination.recorded')).toHaveLength(1);
      // The row as it was queued (its nonce and the key's MAC), written back once chained: refused as a replay.
      const r = rows[0]!;
      await insider.query('insert into audit_pending (nonce, at, actor, action, subject_json, details_json, mac) values ($1, $2, $3, $4, $5, $6, $7)', [r.nonce, r.at, r.actor, r.action, r.subject_json, r.details_json, r.mac]);
      expect((await t.store.audit.waiting()).map((w) => w.accepted)).toEqual([false]);
      await t.store.audit.settle();
      const after = await t.store.audit.page(0, 10_000);
      expect(after.filter((e) => e.action === 'nomination.recorded')).toHaveLength(1);
      expect(after.at(-1)).toMatchObject({ action: REFUSED_ACTION, actor: 'system', subject: {}, details: { problem: 'replayed' } });
      expect(reportOk(await verifyAuditLog(t.store, TEST_AUDIT_KEY))).toBe(true);
    } finally {
      await insider.end();
    }
  });

  it('leaves the queue to the right key: an instance with another key touches none of it', async () => {
    const wrong = await openStore({ ...t.options, auditKey: auditKey('another-key-entirely-0123456789abcdef') });
    try {
      // Queued by an instance with the right key that stopped before chaining it.
      const entry = { at: NOW, actor: 'system', action: 'test.left-queued', subject: {}, details: { n: 2 } };
      await t.raw(row(entry, null));
      // The wrong key's chainer meets a tail it cannot verify and stops before refusing anything.
      await expect(wrong.audit.settle()).rejects.toThrow(/does not verify with AUDIT_KEY/);
      expect((await t.store.audit.waiting()).map((w) => [w.entry?.action, w.accepted])).toEqual([['test.left-queued', true]]);
      await t.store.audit.settle();
      const entries = await t.store.audit.page(0, 10_000);
      expect(entries.at(-1)).toMatchObject({ action: 'test.left-queued', details: { n: 2 } });
      expect(entries.some((e) => e.action === REFUSED_ACTION)).toBe(false);
    } finally {
      await wrong.close().catch(() => undefined);
    }
  });

  it('chains what a stopped instance left queued, when the next one reads the log', async () => {
    const entry = { at: NOW, actor: 'system', action: 'test.left-queued', subject: {}, details: { n: 1 } };
    await t.raw(row(entry, null));
    const next = await openStore(t.options);
    try {
      expect((await next.audit.page(0, 10_000)).at(-1)).toMatchObject({ action: 'test.left-queued', details: { n: 1 } });
      expect(reportOk(await verifyAuditLog(next, TEST_AUDIT_KEY))).toBe(true);
    } finally {
      await next.close();
    }
  });

  it('an instance with the wrong key refuses to queue, so nothing it could never chain is left behind', async () => {
    const wrong = await openStore({ ...t.options, auditKey: auditKey('another-key-entirely-0123456789abcdef') });
    try {
      await expect(nominate(wrong, press, GARETH.aadObjectId, NOW)).rejects.toThrow(/does not verify with AUDIT_KEY/);
      expect(await t.store.audit.waiting()).toEqual([]);
      expect(await t.store.nominations.get(MAY, 'hampshire')).toBeNull();
    } finally {
      await wrong.close();
    }
  });
  it('refuses a row built to make the chainer fail (details nested past any stack) without parsing it, and keeps chaining', async () => {
    const deep = `{"a":${'['.repeat(20_000)}${']'.repeat(20_000)}}`;
    await t.raw(`insert into audit_pending (nonce, at, actor, action, subject_json, details_json, mac) values (${q(randomUUID())}, ${q(NOW)}, 'system', 'x.deep', '{}', ${q(deep)}, ${q('f'.repeat(64))})`);
    const [waiting] = await t.store.audit.waiting();
    expect(waiting).toMatchObject({ accepted: false, entry: null });
    expect((await nominate(t.store, press, GARETH.aadObjectId, NOW)).ok).toBe(true);
    await t.store.audit.settle();
    expect((await t.store.audit.page(0, 10_000)).slice(-2).map((e) => e.action)).toEqual([REFUSED_ACTION, 'nomination.recorded']);
    expect(reportOk(await verifyAuditLog(t.store, TEST_AUDIT_KEY))).toBe(true);
  });

  it('keeps the guard on the chain itself: a temporary table named audit_log does not let a queued row out', async () => {
    const insider = await connect(t);
    try {
      const rows = await nominatedWhileLocked(insider);
      // A session's temporary tables come first on its search path: one called audit_log, holding the nonce.
      await insider.query('create temp table audit_log (nonce text)');
      await insider.query('insert into audit_log values ($1)', [rows[0]!.nonce]);
      await expect(insider.query('delete from audit_pending')).rejects.toThrow(/leaves the queue only once it is chained/);
      await insider.query('select pg_advisory_unlock($1)', [AUDIT_LOCK]);
      await t.store.audit.settle();
      expect((await t.store.audit.page(0, 10_000)).at(-1)).toMatchObject({ action: 'nomination.recorded' });
    } finally {
      await insider.end();
    }
  });

  it('gives up waiting for a lock a stuck session holds, with a clear error, writes nothing, and chains once it is free', async () => {
    const insider = await connect(t);
    const errors: unknown[] = [];
    const short = await openStore({ ...t.options, lockWaitMs: 200, onChainError: (err) => errors.push(err) });
    try {
      // The insider stands for a session left holding the lock: it holds it until the test lets go, however long
      // the waits below take, so nothing here depends on speed.
      await insider.query('select pg_advisory_lock($1)', [AUDIT_LOCK]);
      expect((await nominate(short, press, GARETH.aadObjectId, NOW)).ok).toBe(true);
      const expired = /^database: waited 0\.2 s for the audit chain lock, which another session holds \(busy, or left in a transaction\); this transaction was rolled back/;
      await expect(short.audit.settle()).rejects.toThrow(expired);
      await expect(short.audit.settle()).rejects.toMatchObject({ name: 'LockWaitExpired', cause: { code: '55P03' } });
      await expect(short.audit.page(0, 10)).rejects.toThrow(expired);
      // Verify still answers (it cannot chain, so it replays the waiting entry from its snapshot) rather than hang.
      const stuck = await verifyAuditLog(short, TEST_AUDIT_KEY);
      expect(stuck).toMatchObject({ waiting: 1, forgedWaiting: [], broken: null });
      expect(reportOk(stuck)).toBe(true);
      // The chainer run after the commit gave up too, and said so; what failed names no one.
      expect(errors.map(String).join('\n')).toMatch(/waited 0\.2 s for the audit chain lock/);
      const told = errors.map((e) => `${String(e)} ${String((e as Error).cause)}`).join('\n');
      expect(told).not.toContain(NADIA.name);
      expect(told).not.toContain(NADIA.aadObjectId);
      // A transaction stopped at the lock writes nothing: its queued entry goes with it.
      const stopped = short.transaction(async (tx) => {
        await tx.audit.append([{ at: NOW, actor: 'system', action: 'test.stopped', subject: {}, details: {} }]);
        await tx.exclusive('audit');
      });
      await expect(stopped).rejects.toThrow(expired);
      expect((await insider.query('select action from audit_pending order by id')).rows.map((r) => r.action)).toEqual(['nomination.recorded']);
      // The planner's and outbox's locks wait the same way, and say whose they are.
      await insider.query('select pg_advisory_lock($1)', [4242002]);
      await expect(short.transaction((tx) => tx.exclusive('sync'))).rejects.toThrow(/waited 0\.2 s for the planner lock/);
      await insider.query('select pg_advisory_lock($1)', [4242003]);
      await expect(short.transaction((tx) => tx.exclusive('outbox'))).rejects.toThrow(/waited 0\.2 s for the outbox lock/);
      await insider.query('select pg_advisory_unlock_all()');
      // Free again: the wait is bounded only while it waits, so the rest of a transaction waits as it always did.
      await short.audit.settle();
      expect((await short.audit.page(0, 10_000)).filter((e) => e.action === 'nomination.recorded')).toHaveLength(1);
      expect(reportOk(await verifyAuditLog(short, TEST_AUDIT_KEY))).toBe(true);
      // Back to the session's own value (here one its connection options set), not left at the short wait.
      const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: TEST_DATABASE_URL, max: 1, options: '-c lock_timeout=5s' }) }) });
      try {
        const after = await db.transaction().execute(async (trx) => {
          await advisoryLock(trx, AUDIT_LOCK, 'audit chain', 200);
          return (await sql<{ lock_timeout: string }>`show lock_timeout`.execute(trx)).rows[0]!.lock_timeout;
        });
        expect(after).toBe('5s');
      } finally {
        await db.destroy();
      }
    } finally {
      await insider.end();
      await short.close();
    }
  });
});
