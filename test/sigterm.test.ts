import { afterEach, describe, expect, it, vi } from 'vitest';
import { stopOnSignals } from '../bot/compose.js';
import { RETURNED_AT_SHUTDOWN } from '../bot/outbox-sender.js';
import { silentLog } from '../scheduler/log.js';
import { openStore, storeOptions } from '../scheduler/store/open-store.js';
import { cardKey, FANOUT_ENV, FANOUT_NOW, repeats, seedFanout } from './support/fanout.js';
import { startTestBot, type TestBot } from './support/test-bot.js';
import { until, within } from './support/wait.js';

// Issue 21: a container is stopped with SIGTERM, often in the middle of a fan-out. The sends already on the wire must
// finish and be recorded, and every other message the sender had claimed must go back to the outbox at once (no try
// counted, no lease left to run out), so that nothing is lost and nothing is sent twice. The fake connector holds the
// first sends unanswered, so the signal arrives while they are in flight, whatever the machine's speed.

describe('SIGTERM during a fan-out', () => {
  let t: TestBot | undefined;
  afterEach(async () => {
    vi.restoreAllMocks();
    await t?.stop();
    t = undefined;
  });

  it('lets the sends in flight finish, returns the rest to the outbox, and a restart sends each message exactly once', async () => {
    t = await startTestBot({ now: () => FANOUT_NOW, env: { ...FANOUT_ENV, DATABASE_URL: '' } });
    await seedFanout(t.bot.store, t.connector.url, 8, 40);
    let exited!: (code: number) => void;
    const exitCode = new Promise<number>((r) => (exited = r));
    vi.spyOn(process, 'exit').mockImplementation(((code?: number) => exited(code ?? 0)) as typeof process.exit);
    stopOnSignals(t.bot, silentLog);

    const gate = t.connector.hold();
    const pass = t.bot.pass();
    const inFlight = await gate.waitForHeld(1);
    process.emit('SIGTERM');
    gate.release();
    expect(await within(exitCode, 'the bot to exit after SIGTERM')).toBe(0);
    await pass;

    const store = await openStore(storeOptions(null, t.dir));
    const messages = await store.outbox.list();
    try {
      const sent = messages.filter((m) => m.status === 'sent');
      const pending = messages.filter((m) => m.status === 'pending');
      // A fan-out far bigger than what can be in flight at once, so some of it must have been stopped.
      expect(messages.length).toBeGreaterThan(20);
      expect(messages.filter((m) => m.status !== 'sent' && m.status !== 'pending')).toEqual([]);
      // Every send that was on the wire when the signal came finished and is on record, and nothing went that is not.
      expect(sent.length).toBeGreaterThanOrEqual(inFlight.length);
      expect(t.connector.posts()).toHaveLength(sent.length);
      expect(sent.every((m) => m.activityId)).toBe(true);
      // The rest are back: due now, no try counted, and claimable at once (no lease left to run out).
      expect(pending.length).toBeGreaterThan(0);
      expect(pending.every((m) => m.attempts === 0 && m.lastError === RETURNED_AT_SHUTDOWN && m.nextAttemptAt <= FANOUT_NOW)).toBe(true);
      // (The inspection's own lease ends before the instant the restarted bot runs at, so it holds nothing back.)
      const claimed = await store.outbox.claimDue(FANOUT_NOW, '2027-03-02T07:59:59.999Z', 1000, 'inspector');
      expect(claimed.map((m) => m.id).sort()).toEqual(pending.map((m) => m.id).sort());
    } finally {
      await store.close();
    }

    // The next start delivers what was returned, and each card arrives exactly once over the two runs.
    const restarted = await t.restart();
    await restarted.pass();
    await until(async () => (await restarted.store.outbox.list({ status: 'pending' })).length === 0, 'the returned messages to be sent');
    expect(t.connector.posts()).toHaveLength(messages.length);
    expect(repeats(t.connector.cards().map(cardKey))).toEqual([]);
  });
});
