import { performance } from 'node:perf_hooks';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { drainOutbox, Turns, type Pacers } from '../bot/outbox-sender.js';
import { silentLog } from '../scheduler/log.js';
import { Pacer, type Messenger } from '../scheduler/messenger.js';
import { queueNominationWork } from '../scheduler/nomination-jobs.js';
import { FANOUT_NOW, seedFanout } from './support/fanout.js';
import { freshStore, STORE_KINDS, type TestStore } from './support/stores.js';

// Teams' limits scaled down to a tenth of a second, so a real-time drain of some 70 messages takes a few seconds.
const WINDOW_MS = 100;
const PER_CONVERSATION = 2;
// Fewer than the sender's lanes, so lanes that each took the same free slot would show.
const PER_TENANT = 3;
// The pacer widens each window by this much and the check below does not, so the timing of a busy machine (a send
// arriving a little after the pacer recorded it) cannot fail the test, while two lanes taking one slot can.
const MARGIN_MS = 20;
const FORCES = 8;

interface Send {
  conversationId: string;
  at: number;
  what: string;
}

/** A messenger that records each send's conversation, time and what it was, takes a few milliseconds, and counts overlaps. */
function recordingMessenger() {
  const sends: Send[] = [];
  let inFlight = 0;
  let mostInFlight = 0;
  const messenger: Messenger = {
    async send(conversation, message, threadOf) {
      inFlight += 1;
      mostInFlight = Math.max(mostInFlight, inFlight);
      const meeting = /"meetingId":"([^"]+)"/.exec(JSON.stringify(message.card ?? {}))?.[1];
      sends.push({ conversationId: conversation.id, at: performance.now(), what: meeting ? `card ${meeting}` : `reply to ${threadOf ?? 'none'}` });
      await new Promise((r) => setTimeout(r, 3));
      inFlight -= 1;
      return `activity-${sends.length}`;
    },
    async update() {},
  };
  return { messenger, sends, mostInFlight: () => mostInFlight };
}

/** The most sends inside any window of `ms` milliseconds. */
function busiest(times: number[], ms: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i]! - sorted[j]! >= ms) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

describe.each(STORE_KINDS)('the outbox sender serving many Teams channels at once on %s', (kind) => {
  let t: TestStore;
  beforeEach(async () => {
    t = await freshStore(kind);
    await seedFanout(t.store, 'http://127.0.0.1:9/', FORCES, 30);
  });
  afterEach(async () => {
    await t.dispose();
  });

  it('overlaps sends to different conversations, keeps each conversation in order, and stays under both limits', async () => {
    const queued = await queueNominationWork(t.store, FANOUT_NOW, { leadWorkingDays: 22, reminderWorkingDays: 22, escalationWorkingDays: 0 });
    expect(queued.filter((id) => id.startsWith('reminder:')).length).toBeGreaterThan(0);
    const r = recordingMessenger();
    const pacers: Pacers = {
      conversation: new Pacer([{ count: PER_CONVERSATION, ms: WINDOW_MS }], MARGIN_MS),
      tenant: new Pacer([{ count: PER_TENANT, ms: WINDOW_MS }], MARGIN_MS),
      turns: new Turns(),
    };
    const t0 = performance.now();
    await drainOutbox({ store: t.store, messenger: r.messenger, log: silentLog, clock: () => Date.parse(FANOUT_NOW) + performance.now() - t0 }, 0, pacers);

    // Everything went, once.
    const outbox = await t.store.outbox.list();
    expect(outbox.filter((m) => m.status !== 'sent').map((m) => [m.id, m.status, m.lastError])).toEqual([]);
    expect(r.sends).toHaveLength(queued.length);

    // Under both limits, measured where the sends arrive.
    const check = WINDOW_MS;
    expect(busiest(r.sends.map((s) => s.at), check)).toBeLessThanOrEqual(PER_TENANT);
    const byConversation = new Map<string, Send[]>();
    for (const s of r.sends) byConversation.set(s.conversationId, [...(byConversation.get(s.conversationId) ?? []), s]);
    expect(byConversation.size).toBe(FORCES);
    for (const sends of byConversation.values()) expect(busiest(sends.map((s) => s.at), check)).toBeLessThanOrEqual(PER_CONVERSATION);

    // Lanes overlapped, up to the tenant's burst.
    expect(r.mostInFlight()).toBeGreaterThan(1);

    // Each reminder went after its card, as a reply to it.
    const activityOf = new Map(outbox.filter((m) => m.kind === 'card').map((m) => [`${m.conversationId} ${m.meetingId}`, m.activityId]));
    for (const m of outbox.filter((x) => x.kind === 'reminder')) {
      const cardActivity = activityOf.get(`${m.conversationId} ${m.meetingId}`);
      expect(cardActivity).toBeTruthy();
      const sends = byConversation.get(m.conversationId)!;
      const cardAt = sends.findIndex((s) => s.what === `card ${m.meetingId}`);
      const replyAt = sends.findIndex((s) => s.what === `reply to ${cardActivity}`);
      expect(cardAt).toBeGreaterThanOrEqual(0);
      expect(replyAt).toBeGreaterThan(cardAt);
    }
  }, 60_000);
});
