import type { Store } from '../../scheduler/store/store.js';
import type { DepthRow, DepthState } from './metrics.js';

/** How many messages wait in the outbox, by kind and state, at `now` (failed ones stay until someone looks). */
export async function outboxDepth(store: Store, now: string): Promise<DepthRow[]> {
  const [pending, failed] = await Promise.all([store.outbox.list({ status: 'pending' }), store.outbox.list({ status: 'failed' })]);
  const counts = new Map<string, DepthRow>();
  const add = (kind: string, state: DepthState) => {
    const key = `${kind} ${state}`;
    const row = counts.get(key) ?? { kind, state, count: 0 };
    row.count += 1;
    counts.set(key, row);
  };
  const at = Date.parse(now);
  for (const m of pending) add(m.kind, Date.parse(m.nextAttemptAt) <= at ? 'due' : m.attempts > 0 ? 'retrying' : 'deferred');
  for (const m of failed) add(m.kind, 'failed');
  return [...counts.values()];
}
