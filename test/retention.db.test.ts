import { sql } from 'kysely';
import { beforeEach, describe, expect, it } from 'vitest';
import { reportLines, reportOk, verifyAuditLog } from '../scheduler/audit/verify.js';
import { checkpointWeek, queueWeeklyCheckpoint } from '../scheduler/audit/checkpoint.js';
import { redactNote } from '../scheduler/audit/redact-note.js';
import { sealLegacyChain } from '../scheduler/audit/seal.js';
import { GENESIS_HASH, legacyEntryHash, SEAL_ACTION } from '../scheduler/domain/audit-chain.js';
import { issueFeeds, resolveFeed } from '../scheduler/calendar/feed-tokens.js';
import type { OutboxMessage, PanelsConfig, Result } from '../scheduler/domain/types.js';
import { sendApologies } from '../scheduler/meetings/apologies.js';
import { cancelMeeting, rescheduleMeeting } from '../scheduler/meetings/cancellations.js';
import { inviteForce } from '../scheduler/meetings/invitations.js';
import { recordAttendance } from '../scheduler/meetings/record-attendance.js';
import { cardMessageId, queueCardUpdates } from '../scheduler/nominations/card-messages.js';
import { queueNominationWork } from '../scheduler/nominations/nomination-jobs.js';
import { nominate } from '../scheduler/nominations/nominations.js';
import { DEFAULT_FROM } from '../scheduler/planning/panels-config.js';
import { syncPanels } from '../scheduler/planning/sync.js';
import { openStore } from '../scheduler/store/open-store.js';
import { queueDigests } from '../scheduler/review/open-flags.js';
import { purge, retentionWindows } from '../scheduler/retention/purge.js';
import { heldWith, notHeld, present } from './support/answers.js';
import { partlyMigrated } from './support/partly-migrated.js';
import { sampleConfig } from './support/sample.js';
import { dumpStore } from './support/store-dump.js';
import { STORE_KINDS, TEST_AUDIT_KEY, useFreshStore } from './support/stores.js';
import { CHANNEL, DAWN, GARETH, NADIA, STRANGER, TENANT } from './support/teams-activities.js';

// Seven years back from 16 March 2026 (Europe/London) keeps meetings that ended on or after 16 March 2019.
const NOW = '2026-03-16T10:00:00.000Z';
const CUTOFF = '2019-03-16T00:00:00.000Z';
const OLD_SYNC = '2018-06-01T08:00:00.000Z'; // plans June 2018 to June 2019: both sides of the cutoff
const NEW_SYNC = '2025-09-01T08:00:00.000Z';

const HELD = 'southampton.2018-07-02';
const CANCELLED = 'southampton.2018-08-06';
const INVITED = 'southampton.2018-09-03';
const APOLOGISED = 'southampton.2018-10-01';
const NOT_HELD = 'southampton.2018-11-05';
const REDACTED = 'southampton.2018-12-03'; // cancelled, its note later redacted
const KEPT_OLD = 'southampton.2019-04-01'; // planned in 2018, ends after the cutoff
const KEPT_NEW = 'southampton.2025-10-06';
const KIERAN = 'ae97ba94-d0ed-482f-8f6d-05584ef8aa38'; // Portsmouth's chair in the sample
const PAT = { aadObjectId: '5a1b2c3d-0000-4000-8000-000000000002', name: 'Pat Lowe' };

/** The sample panels, their timetables running from 2018 (the sample's start from 2020). */
function panelsSince2018(): PanelsConfig {
  const config = sampleConfig();
  for (const p of config.panels) if (p.timetable.kind === 'rrule' && p.timetable.from === DEFAULT_FROM) p.timetable = { ...p.timetable, from: '2018-01-01' };
  return config;
}

const must = <T>(r: Result<T>): T => {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
};

const message = (id: string, meetingId: string, createdAt: string, kind: OutboxMessage['kind'] = 'notice'): OutboxMessage => ({
  id, kind, conversationId: 'a:personal', meetingId, forceId: 'hampshire', cardId: null, personAadObjectId: null,
  status: 'pending', attempts: 0, nextAttemptAt: createdAt, activityId: null, lastError: null, createdAt,
});

describe('the retention period', () => {
  it('counts seven calendar years back on the London calendar', () => {
    expect(retentionWindows(NOW, 7)).toMatchObject({ cutoff: CUTOFF, keptFrom: '2019-03-16', messages: '2026-02-14T10:00:00.000Z', people: '2026-02-14T10:00:00.000Z', tokens: '2025-03-16T10:00:00.000Z' });
    // Just before midnight UTC in summer time it is already the next day in London.
    expect(retentionWindows('2026-07-01T23:30:00.000Z', 7)).toMatchObject({ cutoff: '2019-07-01T23:00:00.000Z', keptFrom: '2019-07-02' });
    expect(retentionWindows('2028-02-29T12:00:00.000Z', 7).keptFrom).toBe('2021-02-28');
  });
});

describe.each(STORE_KINDS)('retention on %s', (kind) => {
  const t = useFreshStore(kind);
  const s = () => t.store;
  const run = (dryRun = false, now = NOW) => purge(s(), { now, retentionYears: 7, dryRun });
  const dump = () => dumpStore(t.options);

  beforeEach(async () => {
    await syncPanels(s(), panelsSince2018(), OLD_SYNC);
    await seedOldMeetings();
    await syncPanels(s(), panelsSince2018(), NEW_SYNC);
    await nameAndRecord(KEPT_NEW, '2025-09-20T08:00:00.000Z', '2025-10-06T12:00:00.000Z');
    await seedOutbox();
    await seedPeopleAndTokens();
  });

  async function nameAndRecord(meetingId: string, namedAt: string, recordedAt: string) {
    const m = (await s().meetings.get(meetingId))!;
    must(await nominate(s(), { meetingId, forceId: 'hampshire', meetingVersion: m.version, nominationVersion: 0, attendee: NADIA, role: 'DI', decisionMaker: true }, GARETH.aadObjectId, namedAt));
    must(await recordAttendance(s(), meetingId, heldWith({ hampshire: [present(NADIA)] }), DAWN.aadObjectId, recordedAt));
  }

  async function seedOldMeetings() {
    await nameAndRecord(HELD, '2018-06-20T08:00:00.000Z', '2018-07-02T12:00:00.000Z');
    must(await cancelMeeting(s(), { meetingId: CANCELLED, reason: 'chair unavailable', note: 'Chair on leave' }, DAWN.aadObjectId, '2018-07-20T08:00:00.000Z'));
    must(await inviteForce(s(), INVITED, 'leics', DAWN.aadObjectId, '2018-08-01T08:00:00.000Z'));
    must(await sendApologies(s(), APOLOGISED, 'hampshire', null, GARETH, '2018-09-20T08:00:00.000Z'));
    must(await recordAttendance(s(), NOT_HELD, notHeld('not quorate'), DAWN.aadObjectId, '2018-11-05T12:00:00.000Z'));
    must(await cancelMeeting(s(), { meetingId: REDACTED, reason: 'other', note: 'Chair unwell' }, DAWN.aadObjectId, '2018-11-20T08:00:00.000Z'));
    must(await redactNote(s(), { meetingId: REDACTED, why: 'it named a family' }, 'operator', '2018-11-21T08:00:00.000Z'));
    const kept = (await s().meetings.get(KEPT_OLD))!;
    must(await nominate(s(), { meetingId: KEPT_OLD, forceId: 'hampshire', meetingVersion: kept.version, nominationVersion: 0, attendee: NADIA, role: 'DI', decisionMaker: true }, GARETH.aadObjectId, '2019-03-20T08:00:00.000Z'));
  }

  async function seedOutbox() {
    // Messages about no meeting (digests, checkpoints) carry an empty meeting id; one about a meeting since unplanned, its id.
    await s().outbox.enqueue([
      message('of-a-removed-meeting', HELD, '2018-06-25T08:00:00.000Z'),
      message('sent-long-ago', '', '2025-12-31T08:00:00.000Z', 'digest'),
      message('sent-lately', '', '2026-03-09T08:00:00.000Z', 'digest'),
      message('failed-long-ago', '', '2026-01-04T08:00:00.000Z', 'audit-checkpoint'),
      message('skipped-long-ago', 'southampton.unplanned', '2025-11-30T08:00:00.000Z'),
      message('still-pending', '', '2025-10-01T08:00:00.000Z', 'digest'),
      message('of-a-kept-meeting', KEPT_NEW, '2025-09-25T08:00:00.000Z', 'card'),
    ]);
    await s().outbox.markSent('of-a-kept-meeting', 'act-0', '2025-09-25T08:00:00.000Z');
    await s().outbox.markSent('sent-long-ago', 'act-1', '2026-01-01T08:00:00.000Z');
    await s().outbox.markSent('sent-lately', 'act-2', '2026-03-10T08:00:00.000Z');
    await s().outbox.markFinal('failed-long-ago', 'failed', 'gone', '2026-01-05T08:00:00.000Z');
    await s().outbox.markFinal('skipped-long-ago', 'skipped', 'not needed', '2025-12-01T08:00:00.000Z');
  }

  async function seedPeopleAndTokens() {
    await s().teams.rememberPerson(STRANGER.aadObjectId, '29:stranger', STRANGER.name, '2025-12-01T08:00:00.000Z');
    await s().teams.rememberPerson(GARETH.aadObjectId, '29:gareth', GARETH.name, OLD_SYNC);
    await s().teams.rememberPerson(PAT.aadObjectId, '29:pat', PAT.name, '2026-03-01T08:00:00.000Z');
    const token = (hash: string, createdAt: string) => ({ hash, owner: GARETH.aadObjectId, scope: { kind: 'panel' as const, id: 'southampton' }, createdAt, revokedAt: null });
    await s().feeds.save(token('never-used', OLD_SYNC));
    await s().feeds.save(token('used-lately', OLD_SYNC));
    await s().feeds.touch('used-lately', '2025-06-01T08:00:00.000Z', '2025-05-31T08:00:00.000Z');
    await s().feeds.save(token('used-long-ago', '2020-01-01T08:00:00.000Z'));
    await s().feeds.touch('used-long-ago', '2024-12-01T08:00:00.000Z', '2024-11-30T08:00:00.000Z');
    await s().feeds.save(token('issued-lately', '2026-01-01T08:00:00.000Z'));
  }

  const allEntries = () => s().audit.page(0, 1_000_000);
  const expectVerified = async () => {
    const report = await verifyAuditLog(s(), TEST_AUDIT_KEY);
    expect(reportOk(report), reportLines(report).join('\n')).toBe(true);
    return report;
  };

  it('removes old meetings with every row about them, and keeps newer ones with theirs', async () => {
    const before = await s().meetings.list();
    const old = before.filter((m) => m.end < CUTOFF).map((m) => m.id).sort();
    expect(old).toEqual(expect.arrayContaining([HELD, CANCELLED, INVITED, APOLOGISED, NOT_HELD, REDACTED]));
    const r = await run();
    expect(r.meetings).toEqual(old);
    expect(r.byPanel.reduce((n, p) => n + p.count, 0)).toBe(old.length);
    expect(r.byPanel.find((p) => p.panelId === 'southampton')!.count).toBe(before.filter((m) => m.panelId === 'southampton' && m.end < CUTOFF).length);
    expect(r.counts).toMatchObject({ meetings: old.length, nominations: 1, attendance: 1, meetingRecords: 2, cancellations: 2, apologies: 1, invitations: 1 });
    expect((await s().meetings.list()).map((m) => m.id)).toEqual(before.filter((m) => m.end >= CUTOFF).map((m) => m.id));
    const rows = await s().audit.stateRows();
    const meetingsOf = (list: Array<{ meetingId: string }>) => [...new Set(list.map((x) => x.meetingId))].sort();
    expect(meetingsOf(rows.nominations)).toEqual([KEPT_OLD, KEPT_NEW]);
    expect(meetingsOf(rows.attendance)).toEqual([KEPT_NEW]);
    expect(meetingsOf(rows.meetingRecords)).toEqual([KEPT_NEW]);
    expect([rows.cancellations, rows.apologies, rows.invitations]).toEqual([[], [], []]);
  });

  it('removes finished messages about no kept meeting after 30 days, strangers after 30 days and idle calendar links after a year', async () => {
    const r = await run();
    expect((await s().outbox.list()).map((m) => m.id).sort()).toEqual(['of-a-kept-meeting', 'sent-lately', 'still-pending']);
    expect(r.counts.outbox).toBe(4);
    expect([...(await s().teams.teamsUserIds([STRANGER.aadObjectId, GARETH.aadObjectId, PAT.aadObjectId])).keys()].sort()).toEqual([GARETH.aadObjectId, PAT.aadObjectId].sort());
    expect(r.counts.peopleSeen).toBe(1);
    const tokens = await Promise.all(['never-used', 'used-lately', 'used-long-ago', 'issued-lately'].map((h) => s().feeds.byHash(h)));
    expect(tokens.map((x) => x?.hash ?? null)).toEqual([null, 'used-lately', null, 'issued-lately']);
    expect(r.counts.feedTokens).toBe(2);
  });

  it("keeps a kept meeting's messages however old: its posted card is still updated, and its jobs queue nothing again", async () => {
    // Over 30 days before the purge: the cards (and a reminder) posted, one meeting moved to after the purge,
    // another cancelled with a note. After the purge the note is redacted, and the moved meeting comes round again.
    await s().teams.saveConversation({ id: CHANNEL, tenantId: TENANT, serviceUrl: 'http://127.0.0.1:9/', kind: 'channel', teamId: 'team', userAadObjectId: null, botId: '28:bot' }, NEW_SYNC);
    await s().teams.link('force', 'hampshire', CHANNEL, GARETH.aadObjectId, NEW_SYNC);
    const moved = 'southampton.2026-02-02';
    const cancelled = 'portsmouth.2026-01-29';
    const card = cardMessageId(moved, 'hampshire');
    const queued = await queueNominationWork(s(), '2026-01-28T09:00:00.000Z');
    expect(queued).toEqual(expect.arrayContaining([card, `reminder:${moved}:hampshire`, cardMessageId(cancelled, 'hampshire')]));
    for (const id of queued) await s().outbox.markSent(id, `act:${id}`, '2026-01-28T09:05:00.000Z');
    must(await rescheduleMeeting(s(), moved, { date: '2026-04-20', time: '10:00' }, undefined, DAWN.aadObjectId, '2026-01-29T09:00:00.000Z'));
    must(await cancelMeeting(s(), { meetingId: cancelled, reason: 'other', note: 'Chair unwell' }, KIERAN, '2026-01-28T10:00:00.000Z'));
    for (const m of await s().outbox.list({ status: 'pending' })) if (m.kind === 'card-update') await s().outbox.markSent(m.id, null, '2026-01-30T09:05:00.000Z');
    const before = (await s().outbox.list()).filter((m) => m.meetingId === moved || m.meetingId === cancelled).map((m) => m.id).sort();

    await run();
    expect((await s().outbox.list()).filter((m) => m.meetingId === moved || m.meetingId === cancelled).map((m) => m.id).sort()).toEqual(before);
    // The redaction finds the posted card and queues its update in place.
    must(await redactNote(s(), { meetingId: cancelled, why: 'it named a family' }, 'operator', NOW));
    expect(await s().outbox.get(`card-update:${cancelled}:hampshire:note-redacted`)).toMatchObject({ status: 'pending', cardId: cardMessageId(cancelled, 'hampshire') });
    await s().transaction((tx) => queueCardUpdates(tx, moved, 'later', NOW));
    expect(await s().outbox.get(`card-update:${moved}:hampshire:later`)).toMatchObject({ status: 'pending', cardId: card });
    // Within the moved meeting's lead time, its card and reminder are queued already: no second card, no second reminder.
    const later = await queueNominationWork(s(), '2026-04-15T09:00:00.000Z');
    expect(later.filter((id) => id.includes(moved))).toEqual([]);
  });

  it("removes a digest or weekly checkpoint 30 days after it went, and the jobs never queue it again", async () => {
    await s().teams.saveConversation({ id: CHANNEL, tenantId: TENANT, serviceUrl: 'http://127.0.0.1:9/', kind: 'channel', teamId: 'team', userAadObjectId: null, botId: '28:bot' }, NEW_SYNC);
    await s().teams.link('national', '', CHANNEL, 'operator', NEW_SYNC);
    const MONDAY = '2026-01-05T09:00:00.000Z';
    const old = [...(await queueDigests(s(), MONDAY, async () => CHANNEL)), ...(await queueWeeklyCheckpoint(s(), MONDAY))];
    expect(old).toEqual(expect.arrayContaining(['digest:hampshire:2026-01-05', expect.stringMatching(/^audit-checkpoint:2026-W02:/)]));
    for (const id of old) await s().outbox.markSent(id, `act:${id}`, '2026-01-05T09:05:00.000Z');
    const r = await run();
    expect(await Promise.all(old.map((id) => s().outbox.get(id)))).toEqual(old.map(() => null));
    expect(r.counts.outbox).toBeGreaterThanOrEqual(old.length);
    // The jobs queue only today's digest and this week's checkpoint: NOW is a Monday in week 12.
    expect(checkpointWeek(NOW)).toBe('2026-W12');
    const again = [...(await queueDigests(s(), NOW, async () => CHANNEL)), ...(await queueWeeklyCheckpoint(s(), NOW))];
    expect(again.length).toBeGreaterThan(0);
    expect(again.filter((id) => old.includes(id) || id.includes('2026-01-05') || id.includes('2026-W02'))).toEqual([]);
    // Later in the week, nothing more: the week's checkpoint is queued already, and digests go on Mondays only.
    expect([...(await queueDigests(s(), '2026-03-18T09:00:00.000Z', async () => CHANNEL)), ...(await queueWeeklyCheckpoint(s(), '2026-03-18T09:00:00.000Z'))]).toEqual([]);
  });

  it('keeps a calendar link whose feed was fetched within the year', async () => {
    const { offers } = must(await issueFeeds(s(), GARETH.aadObjectId, '2024-01-10T08:00:00.000Z', { only: 'portsmouth', max: 1 }));
    const unused = must(await issueFeeds(s(), GARETH.aadObjectId, '2024-01-10T08:00:00.000Z', { only: 'southampton', max: 1 })).offers;
    expect(await resolveFeed(s(), offers[0]!.token, '2025-11-01T08:00:00.000Z')).not.toBeNull();
    await run();
    expect(await resolveFeed(s(), offers[0]!.token, NOW)).not.toBeNull();
    expect(await resolveFeed(s(), unused[0]!.token, NOW)).toBeNull();
  });

  it('erases the audit details about what went, records that in one entry, and the log still verifies', async () => {
    const before = await allEntries();
    const r = await run();
    const after = await allEntries();
    expect(after.slice(0, -1).map((e) => [e.seq, e.hash])).toEqual(before.map((e) => [e.seq, e.hash]));
    const last = after.at(-1)!;
    expect(last).toMatchObject({ seq: before.length + 1, action: 'retention.purged', actor: 'system', subject: {}, details: { cutoff: CUTOFF, meetings: r.meetings, erased: r.erased, counts: r.counts } });
    expect(r.entrySeq).toBe(last.seq);
    const gone = new Set(r.meetings);
    const erasedBefore = new Set(before.filter((e) => e.details === null).map((e) => e.seq));
    const erased = after.filter((e) => e.details === null && !erasedBefore.has(e.seq)).map((e) => e.seq);
    expect(erased).toEqual(r.erased);
    expect(r.counts.auditDetails).toBe(erased.length);
    for (const e of before.filter((x) => !erasedBefore.has(x.seq))) {
      const about = e.subject.meetingId;
      const why = `entry ${e.seq} ${e.action} ${about ?? ''}`;
      // A removed meeting's entries go whatever their age, a kept meeting's stay, any other goes once older than the
      // cutoff; an erasure entry keeps its details (verify reads in them what it erased).
      const kept = e.action === 'cancellation.note-redacted' || !!(about && (await s().meetings.get(about)));
      const goes = !kept && (e.at < CUTOFF || (about !== undefined && gone.has(about)));
      if (goes) expect(erased, why).toContain(e.seq);
      else expect(erased, why).not.toContain(e.seq);
    }
    // An entry written in 2018 about a meeting that is kept keeps its details.
    expect(after.find((e) => e.action === 'meeting.planned' && e.subject.meetingId === KEPT_OLD)!.details).not.toBeNull();
    const report = await expectVerified();
    expect(report.erased).toBe(erasedBefore.size + erased.length);
  });

  it('removes nothing and writes no entry when run again at the same instant', async () => {
    await run();
    const head = await s().audit.head();
    const stored = await dump();
    const again = await run();
    expect(again).toMatchObject({ meetings: [], erased: [], entrySeq: null });
    expect(Object.values(again.counts).every((n) => n === 0)).toBe(true);
    expect(await s().audit.head()).toEqual(head);
    expect(await dump()).toEqual(stored);
    await expectVerified();
  });

  it('on a dry run, reports exactly what a real run then removes, and changes nothing', async () => {
    const stored = await dump();
    const dry = await run(true);
    expect(await dump()).toEqual(stored);
    expect(dry.dryRun).toBe(true);
    expect(dry.entrySeq).toBeNull();
    const real = await run(false);
    expect({ ...dry, dryRun: false, entrySeq: real.entrySeq }).toEqual(real);
    expect(real.counts.meetings).toBeGreaterThan(0);
  });

  it('removes nothing at all when everything is within its period', async () => {
    const stored = await dump();
    const r = await run(false, '2019-01-01T12:00:00.000Z');
    expect(r.entrySeq).toBeNull();
    expect(await dump()).toEqual(stored);
  });
});

describe.each(STORE_KINDS)('retention over a log begun before the chain was keyed, on %s', (kind) => {
  it("erases the old unkeyed entries' details but never the seal's, and the log still verifies", async () => {
    const old = await partlyMigrated(kind, '006_bot_state');
    try {
      const entries: Array<{ at: string; actor: string; action: string; subject: Record<string, string>; details: Record<string, unknown> }> = [
        { at: '2018-05-01T08:00:00.000Z', actor: 'system', action: 'force.added', subject: { forceId: 'hampshire' }, details: { fields: ['name'] } },
        { at: '2018-05-02T08:00:00.000Z', actor: GARETH.aadObjectId, action: 'conversation.added', subject: { conversationId: 'a:personal' }, details: { kind: 'personal' } },
      ];
      let head = { seq: 0, hash: GENESIS_HASH };
      for (const e of entries) {
        const hash = legacyEntryHash(head.hash, head.seq + 1, e);
        await sql`insert into audit_log (seq, at, actor, action, subject_json, details_json, prev_hash, hash)
          values (${head.seq + 1}, ${e.at}, ${e.actor}, ${e.action}, ${JSON.stringify(e.subject)}, ${JSON.stringify(e.details)}, ${head.hash}, ${hash})`.execute(old.db);
        head = { seq: head.seq + 1, hash };
      }
      await old.db.destroy();
      const store = await openStore(old.options);
      try {
        const sealed = must(await sealLegacyChain(store, TEST_AUDIT_KEY, head, 'cli:operator', '2018-06-01T08:00:00.000Z'));
        const r = await purge(store, { now: NOW, retentionYears: 7, dryRun: false });
        expect(r.erased).toEqual([1, 2]);
        const after = await store.audit.page(0, 10);
        expect(after.find((e) => e.seq === sealed.seq)).toMatchObject({ action: SEAL_ACTION, details: { legacyEntries: 2, legacyHead: head.hash } });
        const report = await verifyAuditLog(store, TEST_AUDIT_KEY);
        expect(reportOk(report), reportLines(report).join('\n')).toBe(true);
      } finally {
        await store.close();
      }
    } finally {
      await old.dispose();
    }
  });
});
