import { DateTime } from 'luxon';
import { every, startScheduler, type Job } from '../scheduler/scheduler.js';
import { openStore, storeOptions } from '../scheduler/store/open-store.js';
import type { Store } from '../scheduler/store/store.js';
import { planMeetings, syncPanels } from '../scheduler/sync.js';
import type { Log } from '../scheduler/log.js';
import { ConfigError, type AppConfig } from './config.js';
import { startHttpServer } from './http.js';
import { readPanelsFile } from './panels-file.js';
import { createTeamsApp } from './teams-app.js';

const HOUR = 3_600_000;

/** The scheduler's jobs. Later issues add nominations, reminders and digests here. */
export function schedulerJobs(store: Store, log: Log): Job[] {
  return [
    {
      name: 'plan-meetings',
      due: every(HOUR),
      run: async (now) => {
        const r = await planMeetings(store, now);
        if (r.changes) log.info({ job: 'plan-meetings', ...r }, 'planning window rolled forward');
      },
    },
  ];
}

export interface RunningBot {
  url: string;
  store: Store;
  stop(): Promise<void>;
}

/** The composition root: store, config sync, Teams app, HTTP server and scheduler, started in that order. */
export async function startBot(config: Readonly<AppConfig>, log: Log, clock: () => string = () => DateTime.utc().toISO()): Promise<RunningBot> {
  const file = await readPanelsFile(config.panelsConfig);
  if (!file.ok) throw new ConfigError([file.error.message]);
  const store = await openStore(storeOptions(config.databaseUrl, config.dataDir));
  try {
    const report = await syncPanels(store, file.value, clock());
    log.info({ store: store.kind, ...report }, 'forces and panels loaded');
    const { app, adapter } = createTeamsApp({ config, log });
    const health = () => store.ping().then(() => true, () => false);
    const server = await startHttpServer({ config, log, adapter, app, health });
    const scheduler = startScheduler({ jobs: schedulerJobs(store, log), clock, log }, config.tickSeconds * 1000);
    log.info({ url: server.url, localMode: config.localMode }, 'channel panel bot listening');
    return {
      url: server.url,
      store,
      stop: async () => {
        await server.close();
        await scheduler.stop();
        await store.close();
      },
    };
  } catch (err) {
    await store.close();
    throw err;
  }
}
