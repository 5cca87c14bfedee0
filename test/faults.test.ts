import { spawn, type ChildProcess } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { LANES } from '../bot/outbox-sender.js';
import { queueNominationWork } from '../scheduler/nominations/nomination-jobs.js';
import { FakeConnector } from './support/fake-connector.js';
import { botAddedToTeam, CHANNEL, channelMessage, GARETH, personalMessage } from './support/teams-activities.js';
import { until } from './support/wait.js';
import { cardKey, FANOUT_NOW, repeats, seedFanout } from './support/fanout.js';
import { STORE_KINDS, type TestStore, useFreshStore } from './support/stores.js';
import { startTestBot } from './support/test-bot.js';

const TIMINGS = { leadWorkingDays: 22, reminderWorkingDays: 0, escalationWorkingDays: 0 };
/** The sender's lease (outbox-sender.ts) and a second: a restarted sender may take what the dead one held. */
const AFTER_LEASE = new Date(Date.parse(FANOUT_NOW) + 121_000).toISOString();
const KILL_AT = 150;
/** A guard only: two sender processes (each compiling the bot with tsx) and some 550 posts, on a loaded machine. */
const KILL_TEST_GUARD_MS = 300_000;

/** Starts the sender process (test/support/fanout-child.ts); `exited` resolves with its exit code or signal. */
function sender(t: TestStore, now: string) {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'test/support/fanout-child.ts', JSON.stringify({ options: t.options, now })], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; err: string }>((r) => child.on('exit', (code, signal) => r({ code, signal, err })));
  return { child, exited };
}

describe.each(STORE_KINDS)('faults on %s', (kind) => {
  const t = useFreshStore(kind);

  it('kill -9 of the sender mid fan-out: after a restart every card is delivered, and only those in flight twice', async () => {
    const connector = new FakeConnector();
    await connector.start();
    try {
      await seedFanout(t.store, connector.url);
      const cards = (await queueNominationWork(t.store, FANOUT_NOW, TIMINGS)).filter((id) => id.startsWith('card:'));
      expect(cards.length).toBeGreaterThanOrEqual(400);

      // Post number KILL_AT, and any after it, reach the connector and wait there unanswered; the sender is killed while
      // the first is held: that send was made but never recorded. Its other lanes may have had posts answered whose
      // outcome it had not yet written: those too are in flight.
      const gate = connector.hold((c) => c.method === 'POST' && connector.posts().length >= KILL_AT);
      const first = sender(t, FANOUT_NOW);
      const [held] = await Promise.race([
        gate.waitForHeld(1),
        first.exited.then((r) => Promise.reject(new Error(`the sender exited before post ${KILL_AT}: ${JSON.stringify(r)}`))),
      ]);
      first.child.kill('SIGKILL');
      expect(await first.exited).toMatchObject({ signal: 'SIGKILL' });
      // Whatever the dead sender had on the wire has now been read and recorded, or was never whole.
      await connector.disconnected();
      gate.release();

      const before = connector.posts().map(cardKey);
      expect(connector.cards().map(cardKey)).toEqual(before);
      expect(before.length).toBeGreaterThanOrEqual(KILL_AT);
      expect(before.length).toBeLessThan(KILL_AT + LANES);
      const recorded = new Set((await t.store.outbox.list({ status: 'sent' })).map((m) => `${m.conversationId} ${m.meetingId}`));
      const inFlight = before.filter((p) => !recorded.has(p));
      expect(inFlight).toContain(cardKey(held!));
      expect(inFlight.length).toBeLessThanOrEqual(LANES);
      expect(recorded.size).toBe(before.length - inFlight.length);

      const second = sender(t, AFTER_LEASE);
      expect(await second.exited).toMatchObject({ code: 0 });
      const outbox = (await t.store.outbox.list()).filter((m) => m.kind === 'card');
      expect(outbox.filter((m) => m.status !== 'sent')).toEqual([]);
      const delivered = connector.cards().map(cardKey);
      expect(new Set(delivered)).toEqual(new Set(outbox.map((m) => `${m.conversationId} ${m.meetingId}`)));
      expect(repeats(delivered).sort()).toEqual(inFlight.map((p) => [p, 2]).sort());
    } finally {
      await connector.stop();
    }
  }, KILL_TEST_GUARD_MS);
});

describe('the clock jumping forward a week (a suspended host, a corrected clock)', () => {
  const MAY = 'southampton.2027-05-03'; // 4 May: card from 19 April, reminder from 27 April, leads told from 30 April
  const JOBS = ['plan-meetings', 'nomination-work', 'attendance-cards', 'monday-digest', 'audit-checkpoint', 'retention', 'send-outbox', 'audit-chain'];

  it('runs the jobs it missed once each, in order, and sends what fell due in the gap once', async () => {
    let now = '2027-04-01T08:00:00.000Z';
    const { bot, connector, post, stop } = await startTestBot({ now: () => now });
    try {
      await post(personalMessage(connector.url, GARETH, 'help'));
      await post(botAddedToTeam(connector.url, GARETH));
      await post(channelMessage(connector.url, GARETH, 'link force hampshire'));
      await until(() => connector.posts().length >= 2, 'the help and link replies');
      const about = (text: RegExp) => connector.posts().filter((p) => text.test(JSON.stringify(p.body)) && JSON.stringify(p.body).includes('Southampton'));
      const card = () => connector.cards().filter((c) => JSON.stringify(c.card).includes(MAY));

      now = '2027-04-16T08:00:00.000Z';
      expect(await bot.pass()).toEqual(JOBS);
      expect(card()).toHaveLength(0);

      // A week passes unseen: the card day (19 April) is missed; the next pass catches up, once.
      now = '2027-04-23T08:00:00.000Z';
      expect(await bot.pass()).toEqual(JOBS);
      expect(card()).toHaveLength(1);
      const posted = connector.posts().length;
      // Planning is hourly and retention daily: neither is due again a moment later.
      expect(await bot.pass()).toEqual(JOBS.filter((j) => j !== 'plan-meetings' && j !== 'retention'));
      expect(connector.posts()).toHaveLength(posted);

      // Another week: the reminder (27 April) and the leads' personal message (30 April) both fell due in it.
      now = '2027-04-30T08:00:00.000Z';
      await bot.pass();
      await bot.pass();
      const cardActivity = (await bot.store.outbox.get(`card:${MAY}:hampshire`))!.activityId;
      const reminders = about(/Reminder: no police attendee/);
      expect(reminders.map((r) => r.conversationId)).toEqual([`${CHANNEL};messageid=${cardActivity}`]);
      expect(connector.posts().indexOf(reminders[0]!)).toBeGreaterThan(connector.posts().indexOf(card()[0]!));
      expect(about(/two working days away/).map((p) => p.conversationId)).toEqual([`a:personal-${GARETH.aadObjectId}`]);
      expect(connector.posts().filter((p, i, all) => all.findIndex((q) => JSON.stringify(q.body) === JSON.stringify(p.body) && q.conversationId === p.conversationId) !== i)).toEqual([]);
    } finally {
      await stop();
    }
  });
});
