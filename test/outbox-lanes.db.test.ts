import { describe, expect, it } from 'vitest';
import { drainOutbox, LANES } from '../bot/outbox-sender.js';
import { silentLog } from '../scheduler/log.js';
import type { Messenger } from '../scheduler/messenger.js';
import { queueNominationWork } from '../scheduler/nominations/nomination-jobs.js';
import { FANOUT_NOW, seedFanout } from './support/fanout.js';
import { useFreshStore } from './support/stores.js';
import { within } from './support/wait.js';

const TIMINGS = { leadWorkingDays: 22, reminderWorkingDays: 22, escalationWorkingDays: 0 };

/** A messenger whose sends are all answered only when the test releases them; it says when `n` are in flight at once. */
function heldMessenger() {
  const inFlight: string[] = [];
  const sent: string[] = [];
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  const waiting: Array<{ n: number; resolve: (ids: string[]) => void }> = [];
  const messenger: Messenger = {
    async send(conversation) {
      inFlight.push(conversation.id);
      for (const w of waiting.filter((x) => inFlight.length >= x.n)) w.resolve([...inFlight]);
      await released;
      sent.push(conversation.id);
      return `activity-${sent.length}`;
    },
    async update() {},
  };
  const inFlightAtOnce = (n: number) => new Promise<string[]>((resolve) => (inFlight.length >= n ? resolve([...inFlight]) : waiting.push({ n, resolve })));
  return { messenger, inFlightAtOnce, release, sent };
}

describe('the outbox sender serving many Teams channels at once', () => {
  const t = useFreshStore('sqlite');

  it('has a send to each of LANES conversations in flight before any is answered, under the real pacers', async () => {
    // More conversations than lanes, each with more than one message: one lane per conversation, all busy at once.
    await seedFanout(t.store, 'http://127.0.0.1:9/', LANES + 2, 60);
    const queued = await queueNominationWork(t.store, FANOUT_NOW, TIMINGS);
    // A clock that jumps by whatever the sender waits: pacing runs as it would, and no wait takes real time.
    let tick = 0;
    const sleep = async (ms: number) => void (tick += ms);
    const held = heldMessenger();
    const drained = drainOutbox({ store: t.store, messenger: held.messenger, log: silentLog, clock: () => Date.parse(FANOUT_NOW), sleep, monotonic: () => tick });

    // Fails (names what it waited for) if the lanes, or the tenant's pacing, let one send at a time onto the wire.
    const inFlight = await within(held.inFlightAtOnce(LANES), `${LANES} sends in flight at once`);
    expect(new Set(inFlight).size).toBe(LANES);
    expect(held.sent).toEqual([]);

    held.release();
    await drained;
    const outbox = await t.store.outbox.list();
    expect(outbox.filter((m) => m.status !== 'sent').map((m) => [m.id, m.status, m.lastError])).toEqual([]);
    expect(held.sent).toHaveLength(queued.length);
  });
});
