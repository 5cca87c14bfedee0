import { sql, type Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { sealLegacyChain } from '../scheduler/audit/seal.js';
import { reportOk, verifyAuditLog } from '../scheduler/audit/verify.js';
import { GENESIS_HASH, legacyEntryHash, SEAL_ACTION } from '../scheduler/domain/audit-chain.js';
import { openStore } from '../scheduler/store/open-store.js';
import { partlyMigrated } from './support/partly-migrated.js';
import { STORE_KINDS, TEST_AUDIT_KEY } from './support/stores.js';

const AT = '2027-05-04T12:00:00.000Z';

/** Entries as the bot chained them before the chain was keyed: unkeyed SHA-256 over the details, in audit_log itself. */
async function legacyEntries(db: Kysely<any>, n: number): Promise<string> {
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq += 1) {
    const e = { at: AT, actor: 'system', action: 'meeting.planned', subject: { meetingId: `m${seq}` }, details: { n: seq } };
    const hash = legacyEntryHash(prev, seq, e);
    await sql`insert into audit_log (seq, at, actor, action, subject_json, details_json, prev_hash, hash)
      values (${seq}, ${AT}, 'system', 'meeting.planned', ${JSON.stringify(e.subject)}, ${JSON.stringify(e.details)}, ${prev}, ${hash})`.execute(db);
    prev = hash;
  }
  return prev;
}

describe.each(STORE_KINDS)('an audit log from before the chain was keyed, on %s', (kind) => {
  it('moves each entry\'s details out of the chain, keeps them verifiable, and seals them once with a keyed entry', async () => {
    const old = await partlyMigrated(kind, '007_evidence');
    try {
      const legacyHead = await legacyEntries(old.db, 5);
      await old.db.destroy();
      const store = await openStore(old.options);
      try {
        expect(store.migratedNow).toEqual(['008_audit_keeping']);
        const [third] = await store.audit.page(2, 1);
        expect(third).toMatchObject({ seq: 3, details: { n: 3 }, detailsHash: null });
        expect(await sealLegacyChain(store, AT)).toBe(true);
        const [seal] = await store.audit.page(5, 1);
        expect(seal).toMatchObject({ seq: 6, action: SEAL_ACTION, details: { legacyEntries: 5, legacyHead }, prevHash: legacyHead });
        const report = await verifyAuditLog(store, TEST_AUDIT_KEY);
        expect(report).toMatchObject({ entries: 6, legacy: 5, broken: null, state: [] });
        expect(reportOk(report)).toBe(true);
        // Appends chain on as usual after the seal.
        await store.audit.append([{ at: AT, actor: 'system', action: 'meeting.planned', subject: {}, details: {} }]);
        expect(reportOk(await verifyAuditLog(store, TEST_AUDIT_KEY))).toBe(true);
      } finally {
        await store.close();
      }
      // Reopened (nothing to migrate), it does not seal again.
      const again = await openStore(old.options);
      try {
        expect(await sealLegacyChain(again, AT)).toBe(false);
        expect((await again.audit.head()).seq).toBe(7);
      } finally {
        await again.close();
      }
    } finally {
      await old.dispose();
    }
  });

  it('catches a legacy entry changed after the seal, though its unkeyed hash was recomputed', async () => {
    const old = await partlyMigrated(kind, '007_evidence');
    try {
      await legacyEntries(old.db, 3);
      await old.db.destroy();
      const store = await openStore(old.options);
      try {
        await sealLegacyChain(store, AT);
        // Rewrite entry 3's details and recompute its unkeyed hash: the seal's HMAC still covers the old one.
        const forged = legacyEntryHash((await store.audit.page(1, 1))[0]!.hash, 3, { at: AT, actor: 'system', action: 'meeting.planned', subject: { meetingId: 'm3' }, details: { n: 99 } });
        const raw = kind === 'sqlite' ? 'drop trigger audit_log_no_update; drop trigger audit_details_no_update;' : 'drop trigger audit_log_no_update on audit_log; drop trigger audit_details_no_update on audit_details;';
        await rawSql(kind, old.options, `${raw} update audit_details set details_json = '{"n":99}' where seq = 3; update audit_log set hash = '${forged}' where seq = 3;`);
        expect((await verifyAuditLog(store, TEST_AUDIT_KEY)).broken).toMatchObject({ seq: 4, problem: expect.stringMatching(/link to the previous entry/) });
      } finally {
        await store.close();
      }
    } finally {
      await old.dispose();
    }
  });
});

async function rawSql(kind: string, options: object, text: string): Promise<void> {
  const o = options as Record<string, string>;
  if (kind === 'sqlite') {
    const { default: SQLite } = await import('better-sqlite3');
    const db = new SQLite(o.file!);
    try {
      db.exec(text);
    } finally {
      db.close();
    }
    return;
  }
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: o.url! });
  await client.connect();
  try {
    await client.query(`set search_path = ${o.schema!}`);
    await client.query(text);
  } finally {
    await client.end();
  }
}
