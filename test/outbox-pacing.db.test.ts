import { describe, expect, it } from 'vitest';
import { drainOutbox, LANES, SENDERS_WINDOW_MS, Turns, type Pacers } from '../bot/outbox-sender.js';
import { silentLog } from '../scheduler/log.js';
import { Pacer, type Messenger } from '../scheduler/messenger.js';
import { queueNominationWork } from '../scheduler/nominations/nomination-jobs.js';
import { FakeConnector } from './support/fake-connector.js';
import { connectorMessenger, FANOUT_NOW, seedFanout } from './support/fanout.js';
import { STORE_KINDS, useFreshStore } from './support/stores.js';
import { VirtualTime } from './support/virtual-time.js';

// Teams' limits scaled down to a tenth of a second of virtual time.
const WINDOW_MS = 100;
const PER_CONVERSATION = 2;
// Fewer than the sender's lanes, so lanes that each took the same free slot would show.
const PER_TENANT = 3;
// How long each send is in flight, on the virtual clock: other lanes may send meanwhile.
const SEND_MS = 5;
const FORCES = 8;
const TIMINGS = { leadWorkingDays: 22, reminderWorkingDays: 22, escalationWorkingDays: 0 };

interface Send {
  conversationId: string;
  at: number;
  what: string;
}

/** A messenger on the virtual clock: records each send's conversation, time and what it was, and counts overlaps. */
function recordingMessenger(time: VirtualTime) {
  const sends: Send[] = [];
  let inFlight = 0;
  let mostInFlight = 0;
  const messenger: Messenger = {
    async send(conversation, message, threadOf) {
      inFlight += 1;
      mostInFlight = Math.max(mostInFlight, inFlight);
      const meeting = /"meetingId":"([^"]+)"/.exec(JSON.stringify(message.card ?? {}))?.[1];
      sends.push({ conversationId: conversation.id, at: time.now(), what: meeting ? `card ${meeting}` : `reply to ${threadOf ?? 'none'}` });
      await time.sleep(SEND_MS);
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
  const t = useFreshStore(kind);

  it('overlaps sends to different conversations, keeps each conversation in order, and stays under both limits', async () => {
    await seedFanout(t.store, 'http://127.0.0.1:9/', FORCES, 30);
    const queued = await queueNominationWork(t.store, FANOUT_NOW, TIMINGS);
    expect(queued.filter((id) => id.startsWith('reminder:')).length).toBeGreaterThan(0);
    // Pacing, the business clock and each send's time in flight all run on one virtual clock, which stands still
    // while the sender works and moves only when every lane waits: the schedule below is the same on any machine.
    const time = new VirtualTime();
    const r = recordingMessenger(time);
    // No margin: no time passes between a send being recorded and its arrival, so the limits are checked exactly.
    const pacers: Pacers = {
      conversation: new Pacer([{ count: PER_CONVERSATION, ms: WINDOW_MS }], 0),
      tenant: new Pacer([{ count: PER_TENANT, ms: WINDOW_MS }], 0),
      turns: new Turns(),
    };
    const deps = { store: time.trackStore(t.store), messenger: r.messenger, log: silentLog, clock: () => Date.parse(FANOUT_NOW) + time.now(), sleep: time.sleep, monotonic: time.now };
    await time.run(drainOutbox(deps, 0, pacers));

    // Everything went, once.
    const outbox = await t.store.outbox.list();
    expect(outbox.filter((m) => m.status !== 'sent').map((m) => [m.id, m.status, m.lastError])).toEqual([]);
    expect(r.sends).toHaveLength(queued.length);

    // Under both limits, measured where the sends arrive; and they were paced, not sent in one burst.
    expect(busiest(r.sends.map((s) => s.at), WINDOW_MS)).toBe(PER_TENANT);
    const byConversation = new Map<string, Send[]>();
    for (const s of r.sends) byConversation.set(s.conversationId, [...(byConversation.get(s.conversationId) ?? []), s]);
    expect(byConversation.size).toBe(FORCES);
    for (const sends of byConversation.values()) expect(busiest(sends.map((s) => s.at), WINDOW_MS)).toBeLessThanOrEqual(PER_CONVERSATION);

    // Lanes overlapped, up to the tenant's burst: a sender that sent one at a time would show 1.
    expect(r.mostInFlight()).toBe(PER_TENANT);

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
  });

  it("keeps two instances sending at once under the tenant's limit together", async () => {
    // More messages than one sender holds at once, so the second instance has some to claim whatever the order.
    await seedFanout(t.store, 'http://127.0.0.1:9/', FORCES, 120);
    const queued = await queueNominationWork(t.store, FANOUT_NOW, TIMINGS);
    expect(queued.length).toBeGreaterThan(2 * 50);
    const time = new VirtualTime();
    const store = time.trackStore(t.store);
    const wall = () => Date.parse(FANOUT_NOW) + time.now();
    const iso = (ms: number) => new Date(ms).toISOString();
    // An even tenant limit, so each instance's share (half, rounded down) adds up to it exactly.
    const tenantLimit = 4;
    // Two instances, each with its own pacers and messenger, as two processes would have; the count of senders is
    // read before every send (refreshMs 0), and both have said they are sending before either starts (an instance
    // that starts while another already sends learns of it within its refresh: not what this test is about).
    const instance = (instanceId: string) => ({
      r: recordingMessenger(time),
      pacers: {
        conversation: new Pacer([{ count: PER_CONVERSATION, ms: WINDOW_MS }], 0),
        tenant: new Pacer([{ count: tenantLimit, ms: WINDOW_MS }], 0),
        turns: new Turns(),
        shared: { instanceId, refreshMs: 0, windowMs: SENDERS_WINDOW_MS, wall, readAt: -Infinity, reading: null },
      } satisfies Pacers,
    });
    const [a, b] = [instance('instance-a'), instance('instance-b')];
    for (const id of ['instance-a', 'instance-b']) await t.store.outbox.senders(id, iso(wall()), iso(wall() - SENDERS_WINDOW_MS));
    const deps = (x: typeof a) => ({ store, messenger: x.r.messenger, log: silentLog, clock: wall, sleep: time.sleep, monotonic: time.now });
    // Each waits for retries due within 10 s: a reminder one instance claimed while the other still held its card is
    // put back for 2 s, and must still go.
    await time.run(Promise.all([drainOutbox(deps(a), 10_000, a.pacers), drainOutbox(deps(b), 10_000, b.pacers)]));

    // Everything went, once, and both instances sent.
    const outbox = await t.store.outbox.list();
    expect(outbox.filter((m) => m.status !== 'sent').map((m) => [m.id, m.status, m.lastError])).toEqual([]);
    expect(a.r.sends.length + b.r.sends.length).toBe(queued.length);
    expect(a.r.sends.length).toBeGreaterThan(0);
    expect(b.r.sends.length).toBeGreaterThan(0);
    // Together at most the tenant's limit in any window: without the shared count each would take the whole limit,
    // and together twice it. (Once one has finished and its row is 5 s old, the other takes the whole limit alone.)
    expect(busiest([...a.r.sends, ...b.r.sends].map((s) => s.at), WINDOW_MS)).toBeLessThanOrEqual(tenantLimit);
  });

  it('has one send in flight per lane at once through the real Bot Connector client', async () => {
    const connector = new FakeConnector();
    await connector.start();
    try {
      // More conversations than lanes, so every lane has one to serve.
      await seedFanout(t.store, connector.url, LANES + 2, 30);
      await queueNominationWork(t.store, FANOUT_NOW, TIMINGS);
      // Every post waits at the connector until released: the lanes have all sent when LANES posts are held.
      expect(LANES).toBeGreaterThan(1);
      const gate = connector.hold();
      const clock = () => Date.parse(FANOUT_NOW);
      const drained = drainOutbox({ store: t.store, messenger: connectorMessenger(), log: silentLog, clock, sleep: async () => undefined, monotonic: () => 0 });
      const held = await gate.waitForHeld(LANES);
      expect(held).toHaveLength(LANES);
      expect(new Set(held.map((c) => c.conversationId)).size).toBe(LANES);
      gate.release();
      await drained;
      const outbox = await t.store.outbox.list();
      expect(outbox.filter((m) => m.status !== 'sent').map((m) => [m.id, m.status, m.lastError])).toEqual([]);
      expect(connector.posts()).toHaveLength(outbox.length);
    } finally {
      await connector.stop();
    }
  });
});
