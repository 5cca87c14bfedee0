import { describe, expect, it } from 'vitest';
import type { OutboxMessage } from '../scheduler/domain/types.js';
import type { OutboxDepth, Store } from '../scheduler/store/store.js';
import { STORE_KINDS, useFreshStore } from './support/stores.js';

// The metrics' outbox gauge, counted by the database on every scrape (issue 22): it must count exactly what reading
// every waiting row and sorting them in the process counted before.

const NOW = '2027-04-20T08:00:00.000Z';
const BEFORE = '2027-04-20T07:59:59.999Z';
const LATER = '2027-04-20T08:00:00.001Z';
const LEASE = '2027-04-20T09:00:00.000Z';

const message = (id: string, kind: OutboxMessage['kind'], nextAttemptAt: string): OutboxMessage => ({
  id, kind, conversationId: `19:${id}@thread.tacv2`, meetingId: 'southampton.2027-05-03', forceId: 'hampshire', cardId: null, personAadObjectId: null,
  status: 'pending', attempts: 0, nextAttemptAt, activityId: null, lastError: null, createdAt: BEFORE,
});

/** The count as it was made before: every pending and failed row read, then sorted here. */
async function countedInProcess(store: Store, now: string): Promise<OutboxDepth[]> {
  const rows = [...(await store.outbox.list({ status: 'pending' })), ...(await store.outbox.list({ status: 'failed' }))];
  const counts = new Map<string, OutboxDepth>();
  for (const m of rows) {
    const state = m.status === 'failed' ? 'failed' : Date.parse(m.nextAttemptAt) <= Date.parse(now) ? 'due' : m.attempts > 0 ? 'retrying' : 'deferred';
    const row = counts.get(`${m.kind} ${state}`) ?? { kind: m.kind, state, count: 0 };
    row.count++;
    counts.set(`${m.kind} ${state}`, row);
  }
  return [...counts.values()];
}

const sorted = (rows: OutboxDepth[]) => [...rows].sort((a, b) => `${a.kind} ${a.state}`.localeCompare(`${b.kind} ${b.state}`));

describe.each(STORE_KINDS)('the outbox depth gauge, on %s', (kind) => {
  const t = useFreshStore(kind);

  it('counts waiting messages by kind and state in the database, as reading them all did', async () => {
    const o = t.store.outbox;
    await o.enqueue([
      message('due-before', 'card', BEFORE), message('due-at-now', 'card', NOW), message('due-mention', 'mention', BEFORE),
      message('deferred', 'card', LATER), message('retrying', 'card', BEFORE), message('retried-due', 'mention', BEFORE),
      message('failed-1', 'card', BEFORE), message('failed-2', 'card', BEFORE), message('sent', 'card', BEFORE), message('skipped', 'mention', BEFORE),
    ]);
    // A try that failed and was put off past now: retrying. One put off to before now: due again, tries or not.
    await o.claimDue(NOW, LEASE, 100, 'sender');
    await o.markRetry('retrying', LEASE, 'timeout');
    await o.markRetry('retried-due', BEFORE, 'timeout');
    for (const id of ['due-before', 'due-at-now', 'due-mention', 'deferred']) await o.defer(id, (await o.get(id))!.nextAttemptAt, 'test', 'sender');
    await o.markFinal('failed-1', 'failed', 'gone', NOW);
    await o.markFinal('failed-2', 'failed', 'gone', NOW);
    await o.markSent('sent', 'activity-1', NOW);
    await o.markFinal('skipped', 'skipped', 'not needed', NOW);

    const expected: OutboxDepth[] = [
      { kind: 'card', state: 'deferred', count: 1 }, { kind: 'card', state: 'due', count: 2 }, { kind: 'card', state: 'failed', count: 2 },
      { kind: 'card', state: 'retrying', count: 1 }, { kind: 'mention', state: 'due', count: 2 },
    ];
    expect(sorted(await o.depth(NOW))).toEqual(expected);
    expect(sorted(await o.depth(NOW))).toEqual(sorted(await countedInProcess(t.store, NOW)));
    // A moment later the deferred card is due; an hour later the retrying one too.
    expect(sorted(await o.depth(LATER))).toEqual(sorted(await countedInProcess(t.store, LATER)));
    expect((await o.depth(LEASE)).filter((r) => r.kind === 'card' && r.state === 'due')).toEqual([{ kind: 'card', state: 'due', count: 4 }]);
  });

  it('counts nothing in an empty outbox', async () => {
    expect(await t.store.outbox.depth(NOW)).toEqual([]);
  });
});
