import type { Activity } from 'botbuilder';
import type { TeamsSide } from './teams-side.js';
import { MessengerUnavailable } from '../scheduler/messenger.js';

// Kept apart from teams-side.ts so that importing these stand-ins loads nothing of botbuilder or teams-ai.

/**
 * Stand-ins for the Teams side that import it on first use: the first activity or send waits for the import (about
 * a second), later ones find it loaded. A failed import is logged by whoever asked and tried again on the next use.
 */
export function teamsSideOnFirstUse(load: () => Promise<TeamsSide>): TeamsSide {
  const get = onFirstUse(load);
  // A send that never left because the import failed is not a failed try (the outbox sender puts it back).
  const ready = () => get().catch((err: unknown) => Promise.reject(new MessengerUnavailable(err)));
  return {
    app: { run: async (ctx) => (await get()).app.run(ctx) },
    adapter: {
      authenticate: async (activity: Activity, authorization: string) => (await get()).adapter.authenticate(activity, authorization),
      runAuthenticated: async (auth, activity, logic) => (await get()).adapter.runAuthenticated(auth, activity, logic),
    },
    authenticate: async (activity, authorization) => (await get()).authenticate(activity, authorization),
    messenger: {
      send: async (conversation, message, threadOf) => (await ready()).messenger.send(conversation, message, threadOf),
      update: async (conversation, activityId, message) => (await ready()).messenger.update(conversation, activityId, message),
    },
  };
}

/** `load`, run once when first asked for and then remembered; a failure is passed on and forgotten, so the next call tries again. */
export function onFirstUse<T>(load: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () =>
    (value ??= load().catch((err: unknown) => {
      value = undefined;
      throw err;
    }));
}
