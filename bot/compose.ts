import { setMaxListeners } from 'node:events';
import { DateTime } from 'luxon';
import type { Log } from '../scheduler/log.js';
import type { Messenger } from '../scheduler/messenger.js';
import { queueAttendanceCards } from '../scheduler/meetings/attendance.js';
import { forceConversation, queueNominationWork } from '../scheduler/nominations/nomination-jobs.js';
import { queueDigests } from '../scheduler/review/open-flags.js';
import { every, startScheduler, type Job } from '../scheduler/scheduler.js';
import { CHAIN_DELAY_MS, openStore } from '../scheduler/store/open-store.js';
import { configuredStore } from './audit-key.js';
import { sealAdvice, unsealedLegacy } from '../scheduler/audit/seal.js';
import { queueWeeklyCheckpoint } from '../scheduler/audit/checkpoint.js';
import { retentionJob } from '../scheduler/retention/purge.js';
import type { Store } from '../scheduler/store/store.js';
import { planMeetings, syncPanels } from '../scheduler/planning/sync.js';
import { ConfigError, type AppConfig } from './config.js';
import { startHttpServer, type HttpRoute } from './http.js';
import type { RouteDeps } from './routes/deps.js';
import { drainOutbox, newPacers, type SendObserver } from './outbox-sender.js';
import type { BotMetrics } from './telemetry/metrics.js';
import { startMetricsServer } from './telemetry/metrics-server.js';
import { sqliteSchedulerGate } from './scheduler-lock.js';
import { readPanelsFile } from './panels-file.js';
import type { BotOptions } from './teams-side.js';
import { onFirstUse, teamsSideOnFirstUse } from './teams-on-first-use.js';

// Start-up loads only what an idle server uses: the store, the scheduler, restify and /healthz. The Teams side
// (botbuilder, teams-ai, the Teams routes), the feed and report routes and the metrics' libraries are imported when
// first used or when configured (README, Production build: start-up time and memory).

export type { BotOptions } from './teams-side.js';

const HOUR = 3_600_000;

/**
 * A plain HTTP route mounted at `path` whose module is imported on its first request; `load` makes the module's
 * routes, and the one at `path` answers. A failed import answers 500 (http.ts) and is tried again next time.
 */
export function routeOnFirstUse(path: string, load: () => Promise<HttpRoute | HttpRoute[]>): HttpRoute {
  const get = onFirstUse(async () => {
    const found = [await load()].flat().find((r) => r.path === path);
    if (!found) throw new Error(`the route module no longer serves ${path}`);
    return found;
  });
  return { method: 'GET', path, handler: async (req) => (await get()).handler(req) };
}

/** Every feature's plain HTTP routes (calendar feeds, report exports), mounted beside /api/messages. */
function httpRoutes(deps: RouteDeps, config: Readonly<AppConfig>): HttpRoute[] {
  return [
    routeOnFirstUse('/calendar/:token', async () => (await import('./routes/calendar-routes.js')).calendarRoute(deps, config)),
    routeOnFirstUse('/reports/*', async () => (await import('./routes/review-routes.js')).reviewHttpRoutes(deps, config)),
  ];
}

/** The metrics, when something reads them (METRICS_PORT, or Application Insights); prom-client is not loaded otherwise. */
async function metricsFor(store: Store, config: Readonly<AppConfig>, clock: () => string): Promise<BotMetrics | undefined> {
  if (!config.metrics && !config.appInsightsConnectionString) return undefined;
  const { createMetrics } = await import('./telemetry/metrics.js');
  return createMetrics({ outboxDepth: () => store.outbox.depth(clock()) });
}

/**
 * Delivers the outbox one drain at a time; `kick` starts one in the background unless one is running. `stop` is the
 * shutdown: sends on the wire finish and are recorded, every other claimed message goes back to the outbox, and no
 * drain starts again.
 */
export function outboxDrainer(store: Store, messenger: Messenger, log: Log, clock: () => number, observe?: SendObserver) {
  let running: Promise<number> | null = null;
  const stopping = new AbortController();
  // Every conversation waiting its turn listens for the stop: a fan-out has many at once, none of them a leak.
  setMaxListeners(0, stopping.signal);
  // One pacing history for the life of the process, so successive drains together stay under Teams' limits; and one
  // instance among those sending, sharing the tenant's ceiling with the others (outbox_senders).
  const pacers = newPacers(true);
  const drain = async (waitMs = 0): Promise<number> => {
    while (running) await running.catch(() => 0);
    if (stopping.signal.aborted) return 0;
    running = drainOutbox({ store, messenger, log, clock, signal: stopping.signal, ...(observe ? { observe } : {}) }, waitMs, pacers);
    try {
      return await running;
    } finally {
      running = null;
    }
  };
  return {
    drain,
    kick: () => void drain().catch((err) => log.error({ err }, 'outbox drain failed')),
    stop: async () => {
      stopping.abort();
      while (running) await running.catch(() => 0);
    },
  };
}

/** The scheduler's jobs, in the order they run in a pass. */
export function schedulerJobs(store: Store, config: Readonly<AppConfig>, log: Log, drain: () => Promise<number>): Job[] {
  return [
    {
      name: 'plan-meetings',
      due: every(HOUR),
      run: async (now) => {
        const r = await planMeetings(store, now);
        if (r.changes) log.info({ job: 'plan-meetings', ...r }, 'planning window rolled forward');
      },
    },
    {
      name: 'nomination-work',
      due: () => true,
      run: async (now) => {
        const queued = await queueNominationWork(store, now, config.nominationTimings);
        if (queued.length) log.info({ job: 'nomination-work', queued: queued.length }, 'nomination messages queued');
      },
    },
    {
      name: 'attendance-cards',
      due: () => true,
      run: async (now) => {
        const queued = await queueAttendanceCards(store, now);
        if (queued.length) log.info({ job: 'attendance-cards', queued: queued.length }, 'attendance cards queued');
      },
    },
    {
      name: 'monday-digest',
      due: () => true,
      run: async (now) => {
        const conversationOf = async (forceId: string) => {
          const force = await store.directory.getForce(forceId);
          return force ? forceConversation(store, force) : null;
        };
        const queued = await queueDigests(store, now, conversationOf);
        if (queued.length) log.info({ job: 'monday-digest', queued: queued.length }, 'flag digests queued');
      },
    },
    {
      name: 'audit-checkpoint',
      due: () => true,
      run: async (now) => {
        const queued = await queueWeeklyCheckpoint(store, now);
        if (queued.length) log.info({ job: 'audit-checkpoint', queued: queued.length }, 'weekly audit checkpoint queued');
      },
    },
    retentionJob(store, config.retentionYears, log),
    { name: 'send-outbox', due: () => true, run: async () => void (await drain()) },
    // Audit entries queued on PostgreSQL are chained just after each commit; this picks up any a failed run left.
    { name: 'audit-chain', due: () => true, run: () => store.audit.settle() },
  ];
}

export interface RunningBot {
  url: string;
  /** Where Prometheus reads the metrics (METRICS_PORT), or null when they are off. */
  metricsUrl: string | null;
  store: Store;
  /** Runs one scheduler pass at once (tests and `tick`). */
  pass(): Promise<string[]>;
  stop(): Promise<void>;
}

/** The composition root: store, config sync, HTTP server and scheduler, started in that order; the Teams app on first use. */
export async function startBot(config: Readonly<AppConfig>, log: Log, clock: () => string = () => DateTime.utc().toISO(), options: BotOptions = {}): Promise<RunningBot> {
  const file = await readPanelsFile(config.panelsConfig, config.partnerTenantIds);
  if (!file.ok) throw new ConfigError([file.error.message]);
  const where = configuredStore(config, log);
  const store = await openStore({
    ...where,
    chainDelayMs: CHAIN_DELAY_MS,
    onChainError: (err) => log.error({ err }, 'audit entries could not be chained: they stay queued, and the next commit or scheduler pass tries again'),
  });
  try {
    // An unsealed log from before the key is the operator's to check and seal; the bot writes nothing onto it.
    const unsealed = await unsealedLegacy(store.audit);
    if (unsealed) throw new ConfigError([sealAdvice(unsealed)]);
    const report = await syncPanels(store, file.value, clock());
    log.info({ store: store.kind, ...report }, 'forces and panels loaded');
    let kick = () => undefined as void;
    const deps: RouteDeps = { store, log, clock, kick: () => kick() };
    const teams = teamsSideOnFirstUse(async () => (await import('./teams-side.js')).teamsSide(config, deps, options));
    const metrics = await metricsFor(store, config, clock);
    const sender = outboxDrainer(store, teams.messenger, log, () => Date.parse(clock()), metrics);
    kick = sender.kick;
    const health = () => store.ping().then(() => true, () => false);
    const { app, adapter, authenticate } = teams;
    const server = await startHttpServer({ config, log, adapter, app, health, authenticate, routes: httpRoutes(deps, config), observe: metrics });
    const metricsServer = config.metrics && metrics ? await startMetricsServer(metrics, config.metrics, log).catch(async (err) => {
      await server.close();
      throw err;
    }) : null;
    // SQLite is for one instance: a second process on the same file serves requests but leaves scheduling to the first.
    const gate = where.kind === 'sqlite' ? sqliteSchedulerGate(where.file, log, { staleMs: Math.max(600_000, 3 * config.tickSeconds * 1000) }) : null;
    const scheduler = startScheduler({ jobs: schedulerJobs(store, config, log, () => sender.drain()), clock, log, observer: metrics, ...(gate ? { mayRun: gate.mayRun } : {}) }, config.tickSeconds * 1000);
    log.info({ url: server.url, localMode: config.localMode }, 'channel panel bot listening');
    return {
      url: server.url,
      metricsUrl: metricsServer?.url ?? null,
      store,
      pass: () => scheduler.pass(),
      stop: async () => {
        // First, so nothing new is claimed while requests in flight and a scheduler pass finish.
        const senderStopped = sender.stop();
        await server.close();
        await scheduler.stop();
        gate?.release();
        await senderStopped;
        await metricsServer?.close();
        await store.close();
      },
    };
  } catch (err) {
    await store.close();
    throw err;
  }
}

/**
 * Stops the bot cleanly on SIGTERM (what `docker stop`, Kubernetes and App Service send) or SIGINT, then runs `after`
 * (telemetry's last flush) and exits, 1 when stopping failed: the entry points' shutdown.
 */
export function stopOnSignals(bot: RunningBot, log: Log, after: () => Promise<void> = async () => undefined): void {
  const shutdown = (signal: string) => {
    log.info({ signal }, 'shutting down');
    bot.stop().then(after).then(
      () => process.exit(0),
      (err) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}
