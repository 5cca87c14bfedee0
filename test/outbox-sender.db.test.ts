import { beforeEach, describe, expect, it, vi } from 'vitest';
import { drainOutbox, MAX_ATTEMPTS } from '../bot/outbox-sender.js';
import type { Conversation, OutboxMessage } from '../scheduler/domain/types.js';
import { silentLog } from '../scheduler/log.js';
import { MessengerUnavailable, SendError, type Messenger } from '../scheduler/messenger.js';
import { STORE_KINDS, useFreshStore } from './support/stores.js';

const START = Date.parse('2027-04-19T08:00:00.000Z');
const CHANNEL: Conversation = { id: '19:c@thread.tacv2', tenantId: 't', serviceUrl: 'http://127.0.0.1:9/', kind: 'channel', teamId: 'team', userAadObjectId: null, botId: '28:bot' };
const card = (meetingId: string): OutboxMessage => ({
  id: `card:${meetingId}:hampshire`, kind: 'card', conversationId: CHANNEL.id, meetingId, forceId: 'hampshire', cardId: null,
  personAadObjectId: null, status: 'pending', attempts: 0, nextAttemptAt: new Date(START).toISOString(), activityId: null, lastError: null,
  createdAt: new Date(START).toISOString(),
});

/** A messenger that answers from a script of outcomes, and a clock that only moves when the sender sleeps. */
function scripted(outcomes: Array<SendError | 'ok'>) {
  let clock = START;
  const sends: number[] = [];
  const messenger: Messenger = {
    async send() {
      sends.push(clock);
      const next = outcomes.shift() ?? 'ok';
      if (next !== 'ok') throw next;
      return `activity-${sends.length}`;
    },
    async update() {},
  };
  return { messenger, sends, clock: () => clock, sleep: async (ms: number) => void (clock += ms) };
}

describe.each(STORE_KINDS)('the outbox sender on %s', (kind) => {
  const t = useFreshStore(kind, { syncedAt: '2027-04-01T08:00:00.000Z' });
  beforeEach(async () => {
    await t.store.teams.saveConversation(CHANNEL, '2027-04-01T08:00:00.000Z');
  });

  it('retries 429 after its Retry-After and 5xx with backoff, then sends once', async () => {
    const s = scripted([new SendError('throttled', 429, 30_000), new SendError('boom', 500, null), 'ok']);
    await t.store.outbox.enqueue([card('southampton.2027-05-03')]);
    await drainOutbox({ store: t.store, messenger: s.messenger, log: silentLog, clock: s.clock, sleep: s.sleep, monotonic: s.clock, random: () => 0 }, 600_000);
    expect(s.sends).toHaveLength(3);
    expect(s.sends[1]! - s.sends[0]!).toBeGreaterThanOrEqual(30_000);
    expect(s.sends[2]! - s.sends[1]!).toBeGreaterThanOrEqual(1_000);
    expect(await t.store.outbox.get('card:southampton.2027-05-03:hampshire')).toMatchObject({ status: 'sent', attempts: 3, activityId: 'activity-3', lastError: expect.stringMatching(/^500/) });
  });

  it('gives up at once on 403 and leaves a visible failure', async () => {
    const s = scripted([new SendError('MessageWritesBlocked', 403, null)]);
    await t.store.outbox.enqueue([card('southampton.2027-05-03')]);
    await drainOutbox({ store: t.store, messenger: s.messenger, log: silentLog, clock: s.clock, sleep: s.sleep, monotonic: s.clock }, 600_000);
    expect(s.sends).toHaveLength(1);
    expect(await t.store.outbox.get('card:southampton.2027-05-03:hampshire')).toMatchObject({ status: 'failed', lastError: expect.stringMatching(/^403/) });
  });

  it('gives up after a bounded number of tries', async () => {
    const s = scripted(Array.from({ length: 50 }, () => new SendError('down', 503, null)));
    await t.store.outbox.enqueue([card('southampton.2027-05-03')]);
    await drainOutbox({ store: t.store, messenger: s.messenger, log: silentLog, clock: s.clock, sleep: s.sleep, monotonic: s.clock, random: () => 0 }, 3_600_000);
    expect(s.sends).toHaveLength(MAX_ATTEMPTS);
    expect((await t.store.outbox.get('card:southampton.2027-05-03:hampshire'))?.status).toBe('failed');
  });

  it('counts no try when the Teams side could not be loaded, and keeps the message for later', async () => {
    const s = scripted([]);
    let asked = 0;
    const broken: Messenger = {
      async send() {
        asked += 1;
        throw new MessengerUnavailable(new Error('Cannot find module botbuilder'));
      },
      async update() {},
    };
    await t.store.outbox.enqueue([card('southampton.2027-05-03')]);
    await drainOutbox({ store: t.store, messenger: broken, log: silentLog, clock: s.clock, sleep: s.sleep, monotonic: s.clock, random: () => 0 });
    expect(asked).toBe(1);
    expect(await t.store.outbox.get('card:southampton.2027-05-03:hampshire')).toMatchObject({
      status: 'pending', attempts: 0, activityId: null, lastError: expect.stringContaining('could not be loaded'),
    });
    const due = Date.parse((await t.store.outbox.get('card:southampton.2027-05-03:hampshire'))!.nextAttemptAt);
    expect(due - s.clock()).toBe(30_000);
    // Once it loads, the message goes as if nothing had happened.
    await drainOutbox({ store: t.store, messenger: s.messenger, log: silentLog, clock: s.clock, sleep: s.sleep, monotonic: s.clock, random: () => 0 }, 60_000);
    expect(await t.store.outbox.get('card:southampton.2027-05-03:hampshire')).toMatchObject({ status: 'sent', attempts: 1 });
  });

  it('skips a card whose meeting was cancelled before it went out', async () => {
    const s = scripted([]);
    const m = (await t.store.meetings.get('southampton.2027-05-03'))!;
    await t.store.meetings.update({ ...m, status: 'cancelled' }, '2027-04-02T00:00:00.000Z');
    await t.store.outbox.enqueue([card('southampton.2027-05-03')]);
    await drainOutbox({ store: t.store, messenger: s.messenger, log: silentLog, clock: s.clock, sleep: s.sleep, monotonic: s.clock });
    expect(s.sends).toEqual([]);
    expect((await t.store.outbox.get('card:southampton.2027-05-03:hampshire'))?.status).toBe('skipped');
  });

  it('never hands one message to two senders at once', async () => {
    await t.store.outbox.enqueue([card('southampton.2027-05-03'), card('portsmouth.2027-04-29')]);
    const now = new Date(START).toISOString();
    const lease = new Date(START + 60_000).toISOString();
    const [a, b] = await Promise.all([t.store.outbox.claimDue(now, lease, 1, 'a'), t.store.outbox.claimDue(now, lease, 1, 'b')]);
    // Never the same message twice; a sender that lost the race may take nothing, and the next claim takes what is left.
    const rest = await t.store.outbox.claimDue(now, lease, 5, 'a');
    expect([...a, ...b, ...rest].map((m) => m.id).sort()).toEqual(['card:portsmouth.2027-04-29:hampshire', 'card:southampton.2027-05-03:hampshire']);
    const mine = [...a, ...rest][0]!; // leased to 'a' either way
    expect(await t.store.outbox.claimDue(now, lease, 5, 'c')).toEqual([]);
    const late = new Date(START + 61_000).toISOString();
    const taken = await t.store.outbox.claimDue(late, new Date(START + 120_000).toISOString(), 5, 'c');
    expect(taken).toHaveLength(2);
    // The first sender's lease ran out and was taken: it must not send.
    expect(await t.store.outbox.renewLease(mine.id, 'a', late, lease)).toBe(false);
    expect(await t.store.outbox.renewLease(mine.id, 'c', late, lease)).toBe(true);
    // Nor, stopping, give a message back once another sender holds it: that would clear the holder's lease.
    const [at, until] = [new Date(START + 200_000).toISOString(), new Date(START + 300_000).toISOString()];
    const held = await t.store.outbox.claimDue(at, until, 5, 'e');
    expect(held).toHaveLength(2);
    await t.store.outbox.defer(held[0]!.id, at, 'returned to the outbox when the sender stopped', 'a');
    expect(await t.store.outbox.claimDue(at, until, 5, 'f')).toEqual([]);
    expect((await t.store.outbox.get(held[0]!.id))?.lastError).not.toBe('returned to the outbox when the sender stopped');
    // Its holder can.
    await t.store.outbox.defer(held[0]!.id, at, 'returned to the outbox when the sender stopped', 'e');
    expect((await t.store.outbox.claimDue(at, until, 5, 'f')).map((m) => m.id)).toEqual([held[0]!.id]);
  });
});

describe.each(STORE_KINDS)('a card update delivered on %s', (kind) => {
  const t = useFreshStore(kind, { syncedAt: '2027-04-01T08:00:00.000Z' });

  it('reads its conversation, its card and its meeting\'s outbox one at a time, and finds the card it updates in that outbox', async () => {
    const meetingId = 'southampton.2027-05-03';
    await t.store.teams.saveConversation(CHANNEL, '2027-04-01T08:00:00.000Z');
    await t.store.outbox.enqueue([card(meetingId)]);
    await t.store.outbox.markSent(card(meetingId).id, 'activity-posted', new Date(START).toISOString());
    await t.store.outbox.enqueue([{ ...card(meetingId), id: `card-update:${meetingId}:hampshire:x`, kind: 'card-update', cardId: card(meetingId).id }]);
    // What the delivery asks the store about this message, and when each answer comes back.
    const events: string[] = [];
    const trace = <T extends object>(repo: T, method: keyof T & string, label: string) => {
      const original = (repo[method] as (...a: unknown[]) => Promise<unknown>).bind(repo);
      vi.spyOn(repo, method as never).mockImplementation((async (...args: unknown[]) => {
        const mine = JSON.stringify(args).includes(meetingId) || JSON.stringify(args).includes(CHANNEL.id);
        if (mine) events.push(`ask ${label}`);
        try {
          return await original(...args);
        } finally {
          if (mine) events.push(`answer ${label}`);
        }
      }) as never);
    };
    trace(t.store.cards, 'read', 'card');
    trace(t.store.outbox, 'list', 'outbox');
    trace(t.store.outbox, 'get', 'card by id');
    trace(t.store.teams, 'getConversation', 'conversation');
    const updated: string[] = [];
    const messenger: Messenger = { send: async () => 'unused', update: async (_c, activityId) => void updated.push(activityId) };
    await drainOutbox({ store: t.store, messenger, log: silentLog, clock: () => START, sleep: async () => undefined, monotonic: () => START }, 0);
    vi.restoreAllMocks();
    expect(updated).toEqual(['activity-posted']);
    expect((await t.store.outbox.get(`card-update:${meetingId}:hampshire:x`))?.status).toBe('sent');
    // Three reads one after another (a delivery holds one of the pool's connections at a time), the card it updates
    // found in its meeting's outbox rather than read again by its id.
    expect(events).toEqual(['ask conversation', 'answer conversation', 'ask card', 'answer card', 'ask outbox', 'answer outbox']);
  });
});
