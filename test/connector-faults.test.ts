import { describe, expect, it } from 'vitest';
import { drainOutbox } from '../bot/outbox-sender.js';
import { silentLog } from '../scheduler/log.js';
import { queueNominationWork } from '../scheduler/nominations/nomination-jobs.js';
import { FakeConnector, type Recorded } from './support/fake-connector.js';
import { cardKey, connectorMessenger, FANOUT_NOW, repeats, seedFanout } from './support/fanout.js';
import { useFreshStore } from './support/stores.js';
import { VirtualTime } from './support/virtual-time.js';

const TIMINGS = { leadWorkingDays: 22, reminderWorkingDays: 0, escalationWorkingDays: 0 };
const RETRY_AFTER_MS = 1_000;

/** mulberry32: a small seeded generator, so the same calls fail on every run. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** FNV-1a: a seed from a string. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

describe('the Bot Connector answering 429 and 5xx to 30% of posts', () => {
  const t = useFreshStore('sqlite');

  it('delivers every card exactly once, leaves nothing failed or pending, and waits out each Retry-After', async () => {
    // One virtual clock for the sender and the connector: it stands still while the sender works or a post is on its way
    // (the messenger's calls are tracked), and moves only when the sender waits (its pacing, its retries).
    const time = new VirtualTime();
    const clock = () => Date.parse(FANOUT_NOW) + time.now();
    const real = connectorMessenger();
    const messenger = { send: time.track(real.send), update: time.track(real.update) };

    // Whether a post fails depends only on which message it is and which try: the same posts fail on every run,
    // whatever order the lanes happen to reach the connector in.
    const connector = new FakeConnector(clock);
    connector.faultFor = (call) => {
      if (call.method !== 'POST') return undefined;
      const tries = connector.calls.filter((c) => c.method === 'POST' && cardKey(c) === cardKey(call)).length;
      const random = seeded(hash(`${cardKey(call)} #${tries}`));
      if (random() >= 0.3) return undefined;
      const r = random();
      return r < 1 / 3 ? { status: 429, headers: { 'Retry-After': String(RETRY_AFTER_MS / 1000) } } : { status: r < 2 / 3 ? 500 : 503 };
    };
    await connector.start();
    try {
      // 12 forces and 50 panels: some 60 cards due at once.
      await seedFanout(t.store, connector.url, 12, 50);
      const queued = await queueNominationWork(t.store, FANOUT_NOW, TIMINGS);
      expect(queued.filter((id) => id.startsWith('card:')).length).toBeGreaterThanOrEqual(60);

      await time.run(drainOutbox({ store: time.trackStore(t.store), messenger, log: silentLog, clock, sleep: time.sleep, monotonic: time.now, random: seeded(7) }, 3_600_000));

      const posts = connector.calls.filter((c) => c.method === 'POST');
      const faults = posts.filter((c) => c.failed);
      // The faults really happened, at about the rate asked for, of every kind.
      expect(posts.length).toBeGreaterThanOrEqual(60);
      expect(faults.length / posts.length).toBeGreaterThan(0.2);
      expect(faults.length / posts.length).toBeLessThan(0.4);
      expect(new Set(faults.map((c) => c.failed))).toEqual(new Set([429, 500, 503]));

      // Nothing left behind: every queued message was sent (none failed, skipped or still pending).
      const outbox = await t.store.outbox.list();
      expect(outbox.length).toBe(queued.length);
      expect(outbox.filter((m) => m.status !== 'sent').map((m) => [m.id, m.status, m.lastError])).toEqual([]);

      // Every post was one try of the outbox's, on record: nothing else (botbuilder's own HTTP pipeline) retried unseen.
      expect(outbox.reduce((n, m) => n + m.attempts, 0)).toBe(posts.length);
      expect(outbox.filter((m) => m.attempts > 1).length).toBeGreaterThan(0);

      // Each card arrived exactly once at the connector.
      const delivered = connector.cards().map(cardKey);
      expect(repeats(delivered)).toEqual([]);
      expect(delivered.sort()).toEqual(outbox.filter((m) => m.kind === 'card').map((m) => `${m.conversationId} ${m.meetingId}`).sort());
      expect(connector.posts()).toHaveLength(outbox.length);

      // After each 429, the same message's next post came no earlier than its Retry-After.
      const byMessage = new Map<string, Recorded[]>();
      for (const c of posts) byMessage.set(cardKey(c), [...(byMessage.get(cardKey(c)) ?? []), c]);
      const throttled = [...byMessage.values()].flatMap((calls) => calls.flatMap((c, i) => (c.failed === 429 ? [{ key: cardKey(c), gap: calls[i + 1]!.at - c.at }] : [])));
      expect(throttled.length).toBeGreaterThanOrEqual(5);
      expect(throttled.filter((x) => x.gap < RETRY_AFTER_MS)).toEqual([]);
    } finally {
      await connector.stop();
    }
  });
});
