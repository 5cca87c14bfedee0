import type pg from 'pg';
import { beforeEach, describe, expect, it } from 'vitest';
import { reportOk, verifyAuditLog } from '../scheduler/audit/verify.js';
import type { OutboxMessage } from '../scheduler/domain/types.js';
import { sendApologies } from '../scheduler/meetings/apologies.js';
import { recordAttendance } from '../scheduler/meetings/record-attendance.js';
import { cardMessageId } from '../scheduler/nominations/card-messages.js';
import { nominate } from '../scheduler/nominations/nominations.js';
import { openStore } from '../scheduler/store/open-store.js';
import type { Store } from '../scheduler/store/store.js';
import { heldWith, present } from './support/answers.js';
import { sentStatements } from './support/pg-statements.js';
import { STORE_KINDS, TEST_AUDIT_KEY, useFreshStore } from './support/stores.js';
import { DAWN, GARETH, NADIA } from './support/teams-activities.js';

// Issue 22, item 2: one round trip per press on PostgreSQL. A nomination's statements are counted against the
// ceiling reached, and its transaction takes no lock shared by every instance: its audit entry is queued (with a MAC
// under the key) and chained by the store just after the commit, in a transaction of its own. These count the locking
// path (a nomination given no reads); a press written as its reads showed it is one statement
// (nomination-as-read.db.test.ts).

const MAY = 'southampton.2027-05-03';
const NOW = '2027-04-20T08:00:00.000Z';
const SAM = { aadObjectId: '5a1b2c3d-0000-4000-8000-000000000001', name: 'Sam Cole' };
/** The statements of a nomination that replaces someone, on a posted card, with both people reachable: 24 before issue 22, 17 after its first round. */
const NOMINATION_CEILING = 12;

const press = (attendee: { aadObjectId: string; name: string }, nominationVersion: number, meetingId = MAY) =>
  ({ meetingId, forceId: 'hampshire', meetingVersion: 1, nominationVersion, attendee, role: 'DI', decisionMaker: true });

const message = (id: string, meetingId: string, extra: Partial<OutboxMessage> = {}): OutboxMessage => ({
  id, kind: 'card', conversationId: '19:hampshire@thread.tacv2', meetingId, forceId: 'hampshire', cardId: null, personAadObjectId: null,
  status: 'sent', attempts: 1, nextAttemptAt: NOW, activityId: 'activity-1', lastError: null, createdAt: NOW, ...extra,
});

/** Every statement sent while `fn` runs, a list per transaction (per connection outside one). */
async function statements(fn: () => Promise<unknown>): Promise<string[][]> {
  const seen = new Map<pg.Client, string[]>();
  for (const { client, text } of await sentStatements(fn)) seen.set(client, [...(seen.get(client) ?? []), text]);
  // A pooled connection may serve the use case and then the chainer: each transaction (begin to commit) on its own.
  return [...seen.values()].flatMap((list) => {
    const out: string[][] = [[]];
    for (const q of list) {
      out.at(-1)!.push(q);
      if (q === 'commit' || q === 'rollback') out.push([]);
    }
    return out.filter((t) => t.length);
  });
}

/** The use case's own transaction: the connection that wrote `table`; throws when none did. */
function transactionWriting(transactions: string[][], table: string): string[] {
  const mine = transactions.filter((c) => c.some((s) => s.includes(`insert into "${table}"`) || s.includes(`update "${table}"`)));
  expect(mine, `one connection wrote ${table}`).toHaveLength(1);
  return mine[0]!;
}

/** Queued, not chained, and no lock: the entry goes into audit_pending just before the commit. */
function queuedWithoutLock(tx: string[]): void {
  expect(tx.filter((s) => /pg_advisory/.test(s)), 'no advisory lock in the use case\'s transaction').toEqual([]);
  expect(tx.filter((s) => /"audit_log"/.test(s) && !/^select/.test(s)), 'nothing written to the chain itself').toEqual([]);
  expect(tx.slice(-2)[0]).toMatch(/^insert into "audit_pending"/);
  expect(tx.at(-1)).toBe('commit');
}

describe('a press on PostgreSQL', () => {
  const t = useFreshStore('postgres', { syncedAt: '2027-04-01T08:00:00.000Z' });

  beforeEach(async () => {
    await t.store.outbox.enqueue([message(cardMessageId(MAY, 'hampshire'), MAY)]);
    for (const p of [NADIA, SAM]) {
      await t.store.teams.saveConversation({ id: `a:${p.name}`, tenantId: 't', serviceUrl: 'https://smba.example', kind: 'personal', teamId: null, userAadObjectId: p.aadObjectId, botId: 'b' }, NOW);
    }
  });

  it(`names someone in at most ${NOMINATION_CEILING} statements, and replaces them in as few`, async () => {
    const first = transactionWriting(await statements(async () => expect((await nominate(t.store, press(NADIA, 0), GARETH.aadObjectId, NOW)).ok).toBe(true)), 'nominations');
    const second = transactionWriting(await statements(async () => expect((await nominate(t.store, press(SAM, 1), GARETH.aadObjectId, NOW)).ok).toBe(true)), 'nominations');
    expect(first.length).toBeLessThanOrEqual(NOMINATION_CEILING);
    expect(second.length).toBeLessThanOrEqual(NOMINATION_CEILING);
    // The store checked its key against the chain's tail once, when it first queued: a press reads nothing of the chain.
    expect([...first, ...second].filter((s) => /"audit_log"/.test(s))).toEqual([]);
    // What the replacement queued, in one insert: the card's update, Nadia's mention reworded, Sam's mention, both notes.
    expect(second.filter((s) => /^insert into "outbox"/.test(s))).toHaveLength(1);
    expect((await t.store.outbox.list({ meetingId: MAY })).map((m) => m.kind).sort()).toEqual(
      ['card', 'card-update', 'card-update', 'mention', 'mention', 'mention-update', 'notice', 'notice', 'replaced-notice'],
    );
  });

  it('takes no lock every instance shares: its entry is queued, and chained after the commit in a transaction of its own', async () => {
    const clients = await statements(async () => {
      await nominate(t.store, press(NADIA, 0), GARETH.aadObjectId, NOW);
      await t.store.audit.settle();
    });
    const tx = transactionWriting(clients, 'nominations');
    queuedWithoutLock(tx);
    // The meeting's lock (re-planning leaves it alone) rode along the nomination's own upsert.
    expect(tx.filter((s) => /^update "meetings"/.test(s))).toEqual([]);
    expect((await t.store.meetings.get(MAY))?.locked).toBe(true);
    // The chainer: the lock, the queue, the tail, the chain's rows in one statement, the queue emptied, the commit.
    const chainer = transactionWriting(clients, 'audit_log');
    expect(chainer.findIndex((s) => /pg_advisory_xact_lock/.test(s))).toBeGreaterThanOrEqual(0);
    const inserted = chainer.findIndex((s) => /^with "chained" as \(insert into "audit_log" .*insert into "audit_details"/s.test(s));
    expect(inserted).toBeGreaterThan(0);
    expect(inserted).toBeLessThan(chainer.findIndex((s) => /^delete from "audit_pending"/.test(s)));
    expect(chainer.filter((s) => /^delete from "audit_pending"/.test(s))).toHaveLength(1);
    const [entry] = (await t.store.audit.page(0, 10_000)).filter((e) => e.action === 'nomination.recorded');
    expect(entry).toMatchObject({ actor: GARETH.aadObjectId, subject: { meetingId: MAY, forceId: 'hampshire' }, details: { attendee: { name: NADIA.name }, version: 1 } });
    expect(await t.store.audit.waiting()).toEqual([]);
    expect(reportOk(await verifyAuditLog(t.store, TEST_AUDIT_KEY))).toBe(true);
  });

  it('queues apologies and the chair\'s attendance record the same way', async () => {
    queuedWithoutLock(transactionWriting(await statements(() => sendApologies(t.store, MAY, 'hampshire', SAM, GARETH, NOW)), 'apologies'));
    const channel = '19:hampshire@thread.tacv2';
    await t.store.teams.saveConversation({ id: channel, tenantId: 't', serviceUrl: 'https://smba.example', kind: 'channel', teamId: 'team', userAadObjectId: null, botId: 'b' }, NOW);
    await t.store.teams.link('force', 'hampshire', channel, GARETH.aadObjectId, NOW);
    // Held, with a substitute for Hampshire (so its channel is asked to confirm): two entries, queued together.
    const answers = heldWith({ hampshire: [present(NADIA), present(SAM, 'unknown')] }, { 'local-authority': 2 });
    const attendance = transactionWriting(
      await statements(async () => expect(await recordAttendance(t.store, MAY, answers, DAWN.aadObjectId, '2027-05-04T12:00:00.000Z')).toMatchObject({ ok: true })),
      'meeting_records',
    );
    expect(attendance.filter((s) => /^insert into "outbox"/.test(s)), 'the confirm card was queued').toHaveLength(1);
    queuedWithoutLock(attendance);
    expect((await t.store.audit.page(0, 10_000)).map((e) => e.action).slice(-3)).toEqual(['apologies.sent', 'meeting.held', 'attendance.recorded']);
    expect(reportOk(await verifyAuditLog(t.store, TEST_AUDIT_KEY))).toBe(true);
  });

  it('chains nominations pressed at once on two instances over one database into one log that verifies', async () => {
    const other = await openStore(t.options);
    try {
      const meetings = (await t.store.meetings.list({ panelIds: ['southampton', 'portsmouth'], from: NOW })).slice(0, 8);
      expect(meetings.length).toBe(8);
      const nominateTwice = async (store: Store, meetingId: string) => {
        expect((await nominate(store, press(NADIA, 0, meetingId), GARETH.aadObjectId, NOW)).ok).toBe(true);
        expect((await nominate(store, press(SAM, 1, meetingId), GARETH.aadObjectId, NOW)).ok).toBe(true);
      };
      await Promise.all(meetings.map((m, i) => nominateTwice(i % 2 ? other : t.store, m.id)));
      const entries = await t.store.audit.page(0, 1000);
      expect(entries.filter((e) => e.action.startsWith('nomination.'))).toHaveLength(16);
      expect(entries.map((e) => e.seq)).toEqual(entries.map((_, i) => i + 1));
      expect(reportOk(await verifyAuditLog(t.store, TEST_AUDIT_KEY))).toBe(true);
    } finally {
      await other.close();
    }
  });
});

describe.each(STORE_KINDS)('what a nomination writes with, on %s', (kind) => {
  const t = useFreshStore(kind, { syncedAt: '2027-04-01T08:00:00.000Z' });

  it('queues a batch in one go and answers the ids it added, in the order given, each once', async () => {
    await t.store.outbox.enqueue([message('b', MAY)]);
    expect(await t.store.outbox.enqueue([message('c', MAY), message('b', MAY), message('a', MAY), message('c', MAY, { kind: 'mention' })])).toEqual(['c', 'a']);
    expect((await t.store.outbox.list({ meetingId: MAY })).map((m) => [m.id, m.kind])).toEqual([['a', 'card'], ['b', 'card'], ['c', 'card']]);
    expect(await t.store.outbox.enqueue([])).toEqual([]);
  });

  it('marks the meeting locked with the nomination only when asked, and leaves a locked one as it was', async () => {
    const n = { meetingId: MAY, forceId: 'hampshire', aadObjectId: NADIA.aadObjectId, name: NADIA.name, role: 'DI', decisionMaker: true, nominatedBy: GARETH.aadObjectId, nominatedAt: NOW, version: 1 };
    await t.store.nominations.save(n);
    expect((await t.store.meetings.get(MAY))?.locked).toBe(false);
    await t.store.transaction((tx) => tx.nominations.save({ ...n, version: 2 }, { lockMeetingAt: NOW }));
    expect((await t.store.meetings.get(MAY))?.locked).toBe(true);
    expect((await t.store.nominations.get(MAY, 'hampshire'))?.version).toBe(2);
  });

  it('reads several people\'s personal chats at once: the latest of each, none for someone it never spoke with', async () => {
    const chat = (id: string, aad: string) => ({ id, tenantId: 't', serviceUrl: 'https://smba.example', kind: 'personal' as const, teamId: null, userAadObjectId: aad, botId: 'b' });
    await t.store.teams.saveConversation(chat('a:old', NADIA.aadObjectId), '2027-04-01T08:00:00.000Z');
    await t.store.teams.saveConversation(chat('a:new', NADIA.aadObjectId), '2027-04-02T08:00:00.000Z');
    const chats = await t.store.teams.personalConversations([NADIA.aadObjectId, SAM.aadObjectId]);
    expect([...chats].map(([aad, c]) => [aad, c.id])).toEqual([[NADIA.aadObjectId, 'a:new']]);
    expect(await t.store.teams.personalConversations([])).toEqual(new Map());
  });
});
