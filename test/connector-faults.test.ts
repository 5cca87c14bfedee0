import { performance } from 'node:perf_hooks';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { syntheticConfig } from '../bench/synthetic.js';
import { drainOutbox } from '../bot/outbox-sender.js';
import { silentLog } from '../scheduler/log.js';
import { queueNominationWork } from '../scheduler/nomination-jobs.js';
import { syncPanels } from '../scheduler/sync.js';
import { FakeConnector, type Recorded } from './support/fake-connector.js';
import { cardKey, connectorMessenger, FANOUT_NOW, repeats } from './support/fanout.js';
import { freshStore, type TestStore } from './support/stores.js';

const TIMINGS = { leadWorkingDays: 22, reminderWorkingDays: 0, escalationWorkingDays: 0 };
const SEEDED = '2027-03-01T08:00:00.000Z';
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

/** 12 forces and 48 panels (some 60 cards due at once) (bench/synthetic.ts), each force's channel linked and served by the fake connector. */
async function seed(t: TestStore, connectorUrl: string): Promise<void> {
  const cfg = syntheticConfig(12, 50);
  await syncPanels(t.store, cfg, SEEDED);
  for (const f of cfg.forces) {
    const id = `19:${f.id}@thread.tacv2`;
    await t.store.teams.saveConversation({ id, tenantId: 'tenant-a', serviceUrl: connectorUrl, kind: 'channel', teamId: 't', userAadObjectId: null, botId: '28:bot' }, SEEDED);
    await t.store.teams.link('force', f.id, id, 'system', SEEDED);
  }
}

describe('the Bot Connector answering 429 and 5xx to 30% of posts', () => {
  let t: TestStore;
  beforeEach(async () => {
    t = await freshStore('sqlite');
  });
  afterEach(async () => {
    await t.dispose();
  });

  it('delivers every card exactly once, leaves nothing failed or pending, and waits out each Retry-After', async () => {
    // One clock for the sender and the connector: real time since the start (botbuilder's own retries wait for real)
    // plus whatever the sender's sleeps skipped (its pacing and its retries wait on this clock, not for real).
    const t0 = performance.now();
    let skipped = 0;
    const clock = () => Date.parse(FANOUT_NOW) + (performance.now() - t0) + skipped;
    const sleep = async (ms: number) => void (skipped += ms);

    const random = seeded(2027);
    const connector = new FakeConnector(clock);
    connector.faultFor = (call) => {
      if (call.method !== 'POST' || random() >= 0.3) return undefined;
      const r = random();
      return r < 1 / 3 ? { status: 429, headers: { 'Retry-After': String(RETRY_AFTER_MS / 1000) } } : { status: r < 2 / 3 ? 500 : 503 };
    };
    await connector.start();
    try {
      await seed(t, connector.url);
      const queued = await queueNominationWork(t.store, FANOUT_NOW, TIMINGS);
      expect(queued.filter((id) => id.startsWith('card:')).length).toBeGreaterThanOrEqual(60);

      await drainOutbox({ store: t.store, messenger: connectorMessenger(), log: silentLog, clock, sleep, monotonic: clock, random: seeded(7) }, 3_600_000);

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

      // Each card arrived exactly once at the connector, whoever retried it. With this seed botbuilder's pipeline (3 retries,
      // honouring Retry-After) absorbs every fault and the outbox sees none; bot/outbox-sender's own retries are covered
      // by test/outbox-sender.db.test.ts. Nothing here depends on which of the two retried.
      const delivered = connector.cards().map(cardKey);
      expect(repeats(delivered)).toEqual([]);
      expect(delivered.sort()).toEqual(outbox.filter((m) => m.kind === 'card').map((m) => `${m.conversationId} ${m.meetingId}`).sort());
      expect(connector.posts()).toHaveLength(outbox.length);

      // After each 429, the same message's next post came no earlier than its Retry-After.
      const byMessage = new Map<string, Recorded[]>();
      for (const c of posts) byMessage.set(cardKey(c), [...(byMessage.get(cardKey(c)) ?? []), c]);
      const throttled = [...byMessage.values()].flatMap((calls) => calls.flatMap((c, i) => (c.failed === 429 ? [{ key: cardKey(c), gap: calls[i + 1]!.at - c.at }] : [])));
      expect(throttled.length).toBeGreaterThanOrEqual(5);
      // The bot and the fake share one event loop, whose timers may fire up to a millisecond early by this clock.
      expect(throttled.filter((x) => x.gap < RETRY_AFTER_MS - 2)).toEqual([]);
    } finally {
      await connector.stop();
    }
  }, 60_000);
});
