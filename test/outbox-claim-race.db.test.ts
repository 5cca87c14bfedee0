import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import type { OutboxMessage } from '../scheduler/domain/types.js';
import { leaseIfFree } from '../scheduler/store/kysely-teams-repos.js';
import type { Database } from '../scheduler/store/tables.js';
import { sentStatements } from './support/pg-statements.js';
import { STORE_KINDS, TEST_DATABASE_URL, useFreshStore, type TestStore } from './support/stores.js';

// Two instances claiming at the same moment on PostgreSQL. When one leased a row and committed between the other's
// snapshot and its lock, PostgreSQL re-checked only the conditions on the locked row itself, and the ranking subquery
// had them all: both claimed the message (3 in 300 rounds here before the fix). Many rounds give the interleaving
// its chances; with the lease written only where still free, no round can hand one message to two.

const NOW = '2027-04-20T08:00:00.000Z';
const LEASE = '2027-04-20T09:00:00.000Z';
const ROUNDS = 300;

const message = (id: string): OutboxMessage => ({
  id, kind: 'card', conversationId: `19:${id}@thread.tacv2`, meetingId: 'southampton.2027-05-03', forceId: 'hampshire', cardId: null, personAadObjectId: null,
  status: 'pending', attempts: 0, nextAttemptAt: NOW, activityId: null, lastError: null, createdAt: NOW,
});

describe('claiming the outbox from three instances at once, on postgres', () => {
  const t = useFreshStore('postgres');

  it(`never hands one message to two of them, in ${ROUNDS} rounds`, async () => {
    const twice: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const ids = [`a${round}`, `b${round}`];
      await t.store.outbox.enqueue(ids.map(message));
      const claimed = (await Promise.all(['x', 'y', 'z'].map((owner) => t.store.outbox.claimDue(NOW, LEASE, 1, owner)))).flat().map((m) => m.id);
      expect(claimed.every((id) => ids.includes(id))).toBe(true);
      if (new Set(claimed).size !== claimed.length) twice.push(...claimed);
      // A claimer that lost a race may take nothing; what none took is still there for the next claim, and only that.
      const rest = (await t.store.outbox.claimDue(NOW, LEASE, 5, 'w')).map((m) => m.id);
      expect([...claimed, ...rest].sort()).toEqual([...ids].sort());
      for (const id of ids) await t.store.outbox.markSent(id, 'activity', NOW);
    }
    expect(twice).toEqual([]);
  });

  it('claims in one statement, outside any transaction: the pick, the lease and the read', async () => {
    await t.store.outbox.enqueue(['b', 'a', 'c'].map(message));
    const sent = await sentStatements(async () => expect((await t.store.outbox.claimDue(NOW, LEASE, 2, 'x')).map((m) => m.id)).toEqual(['a', 'b']));
    expect(sent.map((s) => s.text.replace(/\s+/g, ' ').slice(0, 40))).toEqual(['with "picked" as (select "outbox"."id" f']);
    expect(await t.store.outbox.renewLease('a', 'x', NOW, LEASE)).toBe(true);
    expect(await t.store.outbox.renewLease('c', 'x', NOW, LEASE)).toBe(false);
    expect(await sentStatements(async () => expect(await t.store.outbox.claimDue(NOW, LEASE, 5, 'y')).toHaveLength(1))).toHaveLength(1);
  });
});

/** The test store's database through a Kysely of the test's own, as the repository sees it. */
function kyselyOf(t: TestStore): Kysely<Database> {
  const o = t.options;
  if (o.kind === 'sqlite') return new Kysely<Database>({ dialect: new SqliteDialect({ database: new SQLite(o.file) }) });
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: TEST_DATABASE_URL, max: 1, options: `-c search_path=${o.schema}` }) }) });
}

describe.each(STORE_KINDS)('what a claim leases, on %s', (kind) => {
  const t = useFreshStore(kind);

  // What the race leaves a claim holding: rows it picked that another instance has since leased, sent or put off.
  it('leases only the picked rows still pending, due and free', async () => {
    const ids = ['free', 'leased', 'sent', 'put-off'];
    await t.store.outbox.enqueue(ids.map(message));
    const later = '2027-04-20T08:05:00.000Z';
    expect((await t.store.outbox.claimDue(NOW, LEASE, 4, 'other')).map((m) => m.id).sort()).toEqual([...ids].sort());
    await t.store.outbox.markSent('sent', 'activity', NOW);
    await t.store.outbox.defer('put-off', later, 'waiting for its card', 'other');
    await t.store.outbox.defer('free', NOW, 'returned', 'other');
    const db = kyselyOf(t);
    try {
      expect(await leaseIfFree(db, ids, NOW, LEASE, 'me')).toEqual(['free']);
      expect(await leaseIfFree(db, [], NOW, LEASE, 'me')).toEqual([]);
    } finally {
      await db.destroy();
    }
    // Nothing else changed hands: 'leased' is still the other's, 'put-off' waits for its time.
    expect(await t.store.outbox.renewLease('leased', 'other', NOW, LEASE)).toBe(true);
    expect((await t.store.outbox.get('put-off'))?.nextAttemptAt).toBe(later);
  });
});
