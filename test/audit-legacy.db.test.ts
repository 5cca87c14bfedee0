import { sql, type Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { sealLegacyChain, unsealedLegacy } from '../scheduler/audit/seal.js';
import { reportOk, verifyAuditLog } from '../scheduler/audit/verify.js';
import { GENESIS_HASH, legacyEntryHash, SEAL_ACTION } from '../scheduler/domain/audit-chain.js';
import { openStore, type StoreOptions } from '../scheduler/store/open-store.js';
import type { Store } from '../scheduler/store/store.js';
import { partlyMigrated } from './support/partly-migrated.js';
import { STORE_KINDS, TEST_AUDIT_KEY, type StoreKind } from './support/stores.js';

// A database from before the chain was keyed (migration 006): a meeting planned, a nominee named, attendance
// recorded in the one-person format of the time, another meeting cancelled, each with its unkeyed entry.
const PLANNED = '2026-05-01T08:00:00.000Z';
const M1 = 'p.2026-05-12';
const M2 = 'p.2026-06-09';
const CHAIR = 'c0000000-0000-4000-8000-000000000001';
const NADIA = { aadObjectId: 'n0000000-0000-4000-8000-000000000002', name: 'Nadia Rahman' };
const AT = '2026-12-02T09:00:00.000Z';

type Entry = { at: string; actor: string; action: string; subject: Record<string, string>; details: Record<string, unknown> };

async function oldDatabase(kind: StoreKind): Promise<{ options: StoreOptions; dispose: () => Promise<void>; head: { seq: number; hash: string } }> {
  const old = await partlyMigrated(kind, '006_bot_state');
  const db = old.db;
  await sql`insert into panels (id, name, local_authority, timetable_json, teams_channel_id, retired_at, updated_at) values ('p', 'P', 'LA', '{"kind":"when-necessary","start":"10:00","minutes":120}', null, null, ${PLANNED})`.execute(db);
  const meeting = (id: string, start: string, status: string) =>
    sql`insert into meetings (id, panel_id, occurrence, start_utc, end_utc, status, moved_from, moved_reason, extra, version, locked, created_at, updated_at)
      values (${id}, 'p', null, ${start}, ${start.replace('T09', 'T11')}, ${status}, null, null, 1, 2, 1, ${PLANNED}, ${PLANNED})`.execute(db);
  await meeting(M1, '2026-05-12T09:00:00.000Z', 'held');
  await meeting(M2, '2026-06-09T09:00:00.000Z', 'cancelled');
  await sql`insert into nominations (meeting_id, force_id, aad_object_id, name, role, decision_maker, nominated_by, nominated_at, version)
    values (${M1}, 'f', ${NADIA.aadObjectId}, ${NADIA.name}, 'DI', 1, 'lead', '2026-05-02T08:00:00.000Z', 1)`.execute(db);
  await sql`insert into attendance (meeting_id, force_id, attended, aad_object_id, name, substitute, decision_maker, recorded_by, recorded_at, version)
    values (${M1}, 'f', 1, ${NADIA.aadObjectId}, ${NADIA.name}, 0, 1, ${CHAIR}, '2026-05-12T12:00:00.000Z', 1)`.execute(db);
  await sql`insert into cancellations (meeting_id, reason, note, cancelled_by, cancelled_at) values (${M2}, 'no cases to discuss', 'Quiet month', ${CHAIR}, '2026-06-01T08:00:00.000Z')`.execute(db);
  const entries: Entry[] = [
    { at: PLANNED, actor: CHAIR, action: 'meeting.added', subject: { meetingId: M1, panelId: 'p' }, details: { start: '2026-05-12T09:00:00.000Z', end: '2026-05-12T11:00:00.000Z', extra: true } },
    { at: PLANNED, actor: CHAIR, action: 'meeting.added', subject: { meetingId: M2, panelId: 'p' }, details: { start: '2026-06-09T09:00:00.000Z', end: '2026-06-09T11:00:00.000Z', extra: true } },
    { at: '2026-05-02T08:00:00.000Z', actor: 'lead', action: 'nomination.recorded', subject: { meetingId: M1, forceId: 'f', panelId: 'p' }, details: { attendee: NADIA, role: 'DI', decisionMaker: true, version: 1 } },
    { at: '2026-05-12T12:00:00.000Z', actor: CHAIR, action: 'attendance.recorded', subject: { meetingId: M1, forceId: 'f', panelId: 'p' }, details: { attended: true, attendee: NADIA, substitute: false, decisionMaker: true, version: 1 } },
    { at: '2026-06-01T08:00:00.000Z', actor: CHAIR, action: 'meeting.cancelled', subject: { meetingId: M2, panelId: 'p' }, details: { reason: 'no cases to discuss', note: 'Quiet month', version: 2 } },
  ];
  const head = await writeLegacy(db, entries);
  await db.destroy();
  return { options: old.options, dispose: old.dispose, head };
}

/** Entries as the bot chained them before the key: unkeyed SHA-256 over the details, kept in audit_log itself. */
async function writeLegacy(db: Kysely<any>, entries: Entry[]): Promise<{ seq: number; hash: string }> {
  let prev = GENESIS_HASH;
  let seq = 0;
  for (const e of entries) {
    seq += 1;
    const hash = legacyEntryHash(prev, seq, e);
    await sql`insert into audit_log (seq, at, actor, action, subject_json, details_json, prev_hash, hash)
      values (${seq}, ${e.at}, ${e.actor}, ${e.action}, ${JSON.stringify(e.subject)}, ${JSON.stringify(e.details)}, ${prev}, ${hash})`.execute(db);
    prev = hash;
  }
  return { seq, hash: prev };
}

async function withStore(options: StoreOptions, fn: (s: Store) => Promise<void>): Promise<void> {
  const store = await openStore(options);
  try {
    await fn(store);
  } finally {
    await store.close();
  }
}

describe.each(STORE_KINDS)('an audit log from before the chain was keyed, on %s', (kind) => {
  it('is moved apart from its details, left unsealed until an operator seals it with the head they checked, and then verifies against its tables', async () => {
    const old = await oldDatabase(kind);
    try {
      await withStore(old.options, async (store) => {
        expect(await unsealedLegacy(store.audit)).toEqual(old.head);
        const [fourth] = await store.audit.page(3, 1);
        expect(fourth).toMatchObject({ seq: 4, details: { attended: true }, detailsHash: null });
        // Unsealed, verify says what to do, and nothing is written onto it.
        expect((await verifyAuditLog(store, TEST_AUDIT_KEY)).broken?.problem).toMatch(new RegExp(`seal them with \`panel-bot audit seal --legacy-head ${old.head.seq}:${old.head.hash}\``));
        await expect(store.audit.append([{ at: AT, actor: 'system', action: 'x', subject: {}, details: {} }])).rejects.toThrow(/unkeyed and unsealed/);
        // A head that is not the log's is refused.
        const wrong = await sealLegacyChain(store, TEST_AUDIT_KEY, { seq: old.head.seq, hash: GENESIS_HASH }, 'cli:op', AT);
        expect(wrong.ok ? '' : wrong.error.code).toBe('HEAD_DIFFERS');
        const sealed = await sealLegacyChain(store, TEST_AUDIT_KEY, old.head, 'cli:op', AT);
        expect(sealed).toEqual({ ok: true, value: { seq: 6, sealed: 5 } });
        const [seal] = await store.audit.page(5, 1);
        expect(seal).toMatchObject({ action: SEAL_ACTION, actor: 'cli:op', prevHash: old.head.hash, details: { legacyEntries: 5, legacyHead: old.head.hash } });
        const report = await verifyAuditLog(store, TEST_AUDIT_KEY);
        // The held meeting has no meeting record (007 made none) and its attendance is in the old format: both agree.
        expect(report).toMatchObject({ entries: 6, legacy: 5, broken: null, state: [] });
        expect(reportOk(report)).toBe(true);
        expect((await sealLegacyChain(store, TEST_AUDIT_KEY, old.head, 'cli:op', AT)).ok).toBe(false);
        await store.audit.append([{ at: AT, actor: 'system', action: 'conversation.added', subject: { conversationId: 'c' }, details: {} }]);
        expect(reportOk(await verifyAuditLog(store, TEST_AUDIT_KEY))).toBe(true);
      });
    } finally {
      await old.dispose();
    }
  });

  it('catches an old record improved after migration: a decision maker "unknown" made "yes"', async () => {
    const old = await oldDatabase(kind);
    try {
      await withStore(old.options, async (store) => {
        await sealLegacyChain(store, TEST_AUDIT_KEY, old.head, 'cli:op', AT);
        await rawSql(old.options, `update attendance set attendees_json = replace(attendees_json, '"decisionMaker":"unknown"', '"decisionMaker":"yes"')`);
        expect((await verifyAuditLog(store, TEST_AUDIT_KEY)).state.map((p) => p.message)).toEqual([expect.stringMatching(new RegExp(`^attendance row ${M1} / f differs from its audit entry 4`))]);
      });
    } finally {
      await old.dispose();
    }
  });

  it('protects an old entry\'s who and when after its details are erased: the seal holds their digest', async () => {
    const old = await oldDatabase(kind);
    try {
      await withStore(old.options, async (store) => {
        await sealLegacyChain(store, TEST_AUDIT_KEY, old.head, 'cli:op', AT);
        const guardsOff = kind === 'sqlite' ? 'drop trigger audit_log_no_update;' : 'drop trigger audit_log_no_update on audit_log;';
        // Details erased as retention would (the erasure's own entry is not what this checks), then the actor changed.
        await rawSql(old.options, `delete from audit_details where seq = 3; ${guardsOff} update audit_log set actor = 'someone-else' where seq = 3`);
        expect((await verifyAuditLog(store, TEST_AUDIT_KEY)).broken).toMatchObject({ seq: 6, problem: expect.stringMatching(/does not seal them as they are now/) });
      });
    } finally {
      await old.dispose();
    }
  });
});

async function rawSql(options: StoreOptions, text: string): Promise<void> {
  if (options.kind === 'sqlite') {
    const { default: SQLite } = await import('better-sqlite3');
    const db = new SQLite(options.file);
    try {
      db.exec(text);
    } finally {
      db.close();
    }
    return;
  }
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: options.url });
  await client.connect();
  try {
    await client.query(`set search_path = ${options.schema!}`);
    await client.query(text);
  } finally {
    await client.end();
  }
}
