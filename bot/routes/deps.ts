import type { Log } from '../../scheduler/log.js';
import type { Store } from '../../scheduler/store/store.js';

/** What every route of the Teams app and every plain HTTP route is given by the composition root (bot/compose.ts). */
export interface RouteDeps {
  store: Store;
  log: Log;
  clock: () => string;
  /** Asks the sender to deliver what a handler just queued, without waiting for it. */
  kick: () => void;
}
