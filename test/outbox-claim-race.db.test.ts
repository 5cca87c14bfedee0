import { describe, expect, it } from 'vitest';
import type { OutboxMessage } from '../scheduler/domain/types.js';
import { useFreshStore } from './support/stores.js';

// Two instances claiming at the same moment on PostgreSQL. When one leased a row and committed between the other's
// snapshot and its lock, PostgreSQL re-checked only the conditions on the locked row itself, and the ranking subquery
// had them all: both claimed the message (3 in 300 rounds here before the fix). Many rounds give the interleaving
// its chances; with the lease written only where still free, no round can hand one message to two.

const NOW = '2027-04-20T08:00:00.000Z';
const LEASE = '2027-04-20T09:00:00.000Z';
const ROUNDS = 300;

const message = (id: string): OutboxMessage => ({
  id, kind: 'card', conversationId: `19:${id}@thread.tacv2`, meetingId: 'southampton.2027-05-03', forceId: 'hampshire', cardId: null, personAadObjectId: null,
  status: 'pending', attempts: 0, nextAttemptAt: NOW, activityId: null, lastError: null, createdAt: NOW,
});

describe('claiming the outbox from three instances at once, on postgres', () => {
  const t = useFreshStore('postgres');

  it(`never hands one message to two of them, in ${ROUNDS} rounds`, async () => {
    const twice: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const ids = [`a${round}`, `b${round}`];
      await t.store.outbox.enqueue(ids.map(message));
      const claimed = (await Promise.all(['x', 'y', 'z'].map((owner) => t.store.outbox.claimDue(NOW, LEASE, 1, owner)))).flat().map((m) => m.id);
      expect(claimed.every((id) => ids.includes(id))).toBe(true);
      if (new Set(claimed).size !== claimed.length) twice.push(...claimed);
      // A claimer that lost a race may take nothing; what none took is still there for the next claim, and only that.
      const rest = (await t.store.outbox.claimDue(NOW, LEASE, 5, 'w')).map((m) => m.id);
      expect([...claimed, ...rest].sort()).toEqual([...ids].sort());
      for (const id of ids) await t.store.outbox.markSent(id, 'activity', NOW);
    }
    expect(twice).toEqual([]);
  });
});
