import { describe, expect, it } from 'vitest';
import { drainOutbox } from '../bot/outbox-sender.js';
import { checkpointHead, checkpointWeek, queueCheckpoint, queueWeeklyCheckpoint } from '../scheduler/audit/checkpoint.js';
import { reportOk, verifyAuditLog } from '../scheduler/audit/verify.js';
import type { Conversation } from '../scheduler/domain/types.js';
import { silentLog } from '../scheduler/log.js';
import type { Messenger, OutgoingMessage } from '../scheduler/messenger.js';
import { linkNational } from '../scheduler/people/presence.js';
import type { Store } from '../scheduler/store/store.js';
import { STORE_KINDS, TEST_AUDIT_KEY, useFreshStore } from './support/stores.js';
import { cardProblems } from './support/validate-card.js';

const ALEX = '6513270e-269e-4d37-b2a7-4de452e6b438'; // national lead
const GARETH = '36f675cc-81e7-4ef5-a8e2-5d940ed90475'; // Hampshire Prevent lead: not national
const SYNCED = '2027-04-01T08:00:00.000Z';
const MONDAY = '2027-04-19T07:00:00.000Z'; // Mon 19 Apr 2027, 08:00 BST: the week turns
const conversation = (id: string, kind: Conversation['kind'], user: string | null = null): Conversation => ({
  id, tenantId: 'tenant-a', serviceUrl: 'http://127.0.0.1:9/', kind, teamId: kind === 'channel' ? 'team' : null, userAadObjectId: user, botId: '28:bot-id',
});
const NATIONAL = conversation('19:national-leads@thread.tacv2', 'channel');
const ALEX_CHAT = conversation(`a:personal-${ALEX}`, 'personal', ALEX);

const checkpoints = async (store: Store) => (await store.outbox.list()).filter((m) => m.kind === 'audit-checkpoint');
const noted = (store: Store, at: string) => store.audit.append([{ at, actor: 'system', action: 'test.noted', subject: {}, details: {} }]);

describe('the week a weekly checkpoint belongs to (Europe/London, turning on Monday at 08:00)', () => {
  it.each([
    ['2027-04-19T06:59:59.000Z', '2027-W15'], // Mon 07:59 BST: still the week before
    ['2027-04-19T07:00:00.000Z', '2027-W16'],
    ['2027-04-25T22:30:00.000Z', '2027-W16'], // Sun 23:30 BST
    ['2027-01-04T08:00:00.000Z', '2027-W01'], // Mon 08:00 GMT
    ['2027-01-04T07:59:00.000Z', '2026-W53'], // the ISO year 2026 has 53 weeks
  ])('%s is in %s', (now, week) => {
    expect(checkpointWeek(now)).toBe(week);
  });
});

describe.each(STORE_KINDS)('the audit checkpoint on %s', (kind) => {
  const t = useFreshStore(kind, { syncedAt: SYNCED });

  it('queues one checkpoint a week to the linked national conversation: two passes in a week are one message, the next week another', async () => {
    await t.store.teams.saveConversation(NATIONAL, SYNCED);
    await t.store.teams.saveConversation(ALEX_CHAT, SYNCED);
    expect(await linkNational(t.store, NATIONAL, ALEX, SYNCED)).toEqual({ ok: true, value: undefined });
    const first = await t.store.audit.head();

    const queued = await queueWeeklyCheckpoint(t.store, '2027-04-19T07:30:00.000Z');
    expect(queued).toHaveLength(1);
    expect(checkpointHead(queued[0]!)).toEqual(first);
    // The log grows during the week; the week's checkpoint stays the one already queued.
    await noted(t.store, '2027-04-20T09:00:00.000Z');
    for (const now of ['2027-04-21T12:00:00.000Z', '2027-04-25T22:30:00.000Z', '2027-04-26T06:59:00.000Z']) {
      expect(await queueWeeklyCheckpoint(t.store, now), now).toEqual([]);
    }
    expect(await checkpoints(t.store)).toEqual([expect.objectContaining({ kind: 'audit-checkpoint', conversationId: NATIONAL.id, personAadObjectId: null })]);

    const next = await t.store.audit.head();
    const nextWeek = await queueWeeklyCheckpoint(t.store, '2027-04-26T07:00:00.000Z');
    expect(nextWeek).toHaveLength(1);
    expect(checkpointHead(nextWeek[0]!)).toEqual(next);
    expect(next.seq).toBeGreaterThan(first.seq);
    expect(await checkpoints(t.store)).toHaveLength(2);
    const recorded = (await t.store.audit.page(0, 1000)).filter((e) => e.action === 'audit.checkpoint');
    expect(recorded.map((e) => e.details)).toEqual([
      { seq: first.seq, hash: first.hash, onDemand: false, conversationIds: [NATIONAL.id] },
      { seq: next.seq, hash: next.hash, onDemand: false, conversationIds: [NATIONAL.id] },
    ]);
  });

  it('goes to each national lead\'s personal chat when none is linked; with neither, queues nothing and names `link national`', async () => {
    const none = await queueCheckpoint(t.store, MONDAY, { onDemand: false });
    expect(none).toMatchObject({ ok: false, error: { code: 'NO_CONVERSATION', message: expect.stringContaining('`link national`') } });
    expect(await queueCheckpoint(t.store, MONDAY, { onDemand: true })).toMatchObject({ ok: false, error: { code: 'NO_CONVERSATION' } });
    expect(await t.store.outbox.list()).toEqual([]);
    expect(await t.store.review.readSetting(`audit-checkpoint:${checkpointWeek(MONDAY)}`)).toBeNull();

    await t.store.teams.saveConversation(ALEX_CHAT, MONDAY);
    const personal = await queueCheckpoint(t.store, MONDAY, { onDemand: false });
    expect(personal).toMatchObject({ ok: true, value: { to: 'personal', recipients: [{ conversationId: ALEX_CHAT.id, person: { aadObjectId: ALEX, name: 'Alex Morgan' } }] } });
    expect(await checkpoints(t.store)).toEqual([expect.objectContaining({ conversationId: ALEX_CHAT.id, personAadObjectId: ALEX })]);

    // Linked later in the week: the national conversation gets the week's checkpoint (the same head), Alex's chat no more.
    await t.store.teams.saveConversation(NATIONAL, MONDAY);
    await linkNational(t.store, NATIONAL, ALEX, '2027-04-20T09:00:00.000Z');
    const linked = await queueWeeklyCheckpoint(t.store, '2027-04-20T09:00:00.000Z');
    if (!personal.ok) throw new Error('the personal checkpoint was not queued');
    expect(linked.map(checkpointHead)).toEqual([{ seq: personal.value.seq, hash: personal.value.hash }]);
    expect((await checkpoints(t.store)).map((m) => m.conversationId)).toEqual([ALEX_CHAT.id, NATIONAL.id]);
    expect(await queueWeeklyCheckpoint(t.store, '2027-04-22T09:00:00.000Z')).toEqual([]);

    // The bot removed from the linked conversation: back to the personal chats.
    await t.store.teams.removeConversation(NATIONAL.id, '2027-04-27T07:00:00.000Z', 'team');
    expect((await queueWeeklyCheckpoint(t.store, '2027-04-27T07:00:00.000Z')).map((id) => id.endsWith(`:${ALEX_CHAT.id}`))).toEqual([true]);
  });

  it('queues a new checkpoint on every demand, with the head as it is then', async () => {
    await t.store.teams.saveConversation(NATIONAL, SYNCED);
    await linkNational(t.store, NATIONAL, ALEX, SYNCED);
    const one = await queueCheckpoint(t.store, '2027-04-21T10:00:00.000Z', { onDemand: true });
    const two = await queueCheckpoint(t.store, '2027-04-21T10:05:00.000Z', { onDemand: true });
    if (!one.ok || !two.ok) throw new Error('a checkpoint on demand was not queued');
    expect([one.value.queued.length, two.value.queued.length]).toEqual([1, 1]);
    // The first demand was recorded in the log, so the second names a later entry.
    expect(two.value.seq).toBe(one.value.seq + 1);
    expect(await checkpoints(t.store)).toHaveLength(2);
  });

  it('refuses `link national` to anyone but a national lead, and in a personal chat', async () => {
    await t.store.teams.saveConversation(NATIONAL, SYNCED);
    expect(await linkNational(t.store, NATIONAL, GARETH, SYNCED)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await linkNational(t.store, ALEX_CHAT, ALEX, SYNCED)).toMatchObject({ ok: false, error: { code: 'PERSONAL' } });
    expect(await t.store.teams.linkedConversation('national', '')).toBeNull();
    expect((await t.store.audit.page(0, 1000)).filter((e) => e.action === 'national.linked')).toEqual([]);
    expect(await linkNational(t.store, conversation('19:group@thread.v2', 'groupChat'), ALEX, SYNCED)).toMatchObject({ ok: true });
    expect(await t.store.teams.linkedConversation('national', '')).toBe('19:group@thread.v2');
  });

  it('sends a valid card whose head `audit verify --head` accepts', async () => {
    await t.store.teams.saveConversation(NATIONAL, SYNCED);
    await linkNational(t.store, NATIONAL, ALEX, SYNCED);
    await queueWeeklyCheckpoint(t.store, MONDAY);
    const sent: OutgoingMessage[] = [];
    const messenger: Messenger = { send: async (_c, m) => (sent.push(m), 'activity-1'), update: async () => undefined };
    await drainOutbox({ store: t.store, messenger, log: silentLog, clock: () => Date.parse(MONDAY) });
    expect(sent).toHaveLength(1);
    const [m] = await checkpoints(t.store);
    expect(m).toMatchObject({ status: 'sent', activityId: 'activity-1' });
    const head = checkpointHead(m!.id)!;
    const json = JSON.stringify(sent[0]!.card);
    expect(cardProblems(sent[0]!.card)).toEqual([]);
    expect(json).toContain('Audit log checkpoint');
    expect(json).toContain(`panel-bot audit verify --head ${head.seq}:${head.hash}`);
    expect(json).toContain('Monday 19 April 2027, 08:00');
    expect(reportOk(await verifyAuditLog(t.store, TEST_AUDIT_KEY, head))).toBe(true);
  });
});
