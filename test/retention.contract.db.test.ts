import { beforeEach, describe, expect, it } from 'vitest';
import type { NewAuditEntry } from '../scheduler/domain/audit-chain.js';
import type { Force, Meeting, OutboxMessage, Panel } from '../scheduler/domain/types.js';
import type { FeedToken } from '../scheduler/store/store.js';
import { STORE_KINDS, useFreshStore } from './support/stores.js';

const AT = '2020-01-10T09:00:00.000Z';
const lead = '11111111-1111-4111-8111-111111111111';
const stranger = '33333333-3333-4333-8333-333333333333';

const force: Force = { id: 'cambs', name: 'Cambs police', preventLeads: [{ aadObjectId: lead, name: 'Priya Shah' }], deputies: [], teamsChannelId: null, retired: false };
const panel = (id: string): Panel => ({
  id, name: `${id} panel`, localAuthority: `${id} council`, forces: ['cambs'], chairs: [],
  timetable: { kind: 'rrule', rrule: 'FREQ=MONTHLY;BYDAY=2TU', start: '10:00', minutes: 120, from: '2020-01-01' }, teamsChannelId: null, retired: false,
});
/** A two-hour meeting `n` days after 1 January 2020 (UTC noon). */
const meeting = (panelId: string, n: number): Meeting => {
  const start = new Date(Date.UTC(2020, 0, 1 + n, 10)).toISOString();
  return { id: `${panelId}.${n}`, panelId, occurrence: start.slice(0, 10), start, end: new Date(Date.parse(start) + 2 * 3600_000).toISOString(), status: 'scheduled', moved: null, extra: false, version: 1, locked: false };
};
const message = (id: string, meetingId: string, createdAt: string): OutboxMessage => ({
  id, kind: 'notice', conversationId: 'c', meetingId, forceId: 'cambs', cardId: null, personAadObjectId: null, status: 'pending', attempts: 0, nextAttemptAt: createdAt, activityId: null, lastError: null, createdAt,
});
const token = (hash: string, createdAt: string): FeedToken => ({ hash, owner: lead, scope: { kind: 'panel', id: 'a' }, createdAt, revokedAt: null });

describe.each(STORE_KINDS)('retention repository contract on %s', (kind) => {
  const t = useFreshStore(kind);
  const r = () => t.store.retention;
  beforeEach(async () => {
    await t.store.directory.saveForce(force, AT);
    await t.store.directory.savePanel(panel('a'), AT);
    await t.store.directory.savePanel(panel('b'), AT);
  });

  it('finds the meetings that ended before an instant, not those ending at or after it', async () => {
    await t.store.meetings.insertMany([meeting('a', 0), meeting('a', 1), meeting('b', 0)], AT);
    const firstEnd = meeting('a', 0).end;
    expect(await r().endedBefore(firstEnd)).toEqual([]);
    expect((await r().endedBefore(new Date(Date.parse(firstEnd) + 1).toISOString())).sort()).toEqual(['a.0', 'b.0']);
  });

  it('deletes meetings with every row about them, in batches, and returns only what it deleted', async () => {
    const many = Array.from({ length: 950 }, (_, n) => meeting(n % 2 ? 'a' : 'b', n));
    await t.store.meetings.insertMany(many, AT);
    await seedRowsAbout('a.1');
    await seedRowsAbout('a.901');
    await t.store.outbox.enqueue([message('m-of-b', 'b.0', AT)]);
    const ids = many.map((m) => m.id);
    const { meetings, rows } = await r().deleteMeetings([...ids, 'no-such-meeting']);
    expect(meetings).toHaveLength(950);
    expect(meetings.find((m) => m.id === 'a.901')).toEqual({ id: 'a.901', panelId: 'a' });
    expect(rows).toEqual({ nominations: 2, attendance: 2, meetingRecords: 2, cancellations: 2, apologies: 2, invitations: 2, outbox: 3 });
    expect(await t.store.meetings.list()).toEqual([]);
    expect(await t.store.outbox.list()).toEqual([]);
    expect(await r().deleteMeetings(ids)).toEqual({ meetings: [], rows: { nominations: 0, attendance: 0, meetingRecords: 0, cancellations: 0, apologies: 0, invitations: 0, outbox: 0 } });
  });

  async function seedRowsAbout(meetingId: string) {
    const c = t.store.chairs;
    await t.store.nominations.save({ meetingId, forceId: 'cambs', aadObjectId: lead, name: 'Priya Shah', role: 'DI', decisionMaker: true, nominatedBy: lead, nominatedAt: AT, version: 1 });
    await c.saveAttendance({ meetingId, forceId: 'cambs', outcome: 'apologies', attendees: [], source: 'chair', forceConfirmation: 'not-needed', confirmedBy: null, confirmedAt: null, recordedBy: lead, recordedAt: AT, version: 1 });
    await c.saveMeetingRecord({ meetingId, outcome: 'held', notHeldReason: null, agencies: {}, source: 'chair', recordedBy: lead, recordedAt: AT });
    await c.saveCancellation({ meetingId, reason: 'other', note: 'x', cancelledBy: lead, cancelledAt: AT });
    await c.saveApology({ meetingId, forceId: 'cambs', sentBy: { aadObjectId: lead, name: 'Priya Shah' }, substitute: null, sentAt: AT });
    await c.saveInvitation({ meetingId, forceId: 'other', invitedBy: lead, invitedAt: AT });
    await t.store.outbox.enqueue([message(`m-of-${meetingId}`, meetingId, AT)]);
  }

  it('finds audit entries about meetings, except those of the actions given, and those about meetings no longer stored', async () => {
    await t.store.meetings.insertMany([meeting('a', 0)], AT);
    const entry = (at: string, action: string, meetingId?: string): NewAuditEntry => ({ at, actor: 'system', action, subject: meetingId ? { meetingId } : {}, details: { n: 1 } });
    await t.store.audit.append([
      entry(AT, 'meeting.planned', 'a.0'), // 1
      entry(AT, 'cancellation.note-redacted', 'a.0'), // 2
      entry(AT, 'meeting.unplanned', 'gone.1'), // 3: its meeting is no longer stored
      entry('2021-01-01T00:00:00.000Z', 'meeting.unplanned', 'gone.2'), // 4: likewise, but newer
      entry(AT, 'sync'), // 5: about no meeting
    ]);
    expect(await r().meetingEntries(['a.0'], ['cancellation.note-redacted'])).toEqual([1]);
    expect(await r().meetingEntries(['a.0'], [])).toEqual([1, 2]);
    expect(await r().meetingEntries([], [])).toEqual([]);
    expect(await r().orphanedEntries('2020-06-01T00:00:00.000Z', [])).toEqual([3]);
    expect(await r().orphanedEntries('2022-01-01T00:00:00.000Z', ['meeting.unplanned'])).toEqual([]);
    await t.store.audit.erase([3]);
    expect(await r().orphanedEntries('2022-01-01T00:00:00.000Z', [])).toEqual([4]);
  });

  it('deletes finished messages about no stored meeting by when they finished, never pending ones', async () => {
    await t.store.meetings.insertMany([meeting('a', 0)], AT);
    // '' is no meeting (a digest, a checkpoint); 'gone.1' a meeting no longer stored (unplanned).
    await t.store.outbox.enqueue([
      message('sent', '', AT), message('failed', 'gone.1', AT), message('skipped', '', AT), message('sent-late', '', AT), message('pending', '', AT),
      message('of-a-stored-meeting', 'a.0', AT), message('failed-of-a-stored-meeting', 'a.0', AT),
    ]);
    await t.store.outbox.markSent('sent', null, '2020-02-01T00:00:00.000Z');
    await t.store.outbox.markFinal('failed', 'failed', 'x', '2020-02-01T00:00:00.000Z');
    await t.store.outbox.markFinal('skipped', 'skipped', 'x', '2020-02-01T00:00:00.000Z');
    await t.store.outbox.markSent('sent-late', null, '2020-03-01T00:00:00.000Z');
    await t.store.outbox.markSent('of-a-stored-meeting', 'act', '2020-01-15T00:00:00.000Z');
    await t.store.outbox.markFinal('failed-of-a-stored-meeting', 'failed', 'x', '2020-01-15T00:00:00.000Z');
    expect(await r().deleteFinishedMessages('2020-02-01T00:00:00.000Z')).toBe(0);
    expect(await r().deleteFinishedMessages('2020-02-15T00:00:00.000Z')).toBe(3);
    expect((await t.store.outbox.list()).map((m) => m.id).sort()).toEqual(['failed-of-a-stored-meeting', 'of-a-stored-meeting', 'pending', 'sent-late']);
    // A stored meeting's messages go with it, however old.
    expect(await r().deleteFinishedMessages('2030-01-01T00:00:00.000Z')).toBe(1);
    expect((await r().deleteMeetings(['a.0'])).rows.outbox).toBe(2);
    expect((await t.store.outbox.list()).map((m) => m.id)).toEqual(['pending']);
  });

  it('forgets people with no role last seen before an instant', async () => {
    await t.store.teams.rememberPerson(lead, '29:lead', 'Priya Shah', AT);
    await t.store.teams.rememberPerson(stranger, '29:stranger', 'Someone', AT);
    expect(await r().deletePeopleWithoutRoles(AT)).toBe(0);
    expect(await r().deletePeopleWithoutRoles('2020-02-01T00:00:00.000Z')).toBe(1);
    expect([...(await t.store.teams.teamsUserIds([lead, stranger])).keys()]).toEqual([lead]);
  });

  it('keeps someone named for a meeting not yet over, and forgets a stranger\'s personal chat with their Teams id', async () => {
    const nominee = '44444444-4444-4444-8444-444444444444';
    const later = { ...meeting('a', 60), id: 'a.later' };
    await t.store.meetings.insertMany([later], AT);
    await t.store.nominations.save({ meetingId: later.id, forceId: 'cambs', aadObjectId: nominee, name: 'Nadia Rahman', role: 'DI', decisionMaker: true, nominatedBy: lead, nominatedAt: AT, version: 1 });
    await t.store.teams.rememberPerson(nominee, '29:nominee', 'Nadia Rahman', AT);
    await t.store.teams.rememberPerson(stranger, '29:stranger', 'Someone', AT);
    const chat = (id: string, user: string) => ({ id, tenantId: 't', serviceUrl: 'http://127.0.0.1:1/', kind: 'personal' as const, teamId: null, userAadObjectId: user, botId: 'b' });
    await t.store.teams.saveConversation(chat('a:stranger', stranger), AT);
    await t.store.teams.saveConversation(chat('a:nominee', nominee), AT);
    expect(await r().deletePeopleWithoutRoles('2020-02-01T00:00:00.000Z')).toBe(1);
    expect([...(await t.store.teams.teamsUserIds([nominee, stranger])).keys()]).toEqual([nominee]);
    expect(await t.store.teams.personalConversation(stranger)).toBeNull();
    expect((await t.store.teams.personalConversation(nominee))?.id).toBe('a:nominee');
    // Once the meeting is over (and 30 days pass), the nominee is forgotten too.
    expect(await r().deletePeopleWithoutRoles(new Date(Date.parse(later.end) + 1).toISOString())).toBe(1);
  });

  it('deletes calendar links neither issued nor used since an instant', async () => {
    await t.store.feeds.save(token('unused', AT));
    await t.store.feeds.save(token('used', AT));
    await t.store.feeds.save(token('new', '2021-01-01T00:00:00.000Z'));
    await t.store.feeds.touch('used', '2021-01-01T00:00:00.000Z', '2020-12-31T00:00:00.000Z');
    expect(await r().deleteIdleFeedTokens('2020-06-01T00:00:00.000Z')).toBe(1);
    expect(await t.store.feeds.byHash('unused')).toBeNull();
    expect(await r().deleteIdleFeedTokens('2021-01-01T00:00:00.000Z')).toBe(0);
    expect(await r().deleteIdleFeedTokens('2021-01-02T00:00:00.000Z')).toBe(2);
  });
});

describe.each(STORE_KINDS)('feed token use on %s', (kind) => {
  const t = useFreshStore(kind);

  it('records a use only when none is recorded since the instant given', async () => {
    await t.store.feeds.save(token('h', AT));
    expect(await t.store.feeds.touch('h', '2020-02-01T10:00:00.000Z', '2020-01-31T10:00:00.000Z')).toBe(true);
    expect(await t.store.feeds.touch('h', '2020-02-01T20:00:00.000Z', '2020-01-31T20:00:00.000Z')).toBe(false);
    expect(await t.store.feeds.touch('h', '2020-02-02T10:00:00.000Z', '2020-02-01T10:00:00.000Z')).toBe(false);
    expect(await t.store.feeds.touch('h', '2020-02-02T10:00:01.000Z', '2020-02-01T10:00:01.000Z')).toBe(true);
    expect(await t.store.feeds.touch('unknown', AT, AT)).toBe(false);
    // The use is what keeps the link: unused since 1 February 2020 it goes, used since then it stays.
    expect(await t.store.retention.deleteIdleFeedTokens('2020-02-02T10:00:01.000Z')).toBe(0);
    expect(await t.store.retention.deleteIdleFeedTokens('2020-02-02T10:00:02.000Z')).toBe(1);
  });
});
