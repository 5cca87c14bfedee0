import { schedulerJobs } from '../../bot/compose.js';
import { loadConfig } from '../../bot/config.js';
import { drainOutbox } from '../../bot/outbox-sender.js';
import { createTeamsApp } from '../../bot/teams-app.js';
import { teamsMessenger } from '../../bot/teams-messenger.js';
import { syntheticConfig } from '../../bench/synthetic.js';
import { silentLog } from '../../scheduler/log.js';
import type { Messenger } from '../../scheduler/messenger.js';
import { runDueJobs } from '../../scheduler/scheduler.js';
import type { Store } from '../../scheduler/store/store.js';
import { syncPanels } from '../../scheduler/planning/sync.js';
import type { Recorded } from './fake-connector.js';

/** The instant the fan-out is due: 22 working days' lead brings some 400 cards due at once. */
export const FANOUT_NOW = '2027-03-02T08:00:00.000Z';
const SEEDED = '2027-03-01T08:00:00.000Z';
export const FANOUT_ENV = {
  PORT: '0', PANELS_CONFIG: 'config/panels.sample.yaml', LOG_LEVEL: 'silent',
  NOMINATION_LEAD_WORKING_DAYS: '22', NOMINATION_REMINDER_WORKING_DAYS: '0', NOMINATION_ESCALATION_WORKING_DAYS: '0',
};

/** 45 forces and 400 panels unless told (bench/synthetic.ts), each force's Teams channel linked and served by the fake connector. */
export async function seedFanout(store: Store, connectorUrl: string, forces = 45, panels = 400): Promise<void> {
  const cfg = syntheticConfig(forces, panels);
  await syncPanels(store, cfg, SEEDED);
  for (const f of cfg.forces) {
    const id = `19:${f.id}@thread.tacv2`;
    await store.teams.saveConversation({ id, tenantId: 'tenant-a', serviceUrl: connectorUrl, kind: 'channel', teamId: 't', userAadObjectId: null, botId: '28:bot' }, SEEDED);
    await store.teams.link('force', f.id, id, 'system', SEEDED);
  }
}

/** The Bot Connector messenger a server builds, over the CloudAdapter in local mode. */
export function connectorMessenger(): Messenger {
  const config = loadConfig({ ...FANOUT_ENV, DATA_DIR: '/nonexistent' });
  return teamsMessenger(createTeamsApp({ config, log: silentLog }).adapter, config.appId);
}

/**
 * One server's scheduler over its own Store: the real jobs, with an outbox drain whose clock stands still
 * and whose pacing never waits (pacing, and the tenant's ceiling shared between instances, are tested elsewhere; here they would only cost time).
 */
export function schedulerInstance(store: Store, messenger: Messenger, now: string) {
  const config = loadConfig({ ...FANOUT_ENV, DATA_DIR: '/nonexistent' });
  const drain = () => drainOutbox({ store, messenger, log: silentLog, clock: () => Date.parse(now), sleep: async () => undefined, monotonic: () => 0 });
  const jobs = schedulerJobs(store, config, silentLog, drain);
  return { pass: () => runDueJobs({ jobs, clock: () => now, log: silentLog }, new Map(), now) };
}

/** What identifies one nomination card at the connector: its channel and the meeting its buttons name. */
export function cardKey(c: Recorded): string {
  return `${c.conversationId} ${/"meetingId":"([^"]+)"/.exec(JSON.stringify(c.body))?.[1] ?? '?'}`;
}

/** How many times each key arrived, for the keys that arrived more than once. */
export function repeats(keys: string[]): Array<[string, number]> {
  const counts = new Map<string, number>();
  for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
  return [...counts].filter(([, n]) => n > 1);
}
