import { beforeEach, describe, expect, it } from 'vitest';
import { reportOk, verifyAuditLog } from '../scheduler/audit/verify.js';
import { auditKey, chain, GENESIS_HASH, legacyEntryHash } from '../scheduler/domain/audit-chain.js';
import type { AuditEntry } from '../scheduler/domain/types.js';
import { sendApologies } from '../scheduler/meetings/apologies.js';
import { cancelMeeting } from '../scheduler/meetings/cancellations.js';
import { answerForForce } from '../scheduler/meetings/force-confirmation.js';
import { inviteForce } from '../scheduler/meetings/invitations.js';
import { recordAttendance } from '../scheduler/meetings/record-attendance.js';
import { nominate } from '../scheduler/nominations/nominations.js';
import { heldWith, notHeld, present } from './support/answers.js';
import { STORE_KINDS, TEST_AUDIT_KEY, useFreshStore, type TestStore } from './support/stores.js';
import { DAWN, GARETH, NADIA } from './support/teams-activities.js';

// Issue 17: the audit log probed as an insider would. Every tamper is made with raw SQL, guards dropped first (the
// owner of the tables can do that), and must be caught: by the keyed chain, by a head held outside the database,
// or by replaying the state tables against the entries.

const SAM = { aadObjectId: '5a1b2c3d-0000-4000-8000-000000000001', name: 'Sam Cole' };
const MAY = 'southampton.2027-05-03';
const JUNE = 'southampton.2027-06-07';
const JULY = 'southampton.2027-07-05';
const AUGUST = 'southampton.2027-08-02';
const AFTER_MAY = '2027-05-04T12:00:00.000Z';

/** A store with one of everything verify replays: a nomination, apologies, an invitation, attendance (confirmed), a not-held meeting, a cancellation. */
async function seed(t: TestStore): Promise<void> {
  const ok = (r: { ok: boolean }) => expect(r.ok).toBe(true);
  ok(await nominate(t.store, { meetingId: MAY, forceId: 'hampshire', meetingVersion: 1, nominationVersion: 0, attendee: NADIA, role: 'DI', decisionMaker: true }, GARETH.aadObjectId, '2027-04-20T08:00:00.000Z'));
  ok(await sendApologies(t.store, JUNE, 'hampshire', SAM, GARETH, '2027-04-21T08:00:00.000Z'));
  ok(await inviteForce(t.store, MAY, 'leics', DAWN.aadObjectId, '2027-04-22T08:00:00.000Z'));
  ok(await recordAttendance(t.store, MAY, heldWith({ hampshire: [present(NADIA), present(SAM, 'unknown')], leics: 'apologies' }, { 'local-authority': 2 }), DAWN.aadObjectId, AFTER_MAY));
  ok(await answerForForce(t.store, MAY, 'hampshire', 1, 'confirmed', GARETH.aadObjectId, '2027-05-05T08:00:00.000Z'));
  ok(await recordAttendance(t.store, JULY, heldWith({ hampshire: [present(SAM, 'no')] }), DAWN.aadObjectId, '2027-07-06T08:00:00.000Z'));
  ok(await recordAttendance(t.store, JULY, notHeld('not quorate'), DAWN.aadObjectId, '2027-07-06T09:00:00.000Z'));
  ok(await cancelMeeting(t.store, { meetingId: AUGUST, reason: 'no cases to discuss', note: 'Chair unwell' }, DAWN.aadObjectId, '2027-07-20T08:00:00.000Z'));
}

const guardsOff = (kind: string) =>
  kind === 'sqlite'
    ? 'drop trigger audit_log_no_update; drop trigger audit_log_no_delete; drop trigger audit_details_no_update;'
    : 'drop trigger audit_log_no_update on audit_log; drop trigger audit_details_no_update on audit_details;';

const all = async (t: TestStore): Promise<AuditEntry[]> => t.store.audit.page(0, 100_000);

const q = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** Replaces the whole log with these entries, as an insider with the tables (but not the key) could. */
async function rewrite(t: TestStore, entries: AuditEntry[]): Promise<void> {
  const rows = entries.map((e) => `(${e.seq}, ${q(e.at)}, ${q(e.actor)}, ${q(e.action)}, ${q(JSON.stringify(e.subject))}, ${e.detailsHash === null ? 'null' : q(e.detailsHash)}, ${q(e.prevHash)}, ${q(e.hash)})`);
  const details = entries.filter((e) => e.details).map((e) => `(${e.seq}, ${q(JSON.stringify(e.details))})`);
  await t.raw(`delete from audit_details; delete from audit_log;
    insert into audit_log (seq, at, actor, action, subject_json, details_hash, prev_hash, hash) values ${rows.join(', ')};
    ${details.length ? `insert into audit_details (seq, details_json) values ${details.join(', ')};` : ''}`);
}

describe.each(STORE_KINDS)('the audit log against an insider, on %s', (kind) => {
  const t = useFreshStore(kind, { syncedAt: '2027-04-01T08:00:00.000Z' });
  beforeEach(async () => {
    await seed(t);
  });

  it('verifies a real history end to end: the chain, every erasure recorded, and each state row matching its entry', async () => {
    const report = await verifyAuditLog(t.store, TEST_AUDIT_KEY);
    expect(report).toMatchObject({ broken: null, headProblem: null, unrecordedErasures: [], state: [], legacy: 0 });
    expect(reportOk(report)).toBe(true);
    const entries = await all(t);
    expect(report.head).toEqual({ seq: entries.length, hash: entries.at(-1)!.hash });
    // The seed made one row of each kind verify replays, so "state: []" is a real comparison.
    const rows = await t.store.audit.stateRows();
    expect([rows.nominations.length, rows.apologies.length, rows.invitations.length, rows.meetingRecords.length, rows.cancellations.length].every((n) => n > 0)).toBe(true);
    expect(rows.attendance.some((a) => a.withdrawnAt !== null)).toBe(true);
    expect(rows.attendance.some((a) => a.forceConfirmation === 'confirmed')).toBe(true);
  });

  it('reads the log and the tables in one snapshot: a write landing meanwhile is not seen half-way', async () => {
    const { openStore } = await import('../scheduler/store/open-store.js');
    const writer = await openStore(t.options);
    try {
      const seen = await t.store.snapshot(async (r) => {
        const before = await r.audit.head();
        await writer.audit.append([{ at: AFTER_MAY, actor: 'system', action: 'meeting.planned', subject: {}, details: {} }]);
        return { before, after: await r.audit.head() };
      });
      expect(seen.after).toEqual(seen.before);
      expect((await t.store.audit.head()).seq).toBe(seen.before.seq + 1);
    } finally {
      await writer.close();
    }
  });

  it('fails at the first entry with the wrong key, and the bot then refuses to extend the chain', async () => {
    const wrong = auditKey('another-key-entirely-0123456789abcdef');
    expect((await verifyAuditLog(t.store, wrong)).broken).toMatchObject({ seq: 1, problem: expect.stringMatching(/AUDIT_KEY/) });
    const { openStore } = await import('../scheduler/store/open-store.js');
    const other = await openStore({ ...t.options, auditKey: wrong });
    try {
      await expect(other.audit.append([{ at: AFTER_MAY, actor: 'system', action: 'x', subject: {}, details: {} }])).rejects.toThrow(/does not verify with AUDIT_KEY/);
    } finally {
      await other.close();
    }
  });

  describe('with the guards dropped', () => {
    beforeEach(async () => {
      await t.raw(guardsOff(kind));
    });

    it('catches an edited entry', async () => {
      await t.raw(`update audit_log set actor = 'someone-else' where seq = 5`);
      expect((await verifyAuditLog(t.store, TEST_AUDIT_KEY)).broken).toMatchObject({ seq: 5, problem: expect.stringMatching(/altered/) });
    });

    it('catches edited details', async () => {
      const [entry] = await t.store.audit.page(4, 1);
      await t.raw(`update audit_details set details_json = ${q(JSON.stringify({ ...entry!.details, edited: true }))} where seq = 5`);
      expect((await verifyAuditLog(t.store, TEST_AUDIT_KEY)).broken).toMatchObject({ seq: 5, problem: expect.stringMatching(/details were altered/) });
    });

    it('catches a deleted entry', async () => {
      await t.raw('delete from audit_log where seq = 7');
      expect((await verifyAuditLog(t.store, TEST_AUDIT_KEY)).broken).toMatchObject({ seq: 8, problem: expect.stringMatching(/removed/) });
    });

    it('catches two swapped entries', async () => {
      await t.raw(`update audit_log set seq = 100000 where seq = 3;
        update audit_log set seq = 3 where seq = 6; update audit_log set seq = 6 where seq = 100000`);
      expect((await verifyAuditLog(t.store, TEST_AUDIT_KEY)).broken?.seq).toBe(3);
    });

    it('catches an entry whose subject no longer reads as JSON', async () => {
      await t.raw(`update audit_log set subject_json = 'not json' where seq = 6`);
      expect((await verifyAuditLog(t.store, TEST_AUDIT_KEY)).broken).toMatchObject({ seq: 6, problem: expect.stringMatching(/altered/) });
    });

    it('catches details erased with no erasure entry saying so', async () => {
      await t.raw('delete from audit_details where seq = 4');
      const report = await verifyAuditLog(t.store, TEST_AUDIT_KEY);
      expect(report.broken).toBeNull();
      expect(report.unrecordedErasures).toEqual([4]);
      expect(reportOk(report)).toBe(false);
    });

    it('a truncated log still chains, so only a head held outside catches it: and it does, saying what is missing', async () => {
      const { head } = await verifyAuditLog(t.store, TEST_AUDIT_KEY);
      await t.raw(`delete from audit_log where seq > ${head.seq - 3}`);
      const report = await verifyAuditLog(t.store, TEST_AUDIT_KEY, head);
      expect(report.headProblem).toBe(`the log ends at entry ${head.seq - 3}, before entry ${head.seq} of the head you hold: 3 entries are missing from the end`);
      expect(reportOk(report)).toBe(false);
    });

    it('an emptied log is caught by the head too', async () => {
      const { head } = await verifyAuditLog(t.store, TEST_AUDIT_KEY);
      await t.raw('delete from audit_details; delete from audit_log');
      expect((await verifyAuditLog(t.store, TEST_AUDIT_KEY, head)).headProblem).toMatch(new RegExp(`^the log ends at entry 0, before entry ${head.seq}`));
    });

    it('catches a log rewritten and re-chained with the project\'s own code but another key: at the first entry, and against the head', async () => {
      const { head } = await verifyAuditLog(t.store, TEST_AUDIT_KEY);
      const entries = await all(t);
      const forged = chain(auditKey('the-insider-has-no-key-so-guesses-one'), { seq: 0, hash: GENESIS_HASH }, entries.map((e, i) => ({ at: e.at, actor: i === 5 ? 'someone-else' : e.actor, action: e.action, subject: e.subject, details: e.details ?? {} })));
      await rewrite(t, forged);
      const report = await verifyAuditLog(t.store, TEST_AUDIT_KEY, head);
      expect(report.broken).toMatchObject({ seq: 1 });
      expect(reportOk(report)).toBe(false);
    });

    it('catches a log rewritten as unkeyed entries (the old SHA-256 chain) from the first entry', async () => {
      const entries = await all(t);
      let prev = GENESIS_HASH;
      const unkeyed = entries.map((e) => {
        const hash = legacyEntryHash(prev, e.seq, { ...e, details: e.details ?? {} });
        const out = { ...e, detailsHash: null, prevHash: prev, hash };
        prev = hash;
        return out;
      });
      await rewrite(t, unkeyed);
      const report = await verifyAuditLog(t.store, TEST_AUDIT_KEY);
      expect(report.broken).toMatchObject({ seq: entries.length, problem: expect.stringMatching(/unkeyed and no keyed entry seals them/) });
      // And the bot will not seal it for the forger: its next write is refused.
      await expect(t.store.audit.append([{ at: AFTER_MAY, actor: 'system', action: 'x', subject: {}, details: {} }])).rejects.toThrow(/unkeyed and unsealed/);
    });

    it('catches an unkeyed entry appended after keyed ones', async () => {
      const [last] = await t.store.audit.page((await t.store.audit.head()).seq - 1, 1);
      const seq = last!.seq + 1;
      const details = { forged: true };
      const hash = legacyEntryHash(last!.hash, seq, { at: AFTER_MAY, actor: 'x', action: 'meeting.cancelled', subject: {}, details });
      await t.raw(`insert into audit_log (seq, at, actor, action, subject_json, details_hash, prev_hash, hash) values (${seq}, '${AFTER_MAY}', 'x', 'meeting.cancelled', '{}', null, '${last!.hash}', '${hash}');
        insert into audit_details (seq, details_json) values (${seq}, '${JSON.stringify(details)}')`);
      expect((await verifyAuditLog(t.store, TEST_AUDIT_KEY)).broken).toMatchObject({ seq, problem: expect.stringMatching(/unkeyed but follows keyed/) });
    });
  });

  describe('the state tables against the chain (guards untouched: these tables are the app\'s to write)', () => {
    const problems = async () => (await verifyAuditLog(t.store, TEST_AUDIT_KEY)).state.map((p) => p.message);

    it('a decision-maker answer changed in the attendance table', async () => {
      await t.raw(`update attendance set attendees_json = replace(attendees_json, '"decisionMaker":"unknown"', '"decisionMaker":"yes"') where meeting_id = '${MAY}'`);
      expect(await problems()).toEqual([expect.stringMatching(new RegExp(`^attendance row ${MAY} / hampshire differs from its audit entry \\d+`))]);
    });

    it('a nomination swapped for someone else', async () => {
      await t.raw(`update nominations set aad_object_id = '${SAM.aadObjectId}', name = 'Sam Cole' where meeting_id = '${MAY}'`);
      expect(await problems()).toEqual([expect.stringMatching(/^nominations row .* differs from its audit entry/)]);
    });

    it('an attendance record inserted with no entry', async () => {
      await t.raw(`insert into attendance (meeting_id, force_id, outcome, attendees_json, source, force_confirmation, recorded_by, recorded_at, version)
        values ('${JUNE}', 'hampshire', 'apologies', '[]', 'chair', 'not-needed', 'x', '${AFTER_MAY}', 1)`);
      expect(await problems()).toEqual([`attendance row ${JUNE} / hampshire has no audit entry: it was written outside the bot`]);
    });

    it('a cancellation deleted, and the meeting put back to scheduled', async () => {
      await t.raw(`delete from cancellations where meeting_id = '${AUGUST}'; update meetings set status = 'scheduled' where id = '${AUGUST}'`);
      expect(await problems()).toEqual([expect.stringMatching(new RegExp(`^cancellations row ${AUGUST} recorded by audit entry \\d+ is missing from the table`))]);
    });

    it('a withdrawn record put back, and a meeting marked held behind its record\'s back', async () => {
      await t.raw(`update attendance set withdrawn_at = null where meeting_id = '${JULY}'; update meetings set status = 'held' where id = '${JUNE}'`);
      expect(await problems()).toEqual([
        expect.stringMatching(new RegExp(`^attendance row ${JULY} / hampshire differs`)),
        `meeting ${JUNE} is "held" in the meetings table, which its audited records do not support`,
      ]);
    });

    it('a past meeting deleted, another moved, and one invented', async () => {
      const [first, second] = (await t.store.meetings.list({ panelIds: ['leicestershire'] })).slice(0, 2);
      await t.raw(`delete from meetings where id = '${first!.id}';
        update meetings set start_utc = '2027-04-05T09:00:00.000Z' where id = '${second!.id}';
        insert into meetings (id, panel_id, occurrence, start_utc, end_utc, status, moved_from, moved_reason, extra, version, locked, created_at, updated_at)
          values ('leicestershire.fake', 'leicestershire', null, '${AFTER_MAY}', '${AFTER_MAY}', 'scheduled', null, null, 1, 1, 0, '${AFTER_MAY}', '${AFTER_MAY}')`);
      expect((await problems()).sort()).toEqual([
        expect.stringMatching(new RegExp(`^meetings row ${first!.id} recorded by audit entry \\d+ is missing from the table`)),
        expect.stringMatching(new RegExp(`^meetings row ${second!.id} differs from its audit entry`)),
        'meetings row leicestershire.fake has no audit entry: it was written outside the bot',
      ].sort());
    });

    it('who recorded attendance, and when, rewritten', async () => {
      await t.raw(`update attendance set recorded_by = '${GARETH.aadObjectId}' where meeting_id = '${MAY}' and force_id = 'hampshire';
        update nominations set nominated_at = '2027-04-01T00:00:00.000Z' where meeting_id = '${MAY}'`);
      expect((await problems()).sort()).toEqual([
        expect.stringMatching(new RegExp(`^attendance row ${MAY} / hampshire says it was written by ${GARETH.aadObjectId} at .*, but its audit entry \\d+ was by ${DAWN.aadObjectId}`)),
        expect.stringMatching(new RegExp(`^nominations row ${MAY} / hampshire says it was written by .* at 2027-04-01T00:00:00.000Z`)),
      ].sort());
    });

    it('a nominee renamed', async () => {
      await t.raw(`update nominations set name = 'Someone Else' where meeting_id = '${MAY}'`);
      expect(await problems()).toEqual([expect.stringMatching(/^nominations row .* differs from its audit entry .*"name":"Someone Else"/)]);
    });

    it('who confirmed a substitute, rewritten', async () => {
      await t.raw(`update attendance set confirmed_by = '${DAWN.aadObjectId}' where meeting_id = '${MAY}' and force_id = 'hampshire'`);
      expect(await problems()).toEqual([expect.stringMatching(/^attendance row .* differs from its audit entry/)]);
    });

    it('a force confirmation flipped to disputed', async () => {
      await t.raw(`update attendance set force_confirmation = 'disputed' where meeting_id = '${MAY}' and force_id = 'hampshire'`);
      expect(await problems()).toEqual([expect.stringMatching(/^attendance row .* differs/)]);
    });
  });
});
