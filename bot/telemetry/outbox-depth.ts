import type { Store } from '../../scheduler/store/store.js';
import type { DepthRow } from './metrics.js';

/** How many messages wait in the outbox, by kind and state, at `now` (failed ones stay until someone looks). */
export async function outboxDepth(store: Store, now: string): Promise<DepthRow[]> {
  return store.outbox.depth(now);
}
